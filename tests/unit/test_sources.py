from pathlib import Path

import pytest

from newsfacts.crawl.sources import load_sources
from newsfacts.settings import DEFAULT_SOURCES


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_default_sources_are_valid() -> None:
    loaded = load_sources(DEFAULT_SOURCES)
    assert loaded.errors == []
    assert len(loaded.sources) >= 10
    assert {s.language for s in loaded.sources} >= {"ar", "en"}


def test_bad_entry_is_reported_by_name_and_field_and_others_survive(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
sources:
  - name: good
    site: https://example.org
    language: en
    feeds: [https://example.org/feed.xml]
  - name: bad-rate
    site: https://example.net
    language: en
    requests_per_second: -1
  - name: bad-feed
    site: https://example.com
    language: ar
    feeds: [ftp://example.com/feed]
  - name: typo
    site: https://example.com
    language: en
    feedz: []
""",
    )
    loaded = load_sources(path)
    assert [s.name for s in loaded.sources] == ["good"]
    by_source = {e.source: e for e in loaded.errors}
    assert by_source["bad-rate"].field == "requests_per_second"
    assert "greater than 0" in by_source["bad-rate"].message
    assert by_source["bad-feed"].field == "feeds"
    assert "not an http(s) URL" in by_source["bad-feed"].message
    assert by_source["typo"].field == "feedz"
    assert "source 'typo': field 'feedz'" in str(by_source["typo"])


def test_duplicate_names_keep_the_first(tmp_path: Path) -> None:
    entry = "  - {name: same, site: 'https://a.example', language: en}\n"
    loaded = load_sources(write(tmp_path, "sources:\n" + entry + entry))
    assert len(loaded.sources) == 1
    assert loaded.errors[0].message == "duplicate source name"


def test_base_url_placeholder_is_substituted(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "sources:\n  - {name: local, site: '{{base_url}}', language: ar,"
        " feeds: ['{{base_url}}/feed.xml'], allow_private_addresses: true}\n",
    )
    source = load_sources(path, base_url="http://127.0.0.1:9999/").sources[0]
    assert source.feeds == ("http://127.0.0.1:9999/feed.xml",)
    assert source.domains() == {"127.0.0.1"}


def test_unreadable_file_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="expected a mapping with a 'sources' list"):
        load_sources(write(tmp_path, "- just a list\n"))
