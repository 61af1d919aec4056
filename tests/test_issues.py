"""Issues: periods, editors' notes, grouping, and the issue pages and feeds of a built site.

Pure parts are checked with tables (exact messages); the site is built with the real
CLI at a pinned time (LABOR_DIGEST_NOW) and read back with html5lib and feedparser.
"""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

import feedparser
import html5lib
import pytest
from conftest import all_files, internal_links, make_site, parse_html
from issuekit import BASE_URL, NOW, SLUGS, STORIES, W49_TITLES, make_issue_site, run, site_files, story
from test_feeds import RFC822, RFC3339, text_of

from generator.config import parse_config
from generator.errors import SiteError
from generator.issues import assemble_issues, parse_note
from generator.load import parse_article
from generator.periods import parse_period, period_of, weeks_in

NY = ZoneInfo("America/New_York")
WEEKLY = parse_config(site_files()["config.yaml"], Path("."))


# --- periods --------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, kind, key, start, end", [
    ("2026-W49", "week", "2026-W49", "2026-11-30T00:00:00-05:00", "2026-12-07T00:00:00-05:00"),
    ("2026-w1", "week", "2026-W01", "2025-12-29T00:00:00-05:00", "2026-01-05T00:00:00-05:00"),
    ("2026-W53", "week", "2026-W53", "2026-12-28T00:00:00-05:00", "2027-01-04T00:00:00-05:00"),
    # The week summer time ends: Monday at -04:00, the next Monday at -05:00.
    ("2026-W44", "week", "2026-W44", "2026-10-26T00:00:00-04:00", "2026-11-02T00:00:00-05:00"),
    ("2026-12", "month", "2026-12", "2026-12-01T00:00:00-05:00", "2027-01-01T00:00:00-05:00"),
    ("2026-3", "month", "2026-03", "2026-03-01T00:00:00-05:00", "2026-04-01T00:00:00-04:00"),
])
def test_periods_start_and_end_at_local_midnight(text, kind, key, start, end):
    period = parse_period(text, kind, NY)
    assert (period.key, period.start.isoformat(), period.end.isoformat()) == (key, start, end)


@pytest.mark.parametrize("text, kind, message", [
    ("2026-W60", "week", "'2026-W60' is not a week: 2026 has weeks 2026-W01 to 2026-W53"),
    ("2027-W53", "week", "'2027-W53' is not a week: 2027 has weeks 2027-W01 to 2027-W52"),
    ("2026-W00", "week", "'2026-W00' is not a week: 2026 has weeks 2026-W01 to 2026-W53"),
    ("2026-13", "month", "'2026-13' is not a month: months are 2026-01 to 2026-12"),
    ("2026-12", "week", "'2026-12' names a month, but issues are weekly (issues.period in config.yaml): name one like 2026-W49"),
    ("2026-W49", "month", "'2026-W49' names a week, but issues are monthly (issues.period in config.yaml): name one like 2026-12"),
    ("december", "week", "'december' is not a week: name one like 2026-W49"),
])
def test_impossible_periods_say_what_is_wrong(text, kind, message):
    with pytest.raises(ValueError) as caught:
        parse_period(text, kind, NY)
    assert str(caught.value) == message


def test_a_moment_belongs_to_the_week_of_the_sites_clock():
    late_sunday = datetime.fromisoformat("2026-12-07T04:30:00+00:00")  # 23:30 on Sunday in New York
    assert period_of(late_sunday, "week", NY).key == "2026-W49"
    assert period_of(late_sunday, "week", ZoneInfo("UTC")).key == "2026-W50"
    assert period_of(late_sunday, "month", NY).key == "2026-12"
    assert (weeks_in(2026), weeks_in(2027), weeks_in(2020)) == (53, 52, 53)


def test_plain_titles_and_spans():
    week = parse_period("2026-W49", "week", NY)
    assert (week.plain_title, week.span_text, week.so_far_title) == ("Week of 30 November 2026", "30 November to 6 December 2026", "This week so far")
    month = parse_period("2026-12", "month", NY)
    assert (month.plain_title, month.span_text, month.so_far_title) == ("December 2026", "1 to 31 December 2026", "This month so far")
    assert parse_period("2026-W53", "week", NY).span_text == "28 December 2026 to 3 January 2027"


# --- notes ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, text, message", [
    ("strikes.md", "Note.", "content/issues/strikes.md: an issue file is named after its week: 'strikes' is not a week: name one like 2026-W49; rename the file"),
    ("2026-W60.md", "Note.", "content/issues/2026-W60.md: an issue file is named after its week: '2026-W60' is not a week: 2026 has weeks 2026-W01 to 2026-W53; rename the file"),
    ("2026-12.md", "Note.", "content/issues/2026-12.md: an issue file is named after its week: '2026-12' names a month, but issues are weekly (issues.period in config.yaml): name one like 2026-W49; rename the file"),
    ("2026-w49.md", "Note.", "content/issues/2026-w49.md: rename the file to 2026-W49.md, the way issues are named"),
    ("2026-W49.md", "---\ntitel: Strikes\n---\n", "content/issues/2026-W49.md:2: unknown key 'titel' (did you mean 'title'?)"),
    ("2026-W49.md", "---\nlead: {a: b}\n---\n", "content/issues/2026-W49.md:2: 'lead' must be a list of article slugs, like 'lead: [nurses-strike, port-deal]'"),
    ("2026-W49.md", "---\nclosed: 2026-12-09T10:00:00-05:00\n---\n",
     "content/issues/2026-W49.md:2: 'closed' is 2026-12-09T10:00:00-05:00, outside 2026-W49 (2026-11-30 to 2026-12-06): fix the date, or delete the line"),
    ("2026-W49.md", "---\nclosed: soon\n---\n", "content/issues/2026-W49.md:2: 'closed' must be a date and time like 2026-12-03T14:00:00-05:00, not 'soon'"),
    ("2026-W49.md", "---\ntitle: [a, b]\n---\n", "content/issues/2026-W49.md:2: 'title' must be text on one line, in quotes if it has a ':'"),
])
def test_bad_notes_say_what_is_wrong_and_how_to_fix_it(name, text, message):
    result = parse_note(f"content/issues/{name}", text, WEEKLY)
    assert [str(p) for p in result] == [message]


def test_a_note_before_the_first_issue_is_an_error():
    config = parse_config(site_files(extra="issues:\n  starts: 2026-12-01\n")["config.yaml"], Path("."))
    result = parse_note("content/issues/2026-W48.md", "Note.", config)
    assert [str(p) for p in result] == [("content/issues/2026-W48.md: 2026-W48 is before the first issue (issues.starts: 2026-12-01): "
                                        "delete the file, or set an earlier issues.starts")]


def test_a_note_may_be_markdown_alone():
    note = parse_note("content/issues/2026-W49.md", "Just a *note*.\n", WEEKLY)
    assert (note.title, note.lead, note.body_md, note.closed) == (None, (), "Just a *note*.", None)


# --- cutting the digest into issues ------------------------------------------------------------------


def articles(config=WEEKLY):
    parsed = [parse_article(f"content/articles/{name}.md", text, config) for name, text in STORIES.items()]
    return sorted((a for a in parsed if not a.draft), key=lambda a: a.sort_key)


def issues_at(now: str = NOW, notes=(), config=WEEKLY):
    issues, problems = assemble_issues(articles(config), list(notes), config, datetime.fromisoformat(now))
    assert problems == []
    return {i.period.key: i for i in issues}, [i.period.key for i in issues]


def note(text: str, name: str = "2026-W49"):
    parsed = parse_note(f"content/issues/{name}.md", text, WEEKLY)
    assert not isinstance(parsed, list), parsed
    return parsed


def test_stories_are_grouped_by_topic_in_config_order_each_once():
    issues, order = issues_at(notes=[note("---\nlead: [nurses-strike-over-staffing]\n---\n")])
    assert order == ["2026-W50", "2026-W49", "2026-W48"]
    w49 = issues["2026-W49"]
    assert w49.lead == (SLUGS["nurses"],)
    assert [(s.topic, s.slugs) for s in w49.sections] == [
        ("unions", (SLUGS["sunday"], SLUGS["old"])),  # newest first; the 2019 story by its own date
        ("return-to-office", (SLUGS["bank"],)),  # under its first topic only, although it is about unions too
        ("layoffs", (SLUGS["plant"],)),
        (None, (SLUGS["untagged"],)),  # "Also in this issue"
    ]
    assert sorted(w49.slugs) == sorted(SLUGS[k] for k in ("nurses", "bank", "plant", "untagged", "old", "sunday"))
    assert (w49.story_count, w49.topic_count, w49.count_text) == (6, 3, "6 stories, 3 topics")
    assert (w49.title, w49.in_progress, w49.closes.isoformat()) == ("Week of 30 November 2026", False, "2026-12-07T00:00:00-05:00")
    assert issues["2026-W50"].in_progress and issues["2026-W50"].shown_title == "This week so far"
    assert issues["2026-W48"].count_text == "1 story, 1 topic"


def test_the_week_in_progress_ends_at_local_midnight_on_sunday():
    issues, _ = issues_at(now="2026-12-13T23:59:59-05:00")
    assert issues["2026-W50"].in_progress
    issues, _ = issues_at(now="2026-12-14T00:00:00-05:00")
    assert not issues["2026-W50"].in_progress


def test_closing_early_sends_later_stories_to_the_next_issue():
    closed = note("---\nclosed: 2026-12-04T12:00:00-05:00\n---\n")
    issues, _ = issues_at(now="2026-12-05T09:00:00-05:00", notes=[closed])
    assert not issues["2026-W49"].in_progress
    assert issues["2026-W49"].closes.isoformat() == "2026-12-04T12:00:00-05:00"
    assert SLUGS["untagged"] not in issues["2026-W49"].slugs  # added at 15:00 that Friday
    assert {SLUGS["untagged"], SLUGS["sunday"]} <= set(issues["2026-W50"].slugs)


def test_monthly_issues_and_a_first_issue():
    monthly = parse_config(site_files(extra="issues:\n  period: month\n  starts: 2026-12-01\n")["config.yaml"], Path("."))
    issues, order = issues_at(config=monthly)
    assert order == ["2026-12"]  # November's story is before the first issue
    assert issues["2026-12"].in_progress and issues["2026-12"].shown_title == "This month so far"
    assert issues["2026-12"].story_count == 7


def test_lead_stories_must_be_the_issues_own():
    bad = note("---\nlead: [nurses-strike-over-stafing, port-workers-ratify-contract]\n---\n")
    _issues, problems = assemble_issues(articles(), [bad], WEEKLY, datetime.fromisoformat(NOW))
    assert [str(p) for p in problems] == [
        ("content/issues/2026-W49.md:2: lead 'nurses-strike-over-stafing' is not an article (did you mean 'nurses-strike-over-staffing'?): "
        "use the slug of one of the issue's stories (its page is articles/<slug>/)"),
        "content/issues/2026-W49.md:2: lead 'port-workers-ratify-contract' is in 2026-W48, not in 2026-W49: lead stories come from the issue's own stories",
    ]


# --- the built site ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("issues")
    site = make_issue_site(root / "site")
    result = run(site, "build", "--out", str(root / "out"))
    assert result.code == 0, result.err
    return root / "out"


def page(out: Path, url: str):
    return parse_html(out / url / "index.html")


def links(el) -> list[tuple[str, str]]:
    return [(text_of(a), a.get("href")) for a in el.iter("a")]


def main_of(doc):
    return next(doc.iter("main"))


def test_the_issues_index_lists_every_issue_newest_first(built):
    main = main_of(page(built, "issues"))
    assert text_of(next(main.iter("h1"))) == "Issues"
    items = [text_of(li) for li in main.iter("li")]
    assert items == ["This week so far 7 to 13 December 2026 · 1 story, 1 topic",
                     "Strikes spread 30 November to 6 December 2026 · 6 stories, 3 topics",
                     "Week of 23 November 2026 23 to 29 November 2026 · 1 story, 1 topic"]
    assert [href for _text, href in links(main) if "/issues/20" in href] == ["/digest/issues/2026-W50/", "/digest/issues/2026-W49/", "/digest/issues/2026-W48/"]


def test_an_issue_page_shows_the_note_the_lead_and_the_topics(built):
    doc = page(built, "issues/2026-W49")
    main = main_of(doc)
    assert text_of(next(main.iter("h1"))) == "Strikes spread"
    assert "6 stories, 3 topics" in text_of(main)
    note = next(el for el in main.iter("div") if el.get("class") == "issue-note")
    assert links(note) == [("the union's statement", "https://union.example/statement"), ("our archive", "../../archive/")]
    headings = [text_of(h) for h in main.iter("h2")]
    assert headings == ["Top stories", "Unions", "Return to office", "Layoffs", "Also in this issue"]
    titles = [text_of(h) for h in main.iter("h3")]
    assert titles == ["Nurses strike over staffing", "Sunday night vote at the depot", "A 2019 walkout, remembered",
                      "Bank orders staff back to the office", "Plant closes, 300 jobs lost", "City council hears from bus drivers"]
    old = next(a for a in main.iter("article") if "2019 walkout" in text_of(a))
    assert "May 1, 2019" in text_of(old)  # its own date, though it reached the digest this week
    nav = next(n for n in main.iter("nav") if n.get("aria-label") == "More issues")
    assert [(a.get("rel"), a.get("href")) for a in nav.iter("a")] == [("prev", "/digest/issues/2026-W48/"), ("next", "/digest/issues/2026-W50/")]
    assert "draft" not in text_of(main).lower()


def test_the_issue_in_progress_is_this_week_so_far(built):
    main = main_of(page(built, "issues/2026-W50"))
    assert text_of(next(main.iter("h1"))) == "This week so far"
    assert "in progress" in text_of(main)
    nav = next(n for n in main.iter("nav") if n.get("aria-label") == "More issues")
    assert [a.get("rel") for a in nav.iter("a")] == ["prev"]


def test_the_home_page_links_the_latest_issue(built):
    main = main_of(page(built, ""))
    found = {href: text for text, href in links(main) if "/issues/" in href}
    assert found == {"/digest/issues/2026-W49/": "Strikes spread", "/digest/issues/2026-W50/": "This week so far", "/digest/issues/": "every issue"}


def test_every_article_page_links_the_issue_it_appeared_in(built):
    expected = {SLUGS["port"]: "2026-W48", SLUGS["warehouse"]: "2026-W50"}
    expected.update({SLUGS[k]: "2026-W49" for k in ("nurses", "bank", "plant", "untagged", "old", "sunday")})
    for slug, key in expected.items():
        doc = page(built, f"articles/{slug}")
        issue_links = [href for _text, href in links(main_of(doc)) if "/issues/" in href]
        assert issue_links == [f"/digest/issues/{key}/"], slug


def test_issue_links_resolve_to_built_pages(built):
    missing = [(page_rel, link) for page_rel, link, target in internal_links(built, BASE_URL)
               if "issues" in link and not (built / target).is_file()]
    assert missing == []


def feed(out: Path, rel: str) -> feedparser.FeedParserDict:
    result = feedparser.parse((out / rel).read_bytes())
    assert not result.bozo, result.get("bozo_exception")
    return result


@pytest.mark.parametrize("rel", ["issues/feed.xml", "issues/atom.xml", "issues/feed.json"])
def test_the_issues_feed_has_one_item_per_closed_issue(built, rel):
    if rel.endswith(".json"):
        data = json.loads((built / rel).read_text())
        assert data["version"] == "https://jsonfeed.org/version/1.1" and data["feed_url"] == BASE_URL + rel
        entries = [(i["title"], i["url"], i["id"], i["date_published"], i["content_html"]) for i in data["items"]]
        assert all(RFC3339.match(e[3]) for e in entries)
    else:
        parsed = feed(built, rel)
        entries = [(e.title, e.link, e.id, e.published, e.content[0].value) for e in parsed.entries]
        assert all((RFC822 if rel.endswith("feed.xml") else RFC3339).match(e[3]) for e in entries)
    # Never the issue in progress; newest first; the whole issue as its content.
    assert [(t, link) for t, link, *_ in entries] == [("Strikes spread", BASE_URL + "issues/2026-W49/"), ("Week of 23 November 2026", BASE_URL + "issues/2026-W48/")]
    assert all(e[2].startswith("urn:uuid:") for e in entries) and len({e[2] for e in entries}) == 2
    content = entries[0][4]
    for title in W49_TITLES:
        assert title in content
    assert "A week of <strong>walkouts</strong>" in content
    hrefs = [a.get("href") for a in html5lib.parseFragment(content, namespaceHTMLElements=False).iter("a")]
    assert hrefs and all(h.startswith(("https://", "http://")) for h in hrefs), hrefs


def test_issue_feed_dates_are_when_the_issue_closed_with_the_offset(built):
    atom = ET.parse(built / "issues/atom.xml").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    published = [e.findtext("a:published", namespaces=ns) for e in atom.findall("a:entry", ns)]
    assert published == ["2026-12-07T00:00:00-05:00", "2026-11-30T00:00:00-05:00"]
    assert atom.findtext("a:updated", namespaces=ns) == "2026-12-07T00:00:00-05:00"
    rss = ET.parse(built / "issues/feed.xml").getroot()
    assert [i.findtext("pubDate") for i in rss.iter("item")] == ["Mon, 07 Dec 2026 00:00:00 -0500", "Mon, 30 Nov 2026 00:00:00 -0500"]


def test_issue_feed_links_resolve_to_built_pages(built):
    content = feed(built, "issues/atom.xml").entries[0].content[0].value
    fragment = html5lib.parseFragment(content, namespaceHTMLElements=False)
    for a in fragment.iter("a"):
        href = a.get("href")
        if href.startswith(BASE_URL):
            target = href[len(BASE_URL):]
            assert (built / (target + "index.html" if target.endswith("/") or not target else target)).is_file(), href


def test_the_opml_and_the_issues_pages_announce_the_issues_feed(built):
    outlines = ET.parse(built / "topics/feeds.opml").getroot().findall("body/outline")
    assert BASE_URL + "issues/feed.xml" in [o.get("xmlUrl") for o in outlines]
    for url in ("issues", "issues/2026-W49", "issues/2026-W50"):
        head = next(page(built, url).iter("head"))
        found = {(link.get("type"), link.get("href")) for link in head.iter("link") if link.get("rel") == "alternate"}
        assert {("application/rss+xml", "/digest/issues/feed.xml"), ("application/atom+xml", "/digest/issues/atom.xml"),
                ("application/feed+json", "/digest/issues/feed.json")} <= found, url


def ids(out: Path) -> dict[str, str]:
    return {e.link.rsplit("/issues/", 1)[1]: e.id for e in feed(out, "issues/feed.xml").entries}


def test_issue_ids_survive_a_new_address_title_and_stories(tmp_path):
    site = make_issue_site(tmp_path / "site")
    assert run(site, "build", "--out", str(tmp_path / "one")).code == 0
    before = ids(tmp_path / "one")
    shutil.rmtree(site)
    files = site_files(base_url="https://news.example.net/", note="---\ntitle: Strikes spread everywhere\n---\n")
    files.pop("content/articles/plant.md")
    make_site(site, files)
    assert run(site, "build", "--out", str(tmp_path / "two")).code == 0
    after = ids(tmp_path / "two")
    assert after == before and len(after) == 2
    assert feed(tmp_path / "two", "issues/atom.xml").entries[0].title == "Strikes spread everywhere"


def test_an_issue_joins_the_feed_when_its_week_is_over(tmp_path):
    site = make_issue_site(tmp_path / "site")
    out = tmp_path / "out"
    assert run(site, "build", "--out", str(out)).code == 0
    assert "2026-W50/" not in json.dumps(json.loads((out / "issues/feed.json").read_text()))
    later = run(site, "build", "--out", str(out), now="2026-12-14T08:00:00-05:00")  # nothing changed but the clock
    assert later.code == 0 and "0 files written" not in later.out
    assert next(i["url"] for i in json.loads((out / "issues/feed.json").read_text())["items"]) == BASE_URL + "issues/2026-W50/"
    assert text_of(next(page(out, "issues/2026-W50").iter("h1"))) == "Week of 7 December 2026"
    cold = tmp_path / "cold"
    assert run(site, "build", "--no-cache", "--out", str(cold), now="2026-12-14T08:00:00-05:00").code == 0
    assert all_files(out) == all_files(cold)


def test_a_rebuild_with_nothing_changed_writes_nothing(tmp_path):
    site = make_issue_site(tmp_path / "site")
    out = tmp_path / "out"
    assert run(site, "build", "--out", str(out)).code == 0
    again = run(site, "build", "--out", str(out), now="2026-12-10T08:00:00-05:00")  # later the same week
    assert again.code == 0 and "0 files written" in again.out, again.out


@pytest.mark.parametrize("change", ["edit the note", "add a story this week", "retag a story", "delete the note", "close the week early"])
def test_incremental_builds_match_cold_builds(tmp_path, change):
    site = make_issue_site(tmp_path / "site")
    out = tmp_path / "out"
    assert run(site, "build", "--out", str(out)).code == 0
    notes = site / "content/issues/2026-W49.md"
    if change == "edit the note":
        notes.write_text(notes.read_text().replace("Strikes spread", "Strikes spread fast"))
    elif change == "add a story this week":
        (site / "content/articles/new.md").write_text(story("Drivers win a raise", "2026-12-09T09:00:00-05:00", "[unions]"))
    elif change == "retag a story":
        bank = site / "content/articles/bank.md"
        bank.write_text(bank.read_text().replace("[return-to-office, unions]", "[unions]"))
    elif change == "delete the note":
        notes.unlink()
    else:
        assert run(site, "issue", "--close").code == 0
    result = run(site, "build", "--out", str(out))
    assert result.code == 0, result.err
    cold = tmp_path / "cold"
    assert run(site, "build", "--no-cache", "--out", str(cold)).code == 0
    assert all_files(out) == all_files(cold)


def test_issue_problems_stop_the_build_with_every_message(tmp_path):
    files = site_files(note="---\ntitle: Strikes\nlead: [no-such-story]\n---\n")
    files["content/issues/week-49.md"] = "Note."
    site = make_site(tmp_path / "site", files)
    result = run(site, "build", "--out", str(tmp_path / "out"))
    assert result.code == 1 and "Traceback" not in result.err
    assert result.err.splitlines() == [
        "error: content/issues/week-49.md: an issue file is named after its week: 'week-49' is not a week: name one like 2026-W49; rename the file",
        "1 problem; nothing was written.",
    ]
    (site / "content/issues/week-49.md").unlink()
    result = run(site, "build", "--out", str(tmp_path / "out"))
    assert result.err.splitlines() == [
        "error: content/issues/2026-W49.md:3: lead 'no-such-story' is not an article: use the slug of one of the issue's stories (its page is articles/<slug>/)",
        "1 problem; nothing was written.",
    ]
    assert not (tmp_path / "out").exists()


def test_an_unknown_issues_key_is_an_error(tmp_path):
    with pytest.raises(SiteError) as caught:
        parse_config(site_files(extra="issues:\n  perod: month\n")["config.yaml"], Path("."))
    assert [str(p) for p in caught.value.problems] == ["config.yaml:26: unknown key 'perod' in issues (did you mean 'period'?)"]


def test_the_sitemap_lists_the_issues(built):
    sitemap = (built / "sitemap.xml").read_text()
    for url in ("issues/", "issues/2026-W48/", "issues/2026-W49/", "issues/2026-W50/"):
        assert f"<loc>{urljoin(BASE_URL, url)}</loc>" in sitemap


def test_digest_check_reports_issue_problems_as_a_build_does(tmp_path):
    site = make_site(tmp_path / "site", site_files(note="---\nlead: [no-such-story]\n---\n"))
    result = run(site, "check")
    assert result.code == 1
    assert ("error: content/issues/2026-W49.md:2: lead 'no-such-story' is not an article: use the slug of one of the issue's stories "
            "(its page is articles/<slug>/)") in result.out.splitlines()
