"""Development tooling: local services for tests and benches, body scoring, the real-news set."""
