import gzip

import pytest

from newsfacts.crawl.discover import discover, normalize_url, parse_feed, parse_sitemap
from newsfacts.crawl.fetch import Fetcher
from newsfacts.settings import Settings
from tests.support.server import LocalServer

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>t</title>
<item><title>a</title><link>http://site.test/a.html?utm_source=x#top</link>
<pubDate>Mon, 08 Jan 2024 10:00:00 GMT</pubDate></item>
<item><title>b</title><link>http://site.test/b.html</link></item>
</channel></rss>"""

SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>http://site.test/a.html</loc><lastmod>2024-01-08</lastmod></url>
<url><loc>http://site.test/c.html</loc>
  <news:news><news:publication_date>2024-01-07T09:00:00+03:00</news:publication_date></news:news></url>
</urlset>"""

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>
<urlset><url><loc>&lol2;</loc></url></urlset>"""


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HTTP://Site.TEST/a?utm_medium=x&id=3#frag", "http://site.test/a?id=3"),
        ("https://site.test", "https://site.test/"),
        ("https://site.test/a?fbclid=1", "https://site.test/a"),
    ],
)
def test_normalize_url(raw: str, expected: str) -> None:
    assert normalize_url(raw) == expected


def test_feed_links_are_normalized_with_dates() -> None:
    refs = parse_feed(RSS, "s", "http://site.test/feed.xml")
    assert [r.url for r in refs] == ["http://site.test/a.html", "http://site.test/b.html"]
    assert refs[0].lastmod == "2024-01-08T10:00:00+00:00"
    assert refs[1].lastmod is None


def test_malformed_feed_is_an_error() -> None:
    with pytest.raises(ValueError, match="malformed feed"):
        parse_feed(b"<rss><channel><item>", "s", "u")


def test_news_sitemap_and_gzip() -> None:
    pages, children = parse_sitemap(gzip.compress(SITEMAP), "s", "u")
    assert children == []
    assert [(p.url, p.lastmod) for p in pages] == [
        ("http://site.test/a.html", "2024-01-08"),
        ("http://site.test/c.html", "2024-01-07T09:00:00+03:00"),
    ]


def test_entity_bomb_in_sitemap_is_refused() -> None:
    with pytest.raises(ValueError, match="unsafe or malformed sitemap"):
        parse_sitemap(BOMB, "s", "u")


def test_discover_merges_feed_and_sitemap_index_and_reports_failures(settings: Settings) -> None:
    xml = {"Content-Type": "application/xml"}
    server = LocalServer()
    base = server.base_url
    index = f"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>{base}/sm1.xml</loc></sitemap><sitemap><loc>{base}/missing.xml</loc></sitemap>
    </sitemapindex>""".encode()
    server.routes.update(
        {
            "/robots.txt": (200, {"Content-Type": "text/plain"}, b"User-agent: *\nAllow: /\n"),
            "/feed.xml": (200, xml, RSS.replace(b"http://site.test", base.encode())),
            "/index.xml": (200, xml, index),
            "/sm1.xml": (200, xml, SITEMAP.replace(b"http://site.test", base.encode())),
        }
    )
    with server, Fetcher(settings, requests_per_second=50, allow_private_addresses=True) as fetcher:
        refs, failures = discover(fetcher, "s", (f"{base}/feed.xml",), (f"{base}/index.xml",))
    assert sorted(r.url.rsplit("/", 1)[1] for r in refs) == ["a.html", "b.html", "c.html"]
    assert [(u.rsplit("/", 1)[1], cls) for u, cls, _ in failures] == [("missing.xml", "HTTP404")]


def test_html_page_given_as_feed_is_an_error() -> None:
    with pytest.raises(ValueError, match="not an RSS or Atom document"):
        parse_feed(b"<html><body>not a feed</body></html>", "s", "u")


def test_empty_but_valid_feed_yields_nothing() -> None:
    assert (
        parse_feed(b'<rss version="2.0"><channel><title>t</title></channel></rss>', "s", "u") == []
    )
