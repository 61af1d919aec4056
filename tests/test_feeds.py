"""Feeds: RSS 2.0, Atom 1.0 and JSON Feed 1.1 for the digest and each topic, read as a feed reader would.

Every feed the build writes is parsed three ways (xml.etree for well-formedness,
feedparser with bozo 0, json for JSON Feed) and each item is checked against its
article's page: title, link, id, date, topics, content.
"""

from __future__ import annotations

import calendar
import html
import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest
from conftest import all_files, build_site, make_site, parse_html, sample_files

NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
RFC822 = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$")

HOSTILE_TITLE = "Bosses & <b>unions</b> ]]> say \"no\" 'twice' 🎉 — עובדים מתאגדים \u202eevil\u202c"
CONTROL_TITLE = "Control\x01 chars\x0b here \\x02 \\u0000 \\uFFFE end"  # raw controls, and YAML escapes that decode to them


def hostile_files(base_url: str = "https://example.org/") -> dict[str, str]:
    files = sample_files(base_url)
    files["content/articles/hostile.md"] = (
        "---\n"
        f"title: {json.dumps(HOSTILE_TITLE, ensure_ascii=False)}\n"
        "summary: \"Summary with <i>markup</i> & ]]> and </script><script>alert(1)</script>\"\n"
        "authors: ['Ana <b>Ruiz</b>', 'Bo & Co']\n"
        "publication: 'The <Daily> & Worker'\n"
        "slug: hostile\n"
        "date: 2024-03-07T08:00:00+02:00\n"
        "tags: [unions, return-to-office]\n"
        "source_url: https://news.example.com/story?a=1&b=2\n"
        "republish: full\n"
        "id: urn:uuid:6a1c2b0e-0000-4000-8000-0000000000ff\n"
        "---\n\n"
        "Text with & and <script>alert(2)</script> and ]]> and ]]&gt; and a <img src=x onerror=alert(3)>.\n\n"
        "Control refs &#1; &#x1F; &#xFFFE; &#0; and raw \x02 \x7f here. Emoji 🎉 and עברית.\n\n"
        "![chart](images/chart.png) [relative](../rto-mandate/) [root](/topics/unions/) [other](https://example.com/x?a=1&b=2)\n\n"
        "```\n<a href=\"/code-sample\">a code sample is text</a>\n```\n"
    )
    files["content/articles/control.md"] = (
        "---\n"
        f'title: "{CONTROL_TITLE}"\n'
        "date: 2024-03-06\n"
        "tags: [unions]\n"
        "republish: full\n"
        "id: urn:uuid:6a1c2b0e-0000-4000-8000-0000000000fe\n"
        "---\n\n"
        "Body \\u0001 kept as text.\n"
    )
    return files


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[Path, str]:
    base_url = "https://example.org/digest/"
    root = tmp_path_factory.mktemp("feeds")
    built = build_site(make_site(root / "site", hostile_files(base_url)), root / "out")
    assert built.code == 0, built.stderr
    return built.out, base_url


def feed_paths(out: Path) -> list[str]:
    return sorted(p for p in all_files(out) if p.endswith(("feed.xml", "atom.xml", "feed.json")))


def parsed(out: Path, rel: str) -> feedparser.FeedParserDict:
    data = (out / rel).read_bytes()
    result = feedparser.parse(data)
    assert not result.bozo, (rel, result.get("bozo_exception"))
    return result


def text_of(el) -> str:
    return re.sub(r"\s+", " ", "".join(el.itertext())).strip()


def page_of(out: Path, base_url: str, link: str):
    assert link.startswith(base_url), link
    return parse_html(out / link[len(base_url) :] / "index.html")


# --- what is written ----------------------------------------------------------------------------


def test_feeds_for_the_digest_and_every_topic_in_use(hostile):
    out, _ = hostile
    assert feed_paths(out) == sorted(
        f"{prefix}{name}" for prefix in ("", "issues/", "topics/unions/", "topics/return-to-office/") for name in ("feed.xml", "atom.xml", "feed.json")
    )


def test_every_feed_is_well_formed(hostile):
    out, _ = hostile
    for rel in feed_paths(out):
        data = (out / rel).read_bytes()
        if rel.endswith(".json"):
            json.loads(data)
        else:
            ET.fromstring(data)
            assert not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]", data), rel
        assert "\ufffe".encode() not in data and b"&#1;" not in data and b"&#0;" not in data
    ET.fromstring((out / "topics/feeds.opml").read_bytes())


def test_characters_xml_forbids_are_removed(hostile):
    out, _ = hostile
    for rel in ("feed.xml", "atom.xml"):
        titles = [e.title for e in parsed(out, rel).entries]
        assert "Control chars here \\x02 \\u0000 \\uFFFE end" not in titles  # the YAML escapes were decoded...
        assert "Control chars here    end" in titles, titles  # ...and what they decoded to removed
    for path in out.rglob("*.html"):
        assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", path.read_text()), path


# --- RSS ---------------------------------------------------------------------------------------------


def test_rss_channel(hostile):
    out, base_url = hostile
    root = ET.parse(out / "feed.xml").getroot()
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel.findtext("title") == "Labor Digest"
    assert channel.findtext("link") == base_url
    assert channel.findtext("description") == "News about work and workers, by topic."
    assert channel.findtext("language") == "en"
    self_link = channel.find("atom:link", NS)
    assert (self_link.get("rel"), self_link.get("href"), self_link.get("type")) == ("self", base_url + "feed.xml", "application/rss+xml")
    items = channel.findall("item")
    newest = max(parsedate_to_datetime(i.findtext("pubDate")) for i in items)
    assert parsedate_to_datetime(channel.findtext("lastBuildDate")) == newest  # from the items, not the clock
    topic = ET.parse(out / "topics/unions/feed.xml").getroot().find("channel")
    assert topic.findtext("title") == "Labor Digest: Unions"
    assert topic.findtext("link") == base_url + "topics/unions/"
    assert topic.find("atom:link", NS).get("href") == base_url + "topics/unions/feed.xml"


def test_rss_items(hostile):
    out, base_url = hostile
    for rel in ("feed.xml", "topics/unions/feed.xml"):
        for item in ET.parse(out / rel).getroot().iter("item"):
            guid = item.find("guid")
            assert guid.get("isPermaLink") == "false" and guid.text.startswith("urn:uuid:")
            assert RFC822.match(item.findtext("pubDate")), item.findtext("pubDate")
            assert item.findtext("link").startswith(base_url)
            assert item.findtext("content:encoded", namespaces=NS)
            for category in item.findall("category"):
                assert category.get("domain").startswith(base_url + "topics/")


def test_rss_item_description_is_the_summary_as_text(hostile):
    out, _ = hostile
    entry = next(e for e in parsed(out, "feed.xml").entries if e.link.endswith("/hostile/"))
    # RSS descriptions are HTML: the summary's '<' must arrive as text, never as a tag.
    assert entry.summary_detail.type == "text/html"
    assert html.unescape(entry.summary) == "Summary with <i>markup</i> & ]]> and </script><script>alert(1)</script>"


# --- Atom --------------------------------------------------------------------------------------------


def test_atom_feed(hostile):
    out, base_url = hostile
    root = ET.parse(out / "atom.xml").getroot()
    a = lambda name: f"{{{NS['atom']}}}{name}"
    assert root.tag == a("feed")
    assert root.findtext(a("title")) == "Labor Digest"
    assert root.findtext(a("id"))
    links = {(link.get("rel"), link.get("href")) for link in root.findall(a("link"))}
    assert ("self", base_url + "atom.xml") in links and ("alternate", base_url) in links
    assert root.find(a("author")).findtext(a("name"))  # RFC 4287: an author for the feed covers every entry
    entries = root.findall(a("entry"))
    assert entries
    updated = [datetime.fromisoformat(e.findtext(a("updated"))) for e in entries]
    assert datetime.fromisoformat(root.findtext(a("updated"))) == max(updated)
    for entry in entries:
        for name in ("id", "title", "updated", "published"):
            assert entry.findtext(a(name)), name
        assert RFC3339.match(entry.findtext(a("updated"))) and RFC3339.match(entry.findtext(a("published")))
        assert next(link.get("href") for link in entry.findall(a("link")) if link.get("rel") == "alternate").startswith(base_url)
        assert entry.find(a("content")).get("type") == "html"
    ids = [e.findtext(a("id")) for e in entries]
    assert len(ids) == len(set(ids))


# --- JSON Feed ----------------------------------------------------------------------------------------


def test_json_feed(hostile):
    out, base_url = hostile
    for rel in ("feed.json", "topics/unions/feed.json"):
        data = json.loads((out / rel).read_text(encoding="utf-8"))
        assert data["version"] == "https://jsonfeed.org/version/1.1"
        assert data["title"] and isinstance(data["items"], list) and data["items"]
        assert data["feed_url"] == base_url + rel
        assert data["home_page_url"].startswith(base_url)
        for item in data["items"]:
            assert isinstance(item["id"], str) and item["id"]
            assert item.get("content_html") or item.get("content_text")
            assert item["url"].startswith(base_url)
            assert RFC3339.match(item["date_published"])
    hostile_item = next(i for i in json.loads((out / "feed.json").read_text())["items"] if i["url"].endswith("/hostile/"))
    assert hostile_item["external_url"] == "https://news.example.com/story?a=1&b=2"
    assert hostile_item["title"] == HOSTILE_TITLE
    assert [a["name"] for a in hostile_item["authors"]] == ["Ana <b>Ruiz</b>", "Bo & Co"]


# --- each item against its article ---------------------------------------------------------


def story_body_html(page):
    """The page's published body: what the feed must carry, with URLs made absolute."""
    return next(el for el in page.iter("div") if el.get("class") == "story-body")


@pytest.mark.parametrize("rel", ["feed.xml", "atom.xml", "topics/unions/feed.xml", "topics/unions/atom.xml", "topics/return-to-office/atom.xml"])
def test_each_item_matches_its_article(hostile, rel):
    out, base_url = hostile
    feed = parsed(out, rel)
    assert feed.entries
    for entry in feed.entries:
        page = page_of(out, base_url, entry.link)
        h1 = text_of(next(page.iter("h1")))
        assert " ".join(entry.title.split()) == h1
        ld = json.loads(next(s for s in page.iter("script") if s.get("type") == "application/ld+json").text)
        assert entry.id.startswith("urn:uuid:")
        assert calendar.timegm(entry.published_parsed) == datetime.fromisoformat(ld["datePublished"]).timestamp()
        page_topics = sorted(text_of(a) for ul in page.iter("ul") if ul.get("class") == "topics" for a in ul.iter("a"))
        feed_topics = sorted((t.label if rel.endswith("atom.xml") else t.term) for t in entry.get("tags", []))
        assert feed_topics == page_topics
        # Content: the page's published body, every URL absolute, the outlet credited.
        content = entry.content[0].value
        page_body = story_body_html(page)
        page_text = " ".join(text_of(p) for p in page_body if p.get("class") != "excerpt-note")
        feed_html = html5lib_fragment(content)
        feed_text = " ".join(text_of(p) for p in feed_html)
        assert feed_text.endswith(page_text), (feed_text, page_text)
        page_links = [urljoin(entry.link, el.get(attr)) for el in page_body.iter() for attr in ("href", "src") if el.get(attr)]
        feed_links = [el.get(attr) for el in feed_html.iter() for attr in ("href", "src") if el.get(attr)]
        assert all(urlsplit(link).scheme in ("http", "https") for link in feed_links), feed_links
        assert set(page_links) <= set(feed_links)
        credit = next((el for el in page.iter("p") if el.get("class") == "kicker"), None)
        if credit is not None:
            outlet = text_of(credit).split(" · ")[0]
            assert f"Originally published by {outlet}." in feed_text


def html5lib_fragment(fragment: str):
    import html5lib

    return html5lib.parseFragment(fragment, namespaceHTMLElements=False)


def test_feed_dates_carry_the_time_zone(hostile):
    out, _ = hostile
    rss = {i.findtext("link"): i.findtext("pubDate") for i in ET.parse(out / "feed.xml").getroot().iter("item")}
    hostile_date = next(v for k, v in rss.items() if k.endswith("/hostile/"))
    assert parsedate_to_datetime(hostile_date) == datetime.fromisoformat("2024-03-07T08:00:00+02:00")
    undated = next(v for k, v in rss.items() if k.endswith("/warehouse-union-vote-set/"))
    assert undated == "Fri, 01 Mar 2024 00:00:00 -0500"  # 'added', in the site's time zone


def test_hostile_item_survives_every_format(hostile):
    out, _ = hostile
    for rel in ("feed.xml", "atom.xml"):
        entry = next(e for e in parsed(out, rel).entries if e.link.endswith("/hostile/"))
        assert entry.title == HOSTILE_TITLE
        assert [a.name for a in entry.authors] == ["Ana <b>Ruiz</b>", "Bo & Co"]
        content = entry.content[0].value
        assert "<script" not in content and "onerror" not in content
        assert "]]>" in html.unescape(content) and "🎉" in content and "עברית" in content
        assert 'href="https://example.org/digest/articles/rto-mandate/"' in content  # relative links resolve against the page...
        assert 'src="https://example.org/digest/articles/hostile/images/chart.png"' in content  # ...as the page resolves them
        assert 'href="https://example.org/topics/unions/"' in content
        assert 'href="https://example.com/x?a=1&amp;b=2"' in content
        assert '&lt;a href="/code-sample"&gt;' in content  # text that looks like a link stays as the page shows it


def test_feed_items_newest_first_and_limited(tmp_path):
    files = sample_files()
    files["config.yaml"] = files["config.yaml"].replace("feed_items: 20", "feed_items: 2")
    built = build_site(make_site(tmp_path / "site", files), tmp_path / "out")
    assert built.code == 0, built.stderr
    for rel in ("feed.xml", "atom.xml"):
        titles = [e.title for e in parsed(built.out, rel).entries]
        assert titles == ["Nurses strike over staffing", "Warehouse union vote set"]
    data = json.loads((built.out / "feed.json").read_text())
    assert [i["title"] for i in data["items"]] == ["Nurses strike over staffing", "Warehouse union vote set"]
    unions = [e.title for e in parsed(built.out, "topics/unions/feed.xml").entries]
    assert unions == ["Nurses strike over staffing", "Warehouse union vote set"]


def test_excerpt_feed_content_is_what_the_page_publishes(sample_site):
    entry = next(e for e in parsed(sample_site.out, "feed.xml").entries if "nurses" in e.link)
    content = entry.content[0].value
    assert "Paragraph 1 " in content and "Paragraph 12" not in content
    assert '<a href="https://news.example.com/nurses-strike">Read the full story at The Daily Worker</a>' in content
    assert content.startswith('<p>Originally published by <a href="https://news.example.com/nurses-strike">The Daily Worker</a>.</p>')


# --- discovery ------------------------------------------------------------------------------------


def alternates(page) -> list[tuple[str, str]]:
    head = next(page.iter("head"))
    return [(link.get("type"), link.get("href")) for link in head.iter("link") if link.get("rel") == "alternate"]


def test_every_page_announces_the_site_feeds(hostile):
    out, _ = hostile
    site_feeds = {
        ("application/rss+xml", "/digest/feed.xml"),
        ("application/atom+xml", "/digest/atom.xml"),
        ("application/feed+json", "/digest/feed.json"),
    }
    for path in out.rglob("*.html"):
        assert site_feeds <= set(alternates(parse_html(path))), path
    topic = set(alternates(parse_html(out / "topics/unions/index.html")))
    assert {
        ("application/rss+xml", "/digest/topics/unions/feed.xml"),
        ("application/atom+xml", "/digest/topics/unions/atom.xml"),
        ("application/feed+json", "/digest/topics/unions/feed.json"),
    } <= topic
    for rel in ("topics/unions/feed.xml", "topics/unions/atom.xml", "topics/unions/feed.json"):
        assert (out / rel).is_file()


def test_home_and_topic_pages_show_subscribe_links(hostile):
    out, _ = hostile
    for rel, feed in (("index.html", "/digest/feed.xml"), ("topics/unions/index.html", "/digest/topics/unions/feed.xml")):
        page = parse_html(out / rel)
        main = next(page.iter("main"))
        assert feed in [a.get("href") for a in main.iter("a")], rel


def test_opml_lists_the_site_feed_and_every_topic_feed(hostile):
    out, base_url = hostile
    root = ET.parse(out / "topics/feeds.opml").getroot()
    assert root.tag == "opml" and root.get("version") == "2.0"
    outlines = root.findall("body/outline")
    assert {o.get("xmlUrl") for o in outlines} == {base_url + "feed.xml", base_url + "issues/feed.xml", base_url + "topics/unions/feed.xml",
                                                  base_url + "topics/return-to-office/feed.xml"}
    assert all(o.get("type") == "rss" and o.get("text") and o.get("htmlUrl").startswith(base_url) for o in outlines)
    topics_index = parse_html(out / "topics/index.html")
    assert "/digest/topics/feeds.opml" in [a.get("href") for a in topics_index.iter("a")]


# --- stability -------------------------------------------------------------------------------------


def test_feeds_identical_across_two_builds(tmp_path):
    site = make_site(tmp_path / "site", hostile_files())
    one = build_site(site, tmp_path / "one", "--no-cache")
    two = build_site(site, tmp_path / "two", "--no-cache")
    assert one.code == two.code == 0
    a, b = all_files(one.out), all_files(two.out)
    feeds = [p for p in a if p.endswith((".xml", ".json", ".opml"))]
    assert len(feeds) >= 10
    assert [p for p in feeds if a[p] != b[p]] == []


def ids_by_title(out: Path) -> dict[str, str]:
    return {e.title: e.id for e in parsed(out, "feed.xml").entries}


@pytest.mark.parametrize("with_id", [True, False])
def test_id_survives_a_change_of_title_slug_and_base_url(tmp_path, with_id):
    files = sample_files()
    text = files["content/articles/old-news.md"]
    if not with_id:
        text = "\n".join(line for line in text.splitlines() if not line.startswith("id:")) + "\n"
    files["content/articles/old-news.md"] = text
    site = make_site(tmp_path / "site", files)
    before = build_site(site, tmp_path / "before")
    assert before.code == 0, before.stderr
    old_id = ids_by_title(before.out)["Old news from January"]
    atom_before = {e.title: e.id for e in parsed(before.out, "atom.xml").entries}["Old news from January"]
    json_before = {i["title"]: i["id"] for i in json.loads((before.out / "feed.json").read_text())["items"]}["Old news from January"]
    assert old_id == atom_before == json_before

    changed = text.replace("title: Old news from January", "title: A new headline\nslug: renamed-story")
    (site / "content/articles/old-news.md").write_text(changed)
    config = site / "config.yaml"
    config.write_text(config.read_text().replace("base_url: https://example.org/", "base_url: https://news.example.net/digest/"))
    after = build_site(site, tmp_path / "after")
    assert after.code == 0, after.stderr
    entry = next(e for e in parsed(after.out, "feed.xml").entries if e.title == "A new headline")
    assert entry.link == "https://news.example.net/digest/articles/renamed-story/"
    assert entry.id == old_id
    assert {e.title: e.id for e in parsed(after.out, "atom.xml").entries}["A new headline"] == old_id


def test_articles_without_prose_leave_no_empty_elements(tmp_path):
    files = sample_files()
    files["content/articles/heading.md"] = "---\ntitle: Only a heading\ndate: 2024-04-01\n---\n\n## Heading\n"
    files["content/articles/empty.md"] = "---\ntitle: Nothing but a title\ndate: 2024-04-02\n---\n"
    built = build_site(make_site(tmp_path / "site", files), tmp_path / "out")
    assert built.code == 0, built.stderr
    for rel in ("feed.xml", "atom.xml"):
        root = ET.parse(built.out / rel).getroot()
        empty = [el.tag for el in root.iter() if el.tag.split("}")[-1] in ("description", "summary", "content", "encoded") and not (el.text or "").strip()]
        assert empty == [], rel
        entry = next(e for e in parsed(built.out, rel).entries if e.title == "Nothing but a title")
        assert entry.summary == "Nothing but a title"
    item = next(i for i in json.loads((built.out / "feed.json").read_text())["items"] if i["title"] == "Only a heading")
    assert item["content_html"] == "<h2>Heading</h2>" and "summary" not in item


def test_an_empty_digest_has_well_formed_feeds(tmp_path):
    built = build_site(make_site(tmp_path / "site", {"config.yaml": sample_files()["config.yaml"]}), tmp_path / "out")
    assert built.code == 0, built.stderr
    assert feed_paths(built.out) == ["atom.xml", "feed.json", "feed.xml", "issues/atom.xml", "issues/feed.json", "issues/feed.xml"]
    for rel in ("feed.xml", "atom.xml", "issues/feed.xml", "issues/atom.xml"):
        assert parsed(built.out, rel).entries == []
    for rel in ("feed.json", "issues/feed.json"):
        assert json.loads((built.out / rel).read_text())["items"] == []
    assert ET.parse(built.out / "topics/feeds.opml").getroot().findall("body/outline")[0].get("xmlUrl") == "https://example.org/feed.xml"
