"""Report stage: charts of the warehouse snapshot as one self-contained HTML file, SVG and PNG."""
