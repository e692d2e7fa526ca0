"""The demo site server: substitution, content types, conditional requests, refusals; the labels."""

from __future__ import annotations

import http.client
import json
import logging
from collections.abc import Iterator
from email.utils import formatdate
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import lxml.html
import pytest
import requests
from defusedxml import ElementTree

from newsfacts.demo.site import DEMO_ROOT, DemoSite

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ARTICLE_FILES = sorted(
    p.relative_to(DEMO_ROOT).as_posix() for p in DEMO_ROOT.glob("articles/*.html")
)
WORDS_ONLY_PAGE = "articles/2024-04-22-us-reinforcements-jordan-ar.html"
EXPECTED = json.loads((DEMO_ROOT / "expected.json").read_text(encoding="utf-8"))["articles"]


@pytest.fixture(scope="module")
def site() -> Iterator[DemoSite]:
    with DemoSite() as running:
        yield running


def raw_get(site: DemoSite, path: str) -> tuple[int, bytes]:
    """GET a path exactly as written: requests would normalise `..` away before sending."""
    parts = urlsplit(site.base_url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=5)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def test_feed_is_rss_with_absolute_links_to_served_pages(site: DemoSite) -> None:
    response = requests.get(site.url("/feed.xml"), timeout=5)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/rss+xml; charset=utf-8"
    assert b"{{base_url}}" not in response.content
    feed = feedparser.parse(response.content)
    assert feed.version == "rss20"
    links = [entry.link for entry in feed.entries]
    assert len(links) == 6
    assert all(entry.get("published_parsed") for entry in feed.entries)
    for link in links:
        assert link.startswith(site.base_url + "/articles/")
        assert requests.head(link, timeout=5).status_code == 200


def test_sitemap_lists_every_article_with_lastmod(site: DemoSite) -> None:
    response = requests.get(site.url("/sitemap.xml"), timeout=5)
    assert response.headers["Content-Type"] == "application/xml; charset=utf-8"
    root = ElementTree.fromstring(response.content)
    urls = root.findall(f"{SITEMAP_NS}url")
    locs = [u.findtext(f"{SITEMAP_NS}loc") or "" for u in urls]
    assert sorted(loc.removeprefix(site.base_url + "/") for loc in locs) == ARTICLE_FILES
    assert all(u.findtext(f"{SITEMAP_NS}lastmod") for u in urls)
    assert len(ARTICLE_FILES) == 10


def test_robots_allows_all_and_names_the_sitemap(site: DemoSite) -> None:
    response = requests.get(site.url("/robots.txt"), timeout=5)
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert "Allow: /" in response.text
    assert f"Sitemap: {site.base_url}/sitemap.xml" in response.text


@pytest.mark.parametrize(
    ("path", "lang", "direction"),
    [
        ("/articles/2024-01-08-us-troops-iraq-ar.html", "ar", "rtl"),
        ("/articles/2024-04-22-us-reinforcements-jordan-ar.html", "ar", "rtl"),
        ("/articles/2024-02-05-us-troops-iraq-syria-en.html", "en", "ltr"),
    ],
)
def test_article_page_is_utf8_html_with_its_canonical_url(
    site: DemoSite, path: str, lang: str, direction: str
) -> None:
    response = requests.get(site.url(path), timeout=5)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    tree = lxml.html.fromstring(response.content.decode("utf-8"))
    assert tree.get("lang") == lang
    assert tree.get("dir") == direction
    assert tree.xpath("//link[@rel='canonical']/@href") == [site.base_url + path]
    assert "{{base_url}}" not in response.text


def test_index_is_served_for_the_root(site: DemoSite) -> None:
    response = requests.get(site.url("/"), timeout=5)
    assert response.status_code == 200
    assert "/articles/2024-01-08-us-troops-iraq-ar.html" in response.text


def test_two_servers_substitute_their_own_address(site: DemoSite) -> None:
    with DemoSite() as other:
        assert other.base_url != site.base_url
        body = requests.get(other.url("/robots.txt"), timeout=5).text
        assert other.base_url in body
        assert site.base_url not in body


def test_etag_answers_304_and_changes_with_the_body(site: DemoSite) -> None:
    url = site.url("/feed.xml")
    first = requests.get(url, timeout=5)
    etag = first.headers["ETag"]
    assert etag.startswith('"')
    again = requests.get(url, headers={"If-None-Match": etag}, timeout=5)
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["ETag"] == etag
    weak = requests.get(url, headers={"If-None-Match": f'"x", W/{etag}'}, timeout=5)
    assert weak.status_code == 304
    stale = requests.get(url, headers={"If-None-Match": '"not-this-one"'}, timeout=5)
    assert stale.status_code == 200
    assert stale.content == first.content
    # The ETag hashes the served bytes, so another port (another body) means another tag.
    with DemoSite() as other:
        assert requests.get(other.url("/feed.xml"), timeout=5).headers["ETag"] != etag


def test_if_modified_since_answers_304_only_when_not_older(site: DemoSite) -> None:
    url = site.url("/articles/2024-03-04-russia-forces-syria-ar.html")
    last_modified = requests.get(url, timeout=5).headers["Last-Modified"]
    fresh = requests.get(url, headers={"If-Modified-Since": last_modified}, timeout=5)
    assert fresh.status_code == 304
    old = formatdate(0, usegmt=True)
    assert requests.get(url, headers={"If-Modified-Since": old}, timeout=5).status_code == 200
    garbage = requests.get(url, headers={"If-Modified-Since": "yesterday"}, timeout=5)
    assert garbage.status_code == 200


def test_head_sends_headers_without_a_body(site: DemoSite) -> None:
    url = site.url("/sitemap.xml")
    got = requests.get(url, timeout=5)
    head = requests.head(url, timeout=5)
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["Content-Length"] == str(len(got.content))
    assert head.headers["ETag"] == got.headers["ETag"]


@pytest.mark.parametrize(
    "path",
    [
        "/nope.html",
        "/articles/",  # a folder without index.html: no listing
        "/expected.json",  # the labels are not part of the site
        "/sources.yaml",
        "/articles/2024-01-08-us-troops-iraq-ar.html.bak",
    ],
)
def test_unknown_paths_are_404(site: DemoSite, path: str) -> None:
    response = requests.get(site.url(path), timeout=5)
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert requests.head(site.url(path), timeout=5).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.html",
        "/%2e%2e/secret.html",
        "/sub/../../secret.html",
        "/..%2fsecret.html",
        "/sub/%2E%2E%2F%2E%2E%2Fsecret.html",
    ],
)
def test_paths_outside_the_root_are_refused(tmp_path: Path, path: str) -> None:
    root = tmp_path / "site"
    (root / "sub").mkdir(parents=True)
    (root / "index.html").write_text("<p>home {{base_url}}</p>", encoding="utf-8")
    (tmp_path / "secret.html").write_text("<p>secret</p>", encoding="utf-8")
    with DemoSite(root) as site:
        status, body = raw_get(site, path)
        assert status == 404
        assert b"secret" not in body
        # The same server still serves what is inside its root.
        status, body = raw_get(site, "/index.html")
        assert status == 200
        assert site.base_url.encode() in body


def test_requests_are_logged_through_logging(
    site: DemoSite, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="newsfacts.demo.site"):
        requests.get(site.url("/robots.txt"), timeout=5)
    assert any("/robots.txt" in record.getMessage() for record in caplog.records)


def test_stopped_site_releases_its_port() -> None:
    site = DemoSite().start()
    url = site.url("/robots.txt")
    assert requests.get(url, timeout=5).status_code == 200
    site.stop()
    site.stop()
    with pytest.raises(requests.ConnectionError):
        requests.get(url, timeout=2)
    with pytest.raises(RuntimeError):
        _ = site.base_url


# --- the hand labels in expected.json agree with the pages ---------------------------------


def _page(path: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((DEMO_ROOT / path).read_text(encoding="utf-8"))


def test_labels_cover_every_article() -> None:
    assert sorted(EXPECTED) == ARTICLE_FILES
    assert {e["lang"] for e in EXPECTED.values()} == {"ar", "en"}
    assert sum(e["lang"] == "ar" for e in EXPECTED.values()) == 5


@pytest.mark.parametrize("path", sorted(EXPECTED))
def test_labels_match_the_page(path: str) -> None:
    expected = EXPECTED[path]
    tree = _page(path)
    body = "\n\n".join(p.text_content() for p in tree.xpath("//div[@class='article-body']/p"))
    assert tree.get("lang") == expected["lang"]
    assert tree.xpath("string(//h1)") == expected["title"]
    stamps = tree.xpath("//meta[@property='article:published_time']/@content | //time/@datetime")
    stamps += [
        json.loads(s)["datePublished"]
        for s in tree.xpath("//script[@type='application/ld+json']/text()")
    ]
    if stamps:
        assert {stamp[:10] for stamp in stamps} == {expected["published"]}
    else:
        assert path == WORDS_ONLY_PAGE
    for fact in expected["troop_counts"]:
        assert fact["evidence"] in body, fact
    for mention in expected["dates"]:
        assert mention["text"] in body, mention
    feed = (DEMO_ROOT / "feed.xml").read_text(encoding="utf-8")
    assert (f"/{path}</link>" in feed) == expected["in_feed"]


def test_one_arabic_page_dates_itself_only_in_words() -> None:
    tree = _page(WORDS_ONLY_PAGE)
    assert not tree.xpath("//time | //meta[contains(@property, 'time')]")
    assert not tree.xpath("//script[@type='application/ld+json']")
    assert "الاثنين 22 أبريل 2024" in tree.xpath("string(//div[@class='byline'])")
