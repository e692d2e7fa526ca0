"""Parse stage: pages written by us in the shapes Arabic and English outlets use, and bad input."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from newsfacts.models import Article
from newsfacts.parse.article import ParseError, parse_article
from newsfacts.parse.body import clean_paragraphs, fill_gaps
from newsfacts.parse.decode import decode_html
from newsfacts.parse.metadata import strip_site_name
from newsfacts.parse.published import date_in_text, normalize_date
from newsfacts.parse.rules import fold_key, rules_for
from newsfacts.settings import Settings
from tools.body_score import score_page

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "html"
NEXT_URL = "https://www.example-news.com/ar/world/2024/01/09/us-troops-middle-east"
BYLINE_URL = "https://www.alrafidain.example/politics/5512"
GRAPH_URL = "https://www.worldwire.example/world/2024/01/08/pentagon-iraq-troops?ref=rss"


def page(name: str) -> bytes:
    return (PAGES / name).read_bytes()


@pytest.fixture(scope="module")
def next_data() -> Article:
    return parse_article(page("ar_next_data.html"), NEXT_URL)


@pytest.fixture(scope="module")
def byline_date() -> Article:
    return parse_article(page("ar_byline_date.html"), BYLINE_URL)


@pytest.fixture(scope="module")
def graph() -> Article:
    return parse_article(page("en_graph.html"), GRAPH_URL)


# --- Next.js page: JSON-LD as a string inside __NEXT_DATA__, RTL, widgets, related block ---


def test_next_data_metadata_comes_from_the_embedded_json_ld(next_data: Article) -> None:
    assert next_data.title == "واشنطن ترسل 1500 جندي إضافي إلى الشرق الأوسط"
    assert next_data.published == "2024-01-09T14:30:00+03:00"
    assert next_data.modified == "2024-01-09T16:05:00+03:00"
    assert next_data.authors == ["ليلى منصور"]  # the Organization author is the outlet
    assert next_data.section == "العالم"
    assert next_data.tags == ["العراق", "الولايات المتحدة", "سوريا"]
    assert next_data.lang == "ar"
    assert next_data.methods["published"] == "next-data"
    assert next_data.methods["body"].startswith("trafilatura")


def test_next_data_body_is_the_five_paragraphs_as_published(next_data: Article) -> None:
    assert len(next_data.paragraphs) == 5
    assert next_data.paragraphs[0].startswith("أعلنت وزارة الدفاع الأميركية، الثلاثاء،")
    # Arabic kept as published: shadda and sukun marks and Arabic punctuation survive.
    assert "المسيّرة" in next_data.body
    assert "تتلقَّ" in next_data.body
    assert "\n\n" in next_data.body


@pytest.mark.parametrize(
    "boilerplate",
    [
        "دقائق القراءة",
        "time reading icon",
        "قصص قد تهمك",
        "البرلمان العراقي يناقش مستقبل التحالف الدولي",  # a related-story link
        "تصنيفات",
        "شارك",
        "واتساب",
        "جميع الحقوق محفوظة",
        "الرئيسية",
    ],
)
def test_next_data_body_has_no_widgets_or_related_blocks(
    next_data: Article, boilerplate: str
) -> None:
    assert boilerplate not in next_data.body


def test_captions_are_kept_apart(next_data: Article, graph: Article) -> None:
    assert next_data.captions == [
        "جنود أميركيون خلال تدريب في قاعدة عين الأسد غرب العراق (أرشيفية)"
    ]
    assert "عين الأسد غرب العراق (أرشيفية)" not in next_data.body
    assert graph.captions == ["US soldiers at a base in western Iraq in 2021. (World Wire)"]
    assert "US soldiers at a base" not in graph.body


def test_canonical_falls_back_to_og_url(next_data: Article) -> None:
    assert next_data.canonical_url == NEXT_URL
    assert next_data.methods["canonical_url"] == "og"


# --- a page whose only date is written in Arabic words, with Arabic-Indic digits ---


def test_date_only_in_arabic_words_in_the_byline(byline_date: Article) -> None:
    assert byline_date.published == "2024-01-07"
    assert byline_date.methods["published"] == "text"
    assert byline_date.modified is None


def test_byline_author_without_prefix_or_date(byline_date: Article) -> None:
    assert byline_date.authors == ["سامر الحلبي"]


def test_byline_page_body(byline_date: Article) -> None:
    assert len(byline_date.paragraphs) == 4
    assert "١٧٠ نائباً من أصل ٣٢٩" in byline_date.body  # digits kept as published
    for boilerplate in ("اقرأ أيضاً", "الأكثر قراءة", "ارتفاع أسعار الذهب", "بقلم", "إكس"):
        assert boilerplate not in byline_date.body
    assert byline_date.canonical_url == BYLINE_URL
    assert byline_date.lang == "ar"


# --- windows-1256 bytes ---


def test_windows_1256_page_decodes_by_its_meta_charset() -> None:
    article = parse_article(page("ar_cp1256.html"))
    assert article.title == "وزير الدفاع: انسحاب القوات الأجنبية سيكون على مراحل"
    assert article.paragraphs[0].startswith("قال وزير الدفاع العراقي، الاثنين،")
    assert article.published == "2024-01-08"  # Levantine month name, "كانون الثاني"
    assert article.lang == "ar"
    # The dateline paragraph is furniture, not story text.
    assert "كانون الثاني" not in article.body


@pytest.mark.parametrize(
    ("content_type", "strip_meta"),
    [
        ("text/html; charset=windows-1256", False),
        ("text/html; charset=windows-1256", True),
        ("text/html; charset=utf-8", False),  # a wrong header that fails on the bytes is skipped
        (None, True),  # no declaration at all: detection
    ],
)
def test_windows_1256_decoding_paths(content_type: str | None, strip_meta: bool) -> None:
    data = page("ar_cp1256.html")
    if strip_meta:
        data = data.replace(b"; charset=windows-1256", b"")
    text, _codec = decode_html(data, content_type)
    assert "وزير الدفاع: انسحاب القوات الأجنبية سيكون على مراحل" in text


def test_http_charset_wins_over_meta() -> None:
    html = (
        '<html><head><meta charset="utf-8"><title>t</title></head><body><p>café</p></body></html>'
    )
    text, codec = decode_html(html.encode("cp1252"), "text/html; charset=windows-1252")
    assert codec == "cp1252"
    assert "café" in text


# --- English page: @graph, nested mainEntity, relative canonical, boilerplate lines ---


def test_graph_and_main_entity(graph: Article) -> None:
    assert graph.title == "Pentagon says it has no plans to pull troops out of Iraq"
    assert graph.authors == ["Dana Whitfield", "Omar Haddad"]
    assert graph.published == "2024-01-08T18:42:00+00:00"
    assert graph.tags == ["Iraq", "Pentagon", "US military"]
    assert graph.section == "World"
    assert graph.lang == "en"
    assert graph.url == GRAPH_URL
    assert (
        graph.canonical_url == "https://www.worldwire.example/world/2024/01/08/pentagon-iraq-troops"
    )


def test_graph_body(graph: Article) -> None:
    assert len(graph.paragraphs) == 5
    assert graph.paragraphs[0].startswith("WASHINGTON — The Pentagon said on Monday")
    for boilerplate in ("Read more", "Share this article", "Related stories", "Drone strike hits"):
        assert boilerplate not in graph.body
    assert graph.title not in graph.body


def test_declared_language_overruled_by_script() -> None:
    html = page("ar_byline_date.html").replace(b'lang="ar"', b'lang="en"')
    assert parse_article(html, BYLINE_URL).lang == "ar"
    english = page("en_graph.html").replace(b'lang="en-US"', b'lang="ar"')
    assert parse_article(english, GRAPH_URL).lang == "en"


# --- bad input: a ParseError with a reason, never a crash or a hang ---


@pytest.mark.parametrize(
    ("data", "content_type", "reason"),
    [
        (b"", None, "empty"),
        (b"   \n\t ", None, "empty"),
        ("", None, "empty"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, None, "binary"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", None, "binary"),
        (b"\x1f\x8b\x08\x00" + bytes(range(256)), None, "binary"),
        (b"<html>\x00\x00\x00\x01\x02</html>", None, "binary"),
        (b"<html><body><p>x</p></body></html>", "application/pdf", "not html"),
        (b"<html><body><p>x</p></body></html>", "image/jpeg", "not html"),
        (b"just a line of plain words, no markup at all", None, "not html"),
        (b'{"headline": "a JSON document"}', None, "not html"),
        (b"<html><head><title>No body here</title></head></html>", None, "no body"),
        (b"<html><head><title>t</title></head><body>   </body></html>", None, "no body"),
        (b"<html><body><script>var a = 1;</script></body></html>", None, "no body"),
    ],
)
def test_bad_input_reasons(data: bytes | str, content_type: str | None, reason: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_article(data, "https://example.com/a", content_type=content_type)
    assert caught.value.reason == reason
    assert isinstance(caught.value, ValueError)


@pytest.mark.timeout(30)
def test_twenty_megabytes_is_too_large_and_refused_at_once() -> None:
    data = b"<html><body>" + b"<p>" + b"word " * (4 * 1024 * 1024) + b"</p></body></html>"
    assert len(data) > 20 * 1024 * 1024
    start = time.perf_counter()
    with pytest.raises(ParseError) as caught:
        parse_article(data)
    assert caught.value.reason == "too large"
    assert time.perf_counter() - start < 1.0
    with pytest.raises(ParseError, match="too large"):
        parse_article(data.decode("ascii"))


def test_size_cap_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    data = page("en_graph.html")
    with pytest.raises(ParseError, match="too large"):
        parse_article(data, GRAPH_URL, max_bytes=1000)
    monkeypatch.setenv("NEWSFACTS_MAX_BODY_BYTES", "1000")
    small = Settings.from_env()
    with pytest.raises(ParseError, match="too large"):
        parse_article(data, GRAPH_URL, max_bytes=small.max_body_bytes)
    monkeypatch.setenv("NEWSFACTS_MAX_BODY_BYTES", str(10 * 1024 * 1024))
    assert parse_article(data, GRAPH_URL, max_bytes=Settings.from_env().max_body_bytes).title
    assert parse_article(data, GRAPH_URL).title  # 10 MB when no setting is passed


@pytest.mark.timeout(30)
def test_hundred_thousand_levels_deep_is_refused_quickly() -> None:
    depth = 100_000
    html = (
        "<html><body>" + "<div>" * depth + "<p>deep text</p>" + "</div>" * depth + "</body></html>"
    )
    start = time.perf_counter()
    with pytest.raises(ParseError) as caught:
        parse_article(html)
    assert caught.value.reason == "too deep"
    assert time.perf_counter() - start < 5.0


def test_truncated_page_keeps_what_arrived() -> None:
    data = page("en_graph.html")
    cut = data.index(b"Washington also keeps") + 40
    article = parse_article(data[:cut], GRAPH_URL)
    assert article.paragraphs[0].startswith("WASHINGTON — The Pentagon said on Monday")
    assert "Iraqi Prime Minister" not in article.body


def test_text_input_with_xml_declaration() -> None:
    html = '<?xml version="1.0" encoding="utf-8"?>\n' + page("en_graph.html").decode("utf-8")
    assert parse_article(html, GRAPH_URL).authors == ["Dana Whitfield", "Omar Haddad"]


def test_broken_json_ld_is_skipped_not_fatal() -> None:
    html = page("en_graph.html").replace(b'"@context": "https://schema.org", "@graph"', b"{{{")
    article = parse_article(html, GRAPH_URL)
    # With no JSON-LD headline to confirm the <h1>, the declared og:title is the title.
    assert article.title == "Pentagon: no plans to pull troops out of Iraq"
    assert article.methods["title"] == "og"
    assert "json-ld" not in article.methods.values()
    assert article.authors == ["Dana Whitfield", "Omar Haddad"]  # from the byline
    assert article.methods["authors"] == "byline"


# --- helpers, as tables ---


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-01-08T10:00:00Z", "2024-01-08T10:00:00+00:00"),
        ("2026-01-06 13:55:27 +01:00", "2026-01-06T13:55:27+01:00"),
        ("2024-09-16T21:33+0100", "2024-09-16T21:33:00+01:00"),
        ("2023-04-28T18:23:00+0000", "2023-04-28T18:23:00+00:00"),
        ("2023-06-26T12:00:29.055Z", "2023-06-26T12:00:29.055+00:00"),
        ("2024-03-07T07:55:25", "2024-03-07T07:55:25"),
        ("2024-01-08", "2024-01-08"),
        ("Mon, 08 Jan 2024 10:00:00 GMT", "2024-01-08T10:00:00+00:00"),
        ("0001-01-01T00:00:00Z", None),
        ("2999-01-01", "2999-01-01"),  # kept as stated; validation quarantines it
        ("2024-13-40", None),
        ("2024-01-08T25:61:00Z", None),
        ("yesterday", None),
        ("", None),
    ],
)
def test_normalize_date(value: str, expected: str | None) -> None:
    assert normalize_date(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("الأحد 7 يناير 2024", "2024-01-07"),
        ("الأحد ٧ يناير ٢٠٢٤ - ١٠:٣٠ ص", "2024-01-07"),
        ("نشر في ١٤ كانون الثاني ٢٠٢٤", "2024-01-14"),
        ("الأربعاء، 28 آب/اغسطس 2013، آخر تحديث 14:00", "2013-08-28"),
        ("3 جانفي 2024", "2024-01-03"),
        ("12 شتنبر، 2023", "2023-09-12"),
        ("January 7, 2024", "2024-01-07"),
        ("7 January 2024", "2024-01-07"),
        ("نحو 2500 جندي في العراق", None),
        ("7 يناير", None),  # no year: not a publication date
        ("31 فبراير 2024", None),
        ("15 مارس 1850", None),
    ],
)
def test_date_in_text(text: str, expected: str | None) -> None:
    assert date_in_text(text) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Death toll rises to 10 | Spain | The Guardian", "Death toll rises to 10"),
        (
            "معارضون يسيطرون على مخازن للصواريخ بريف دمشق - CNNArabic.com",
            "معارضون يسيطرون على مخازن للصواريخ بريف دمشق",
        ),
        (
            "What is Nato and which countries are in it?",
            "What is Nato and which countries are in it?",
        ),
        (
            "Iraq - the long road home from war - a special report",
            "Iraq - the long road home from war",
        ),
    ],
)
def test_strip_site_name(title: str, expected: str) -> None:
    assert strip_site_name(title) == expected


def test_fill_gaps_restores_inner_paragraphs_only() -> None:
    precise = "First para.\nThird para.\nFifth para."
    balanced = (
        "Menu item\nFirst para.\nSecond para.\nTHE APP\nThird para.\nFourth.\nFifth para.\nFooter"
    )
    merged = fill_gaps(precise, balanced).split("\n")
    assert merged == ["First para.", "Second para.", "Third para.", "Fourth.", "Fifth para."]
    assert fill_gaps("Only here.", "Nothing shared.") == "Only here."


def test_score_page_counts_shingles() -> None:
    gold = "one two three four five"
    assert score_page(gold, gold).f1 == 1.0
    half = score_page("one two three four", gold)
    assert half.precision == 1.0
    assert half.recall == 0.5
    assert score_page("", gold).precision is None


@pytest.mark.parametrize(
    ("line", "dropped"),
    [
        ("٤ دقائق القراءة", True),
        ("time reading icon 4 min", True),
        ("5 min read", True),
        ("اقرأ أيضاً: رئيس الوزراء يلتقي قادة التحالف", True),
        ("إقرأ أيضا: البنتاغون ينفي", True),
        ("تصنيفات: العراق، سوريا", True),
        ("قصص قد تهمك", True),
        ("Read more: Iraq's prime minister moves to end coalition mission", True),
        ("Related: Drone strike hits base in Syria", True),
        ("Also on rt.com Journalists threatened with arrest", True),
        ("Share this article", True),
        ("12 comments", True),
        ("الاثنين 8 كانون الثاني 2024", True),
        # Story sentences that merely contain the same words stay.
        ("Related to the budget, the minister said 2,500 troops would stay.", False),
        ("He told reporters to read more of the report before judging it.", False),
        ("وقال إن القراءة الأولى لمشروع القانون ستجري خلال دقائق من افتتاح الجلسة.", False),
        ("وتنتشر القوات منذ 7 يناير 2024 في ثلاث قواعد بينها عين الأسد وحرير شمال البلاد.", False),
        ("Share prices fell 3% after the announcement on Monday.", False),
    ],
)
def test_boilerplate_lines(line: str, dropped: bool) -> None:
    kept = clean_paragraphs(line, rules_for(""), titles=set(), captions=[])
    assert (kept == []) is dropped


def test_title_and_caption_repeated_in_body_are_dropped() -> None:
    text = "\n".join(
        [
            "Pentagon: no plans to withdraw",
            "The Pentagon said on Monday it had no plans.",
            "A soldier at a base.",
        ]
    )
    kept = clean_paragraphs(
        text,
        rules_for(""),
        titles={fold_key("Pentagon: no plans to withdraw")},
        captions=["A soldier at a base."],
    )
    assert kept == ["The Pentagon said on Monday it had no plans."]


# --- where the publication date comes from (issue 12: never invent a date) ---

_FUTURE_BODY = """<body><article><h1>US keeps troops in Iraq</h1>
<p>The United States has no plans to withdraw its roughly 2,500 troops from Iraq, the Pentagon
said on Monday, a week after Baghdad announced steps to end the coalition's mission.</p>
<p>Washington also keeps about 900 troops in Syria as part of the same coalition, officials said,
adding that attacks on its forces had risen since October.</p></article></body>"""


def _dated_page(head: str) -> str:
    return f'<html lang="en"><head><title>US keeps troops in Iraq</title>{head}</head>{_FUTURE_BODY}</html>'


def _days_ahead(days: int) -> str:
    from datetime import UTC, datetime, timedelta

    return (datetime.now(UTC) + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%S+00:00")


@pytest.mark.parametrize("stated", ["five days ahead", "2099-01-01T10:00:00+00:00"])
def test_a_future_date_the_page_states_is_kept_not_replaced_by_a_guess(stated: str) -> None:
    # The id stays fixed (parallel workers must collect the same tests); the date is made here.
    stated = _days_ahead(5) if stated == "five days ahead" else stated
    # Before: dropped as implausible, then htmldate guessed a date from another week (or none).
    head = f'<meta property="article:published_time" content="{stated}">'
    article = parse_article(_dated_page(head), "https://news.example/2024/world/a.html")
    assert article.published == stated
    assert article.methods["published"] == "meta"


@pytest.mark.parametrize(
    ("head", "url", "expected", "method"),
    [
        (
            '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "x",'
            ' "datePublished": "2024-01-08T10:00:00Z"}</script>',
            "https://news.example/a.html",
            "2024-01-08T10:00:00+00:00",
            "json-ld",
        ),
        (
            '<meta name="pubdate" content="2024-01-08">',
            "https://news.example/a.html",
            "2024-01-08",
            "meta",
        ),
        ("", "https://news.example/world/2024/01/08/troops-iraq", "2024-01-08", "url"),
        ("", "https://news.example/news/2024-01-08-troops-iraq.html", "2024-01-08", "url"),
        ("", "https://news.example/news/troops-iraq-5512", None, None),
    ],
)
def test_published_date_and_where_it_came_from(
    head: str, url: str, expected: str | None, method: str | None
) -> None:
    article = parse_article(_dated_page(head), url)
    assert article.published == expected
    assert article.methods.get("published") == method


def test_a_marked_time_element_is_a_stated_date() -> None:
    html = _dated_page("").replace(
        "<h1>",
        '<time itemprop="datePublished" datetime="2024-01-08T10:00:00+03:00">8 Jan</time><h1>',
    )
    article = parse_article(html, "https://news.example/a.html")
    assert (article.published, article.methods["published"]) == (
        "2024-01-08T10:00:00+03:00",
        "time",
    )
