"""Command line over the same functions the DAGs call: extract, parse, run, sql, eval, demo."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TextIO

from newsfacts.settings import DEFAULT_SOURCES, Settings

log = logging.getLogger("newsfacts")


# Exit codes: 0 done, 1 an error (bad input file, failed query, failed run), 2 a usage error.
EXIT_ERROR, EXIT_USAGE = 1, 2


class InputError(Exception):
    """Input the command cannot read: the message is the one line the user sees."""


def _open_text(name: str) -> TextIO:
    if name == "-":
        return sys.stdin
    try:
        return Path(name).open(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a folder, not a text file") from None
    except PermissionError:
        raise InputError(f"{name}: not allowed to read it") from None


def _iso_date(value: str) -> date:
    """argparse type for --published: an ISO date (a time part, if any, is ignored)."""
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a date as YYYY-MM-DD (for example 2025-03-04)"
        ) from None


def cmd_extract(args: argparse.Namespace) -> int:
    from newsfacts.extract import extract_text
    from newsfacts.extract.batch import extract_jsonl

    with _open_text(args.file) as stream:
        try:
            if args.jsonl:
                for result in extract_jsonl(stream):
                    sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
                return 0
            text = stream.read()
        except UnicodeDecodeError:
            raise InputError(f"{args.file}: not UTF-8 text (a binary file?)") from None
    published = args.published
    lang = None if args.lang == "auto" else args.lang
    found = extract_text(text, lang, published).to_dict()
    out = {"troop_counts": found["troop_counts"], "dates": found["dates"]}
    if args.all:
        out.update(entities=found["entities"], quotes=found["quotes"])
    json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


def cmd_parse(args: argparse.Namespace) -> int:
    from newsfacts.parse.article import ParseError, parse_article

    data = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
    try:
        article = parse_article(data, args.url, max_bytes=Settings.from_env().max_body_bytes)
    except ParseError as exc:
        log.error("cannot parse %s: %s", args.file, exc)
        return 1
    out = {
        key: article.to_dict()[key]
        for key in (
            "url",
            "canonical_url",
            "title",
            "published",
            "modified",
            "authors",
            "lang",
            "body",
        )
    }
    json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env(home=args.home, warehouse=args.warehouse)


def cmd_run(args: argparse.Namespace) -> int:
    from newsfacts.flow.pipeline import run_once
    from newsfacts.ids import run_key_for

    settings = _settings(args)
    run_key = args.run_key or run_key_for(
        datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    )
    summary = run_once(settings, Path(args.sources), run_key, base_url=args.base_url)
    sys.stdout.write(json.dumps(summary, ensure_ascii=False) + "\n")
    return 0


def cmd_data_docs(args: argparse.Namespace) -> int:
    from newsfacts.quality.validate import build_data_docs

    sys.stdout.write(f"{build_data_docs(_settings(args).gx_dir)}\n")
    return 0


def cmd_crawl(args: argparse.Namespace) -> int:
    from newsfacts.flow.crawl import crawl
    from newsfacts.ids import run_key_for

    settings = _settings(args)
    # To the second: every crawl is a new batch, and the frontier decides what it fetches.
    run_key = args.run_key or run_key_for(datetime.now(UTC).replace(microsecond=0))
    summary = crawl(
        settings,
        Path(args.sources),
        run_key,
        base_url=args.base_url,
        only=set(args.source) if args.source else None,
    )
    sys.stdout.write(json.dumps(summary, ensure_ascii=False) + "\n")
    return 0


def _as_of(value: str) -> datetime:
    """argparse type for --as-of: an ISO date or time, UTC unless it says otherwise."""
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a date or time as YYYY-MM-DD[THH:MM] (for example 2025-03-04T12:00)"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def cmd_quality(args: argparse.Namespace) -> int:
    import duckdb

    from newsfacts.quality.checks import check_sources_and_warehouse

    settings = _settings(args)
    settings = replace(
        settings,
        sources_path=Path(args.sources) if args.sources else settings.sources_path,
        base_url=args.base_url or settings.base_url,
    )
    as_of = args.as_of or datetime.now(UTC)
    try:
        results, breach = check_sources_and_warehouse(settings, as_of)
    except ValueError as exc:  # the sources file cannot be read
        raise InputError(str(exc)) from None
    except duckdb.IOException as exc:  # another process holds the warehouse
        raise InputError(f"{settings.warehouse}: {exc}") from None
    width = max((len(f"{r.check_name}[{r.subject}]") for r in results), default=0)
    for r in sorted(results, key=lambda r: (r.passed, r.check_name, r.subject)):
        label = f"{r.check_name}[{r.subject}]"
        sys.stdout.write(f"{'ok  ' if r.passed else 'FAIL'}  {label:<{width}}  {r.message}\n")
    if breach:
        sys.stderr.write(f"newsfacts quality: {breach}\n")
        return EXIT_ERROR
    return 0


def cmd_sources_check(args: argparse.Namespace) -> int:
    from newsfacts.flow.crawl import check_sources, format_report

    report = check_sources(_settings(args), Path(args.sources), base_url=args.base_url)
    for line in format_report(report):
        sys.stdout.write(line + "\n")
    return 0 if report.ok else 1


def cmd_sql(args: argparse.Namespace) -> int:
    import duckdb

    settings = _settings(args)
    if not settings.warehouse.exists():
        log.error(
            "no warehouse at %s: run `newsfacts run` or `make demo` first", settings.warehouse
        )
        return 1
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    try:
        con.sql(args.query).show(max_width=args.width, max_rows=args.max_rows)
    except duckdb.Error as exc:
        log.error("%s", exc)
        return 1
    finally:
        con.close()
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from newsfacts.report.render import NoData, write_report

    try:
        report = write_report(_settings(args))
    except NoData as exc:
        log.error("%s", exc)
        return EXIT_ERROR
    sys.stdout.write(f"report: {report.html} ({report.html.stat().st_size:,} bytes)\n")
    sys.stdout.write(f"latest: {report.latest}\n")
    for image in report.images:
        sys.stdout.write(f"chart:  {image}\n")
    return 0


def cmd_demo_site(args: argparse.Namespace) -> int:
    from newsfacts.demo.site import serve_forever

    serve_forever(port=args.port if args.port is not None else Settings.from_env().demo_port)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from newsfacts.demo.run import run_demo

    return run_demo(_settings(args), through_airflow=not args.no_airflow)


def cmd_airflow(args: argparse.Namespace) -> int:
    import os

    from newsfacts.flow.airflow_env import airflow_bin, airflow_env

    # exec, so signals (Ctrl-C on `make run`) reach Airflow itself.
    os.execve(airflow_bin(), [airflow_bin(), *args.rest], airflow_env(_settings(args)))
    return 0  # pragma: no cover


def cmd_serve(args: argparse.Namespace) -> int:
    from newsfacts.flow.standalone import run_standalone

    return run_standalone(_settings(args))


def cmd_stop(args: argparse.Namespace) -> int:
    from newsfacts.flow.standalone import stop_standalone

    stop_standalone(_settings(args))
    return 0


def _add_crawl_commands(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    with_home: Callable[[argparse.ArgumentParser], None],
) -> None:
    """`crawl` and `sources check`: the scraping stages on their own."""
    p = sub.add_parser(
        "crawl", help="discover and fetch every source into the archive (no parse, no load)"
    )
    p.add_argument("--sources", default=str(DEFAULT_SOURCES), help="sources YAML file")
    p.add_argument("--base-url", help="replaces {{base_url}} in the sources file")
    p.add_argument("--source", action="append", help="only this source (repeatable)")
    p.add_argument("--run-key", help="batch key (default: now, to the second)")
    with_home(p)
    p.set_defaults(func=cmd_crawl)

    p = sub.add_parser("sources", help="work with the sources file")
    sources_sub = p.add_subparsers(dest="sources_command", required=True)
    p = sources_sub.add_parser(
        "check", help="fetch each feed and sitemap; print whether it answers and its URL count"
    )
    p.add_argument("--sources", default=str(DEFAULT_SOURCES), help="sources YAML file")
    p.add_argument("--base-url", help="replaces {{base_url}} in the sources file")
    with_home(p)
    p.set_defaults(func=cmd_sources_check)


def _add_airflow_commands(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    with_home: Callable[[argparse.ArgumentParser], None],
) -> None:
    """Commands that run Airflow or the demo around it."""
    p = sub.add_parser(
        "airflow", help="run an airflow command in the project's Airflow environment"
    )
    with_home(p)
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_airflow)

    p = sub.add_parser(
        "serve", help="Airflow standalone with the DAGs until Ctrl-C (`make run`); stops it all"
    )
    with_home(p)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("stop", help="stop the Airflow that `serve` started (`make stop`)")
    with_home(p)
    p.set_defaults(func=cmd_stop)

    p = sub.add_parser("demo-site", help="serve the bundled demo news site on 127.0.0.1")
    p.add_argument(
        "--port", type=int, help="default $NEWSFACTS_DEMO_PORT or 8765, where `make demo` serves"
    )
    p.set_defaults(func=cmd_demo_site)

    p = sub.add_parser(
        "demo", help="run the pipeline DAGs once against the demo site, print results"
    )
    p.add_argument("--no-airflow", action="store_true", help="call the pipeline functions directly")
    with_home(p)
    p.set_defaults(func=cmd_demo)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsfacts",
        description=__doc__,
        epilog="Exit codes: 0 done, 1 an error (a file it cannot read, a failed query or run),"
        " 2 a usage error (a bad option or value).",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    sub = parser.add_subparsers(dest="command", required=True)

    def with_home(p: argparse.ArgumentParser) -> None:
        p.add_argument("--home", help="data folder (default $NEWSFACTS_HOME or ./var)")
        p.add_argument("--warehouse", help="DuckDB file (default <home>/newsfacts.duckdb)")

    p = sub.add_parser("extract", help="print the facts found in a plain-text article as JSON")
    p.add_argument("file", help="text file, or - for standard input")
    p.add_argument("--lang", choices=["ar", "en", "auto"], default="auto")
    p.add_argument(
        "--published", type=_iso_date, help="publication date YYYY-MM-DD (resolves relative dates)"
    )
    p.add_argument(
        "--jsonl",
        action="store_true",
        help="input is JSON lines with id, text, lang, published; output one line each",
    )
    p.add_argument("--all", action="store_true", help="also print entities and quotes")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("parse", help="print the article parsed from an HTML page as JSON")
    p.add_argument("file", help="HTML file, or - for standard input")
    p.add_argument("--url", help="the page's URL")
    p.set_defaults(func=cmd_parse)

    p = sub.add_parser("run", help="run the whole pipeline once, without Airflow")
    p.add_argument("--sources", default=str(DEFAULT_SOURCES), help="sources YAML file")
    p.add_argument("--run-key", help="interval key; the same key re-reads the same raw pages")
    p.add_argument("--base-url", help="replaces {{base_url}} in the sources file")
    with_home(p)
    p.set_defaults(func=cmd_run)

    _add_crawl_commands(sub, with_home)

    p = sub.add_parser(
        "quality",
        help="run the data-quality checks over every source and the warehouse;"
        " exit 1 naming each breach",
    )
    p.add_argument(
        "--sources", help="sources YAML file (default $NEWSFACTS_SOURCES or include/sources.yaml)"
    )
    p.add_argument("--base-url", help="replaces {{base_url}} in the sources file")
    p.add_argument("--as-of", type=_as_of, help="check as of this UTC time (default: now)")
    with_home(p)
    p.set_defaults(func=cmd_quality)

    p = sub.add_parser(
        "data-docs", help="rebuild the Great Expectations Data Docs of every validation kept"
    )
    with_home(p)
    p.set_defaults(func=cmd_data_docs)

    p = sub.add_parser("sql", help="run a query on the warehouse and print a table")
    p.add_argument("query")
    p.add_argument("--width", type=int, default=160)
    p.add_argument("--max-rows", type=int, default=60)
    with_home(p)
    p.set_defaults(func=cmd_sql)

    sub.add_parser("eval", help="score extraction against a gold JSONL file (see eval --help)")

    p = sub.add_parser(
        "report",
        help="render the charts of the latest snapshot into <home>/reports/ (HTML, SVG, PNG)",
    )
    with_home(p)
    p.set_defaults(func=cmd_report)

    _add_airflow_commands(sub, with_home)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["eval"]:
        # eval has its own parser: hand it everything, options first included.
        from newsfacts.extract import evaluate

        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
        return int(evaluate.main(argv[1:]))
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        return int(args.func(args))
    except InputError as exc:
        sys.stderr.write(f"newsfacts {args.command}: {exc}\n")
        return EXIT_ERROR
    except BrokenPipeError:
        # The reader went away ("newsfacts sql ... | head"): stop quietly, as other tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
