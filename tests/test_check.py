"""`digest check`: what a build would refuse, reported as the build reports it, plus what a reader
would hit; one line per problem, a summary line, exit 1 when publishing is blocked, no site written."""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
from pathlib import Path

import feedparser
import pytest
from conftest import DEFAULT_THEME, all_files, build_site, internal_links, make_site, sample_files

from generator.cli import main
from generator.feedcheck import output_problems, readable
from generator.links import LinkReader
from generator.pages import Pages

CASES = Path(__file__).parent / "sites" / "invalid"


def run_check(site: Path, *args: str) -> tuple[int, list[str], str]:
    """`digest check` in the site folder: (exit status, lines on stdout, stderr)."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.chdir(site), contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(["check", "--config", "config.yaml", *args])
    return code, stdout.getvalue().splitlines(), stderr.getvalue()


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_reports_every_content_and_config_error_exactly_as_the_build(tmp_path, case):
    site = tmp_path / "site"
    shutil.copytree(CASES / case, site, ignore=shutil.ignore_patterns("expected.txt"))
    before = all_files(site)
    code, lines, err = run_check(site)
    build_lines = (CASES / case / "expected.txt").read_text(encoding="utf-8").splitlines()[:-1]  # less "nothing was written"
    assert code == 1 and err == ""
    assert lines[:-1] == build_lines
    assert lines[-1].startswith(f"{len(build_lines)} error{'s' if len(build_lines) != 1 else ''} in the settings, articles or theme")
    assert all_files(site) == before  # nothing written, not even the build cache


def test_a_clean_site_is_ready_and_nothing_is_written_but_the_cache(tmp_path):
    files = sample_files()
    for rel in ("content/articles/undated.md", "content/articles/old-news.md"):
        files[rel] = files[rel].replace("\n---\n", "\nsource_url: https://news.example.com/story\n---\n", 1)
    site = make_site(tmp_path / "site", files)
    code, lines, err = run_check(site)
    assert (code, err) == (0, "")
    assert re.fullmatch(r"checked 4 articles and \d+ outputs in [0-9.]+s: 0 errors, 0 warnings; ready to publish", lines[-1]), lines[-1]
    assert lines[:-1] == []
    written = {rel for rel in all_files(site) if rel not in files}
    assert written and all(rel.startswith(".digest-cache/") for rel in written)
    assert run_check(site)[1][:-1] == []  # and again from the cache


def test_open_review_items_and_missing_source_urls_are_warnings_that_strict_turns_into_blockers(tmp_path):
    files = sample_files()
    files["content/articles/undated.md"] = files["content/articles/undated.md"].replace("tags: [unions]\n", "tags: [unions]\nreview: [date, authors]\n")
    site = make_site(tmp_path / "site", files)
    code, lines, _err = run_check(site)
    assert lines[:-1] == [
        "warning: content/articles/old-news.md: no 'source_url': readers cannot reach the original story; add 'source_url: https://...'",
        "warning: content/articles/undated.md: no 'source_url': readers cannot reach the original story; add 'source_url: https://...'",
        "warning: content/articles/undated.md:5: open review items: check date, authors, then remove them from 'review:'",
    ]
    assert code == 0 and lines[-1].endswith(": 0 errors, 3 warnings; ready to publish (warnings block it only with --strict)")
    code, strict_lines, _err = run_check(site, "--strict")
    assert code == 1 and strict_lines[:-1] == lines[:-1]
    assert strict_lines[-1].endswith(": 0 errors, 3 warnings; not ready to publish: fix the warnings (--strict) above")


def test_drafts_are_checked_only_with_drafts(tmp_path):
    site = make_site(tmp_path / "site", sample_files())
    draft_line = "warning: content/articles/draft.md: no 'source_url': readers cannot reach the original story; add 'source_url: https://...'"
    assert draft_line not in run_check(site)[1]
    assert draft_line in run_check(site, "--drafts")[1]


def test_notes_name_articles_whose_feed_id_is_derived(tmp_path):
    files = sample_files()
    files["content/articles/old-news.md"] = files["content/articles/old-news.md"].replace("id: urn:uuid:6a1c2b0e-0000-4000-8000-000000000004\n", "")
    code, lines, _err = run_check(make_site(tmp_path / "site", files))
    assert "note: content/articles/old-news.md: no 'id:'; its feed id is derived from the file name and changes if the file is renamed" in lines
    assert code == 0 and lines[-1].endswith("2 warnings; ready to publish (warnings block it only with --strict)")  # a note is no warning


# --- links ------------------------------------------------------------------------------------


@pytest.mark.parametrize("base_url", ["https://example.org/", "https://example.org/digest/"])
def test_links_are_read_as_a_browser_reads_them(tmp_path, base_url):
    """Every page's internal links, read by the check, are the ones html5lib finds, leading to the same files."""
    from test_feeds import hostile_files

    built = build_site(make_site(tmp_path / "site", hostile_files(base_url)), tmp_path / "out")
    assert built.code == 0, built.stderr
    reader = LinkReader(base_url)
    ours = set()
    for page in sorted(built.out.rglob("*.html")):
        rel = page.relative_to(built.out).as_posix()
        for raw, target in reader.read(rel, page.read_bytes()).links:
            if not raw.startswith("#"):
                ours.add((rel, raw, target.partition("#")[0]))
    # internal_links writes a target outside the site as '../' + its path from the host's root
    browser = {(page, link.strip(), target.replace("..//", "../", 1)) for page, link, target in internal_links(built.out, base_url)}
    assert ours == browser and len(ours) > 100


def test_body_links_that_lead_nowhere_are_errors_at_their_line(tmp_path):
    files = sample_files("https://example.org/digest/")
    files["content/articles/rto-mandate.md"] = files["content/articles/rto-mandate.md"].replace(
        "Workers were not pleased.",
        "Workers were not pleased.\n\nSee [the strike](../nurses-strike-over-stafing/), [the vote](../warehouse-union-vote-set/#top),\n"
        "[the topics](/topics/) and [the memo](memo.pdf), or [search](../../search/?q=bank).")
    code, lines, _err = run_check(make_site(tmp_path / "site", files))
    source = "content/articles/rto-mandate.md"
    assert lines[:-1] == [
        (f"error: {source}:18: link '../nurses-strike-over-stafing/' leads to nothing: the site has no articles/nurses-strike-over-stafing/ "
        "(did you mean 'articles/nurses-strike-over-staffing/'?)"),
        f"error: {source}:19: link 'memo.pdf' leads to nothing: the site has no articles/bank-orders-staff-back-to-the-office/memo.pdf",
        "warning: content/articles/old-news.md: no 'source_url': readers cannot reach the original story; add 'source_url: https://...'",
        f"warning: {source}:18: link '../warehouse-union-vote-set/#top' leads to articles/warehouse-union-vote-set/, which has no element with id 'top'",
        f"warning: {source}:19: link '/topics/' leaves the site: /topics/ is outside https://example.org/digest/, which this build does not make",
        "warning: content/articles/undated.md: no 'source_url': readers cannot reach the original story; add 'source_url: https://...'",
    ]
    assert code == 1 and lines[-1].endswith("2 errors, 4 warnings; not ready to publish: fix the errors above")


def theme_site(tmp_path: Path, templates: dict[str, str]) -> Path:
    files = sample_files()
    files["config.yaml"] += "theme: mine\n"
    files.update({f"themes/mine/templates/{name}": text for name, text in templates.items()})
    return make_site(tmp_path / "site", files)


def test_a_theme_link_that_leads_nowhere_is_one_error_for_all_its_pages(tmp_path):
    base = (DEFAULT_THEME / "templates" / "base.html").read_text()
    site = theme_site(tmp_path, {"base.html": base.replace("<main ", "<p><a href=\"{{ 'about/' | href }}\">About</a></p>\n<main ", 1)})
    code, lines, _err = run_check(site)
    built = build_site(site, tmp_path / "out")
    pages = len(list(built.out.rglob("*.html")))
    assert [line for line in lines if "about" in line] == [
        f"error: the theme's templates: link '/about/' on {pages} pages, such as 404.html, leads to nothing: the site has no about/"]
    assert code == 1


# --- feeds -------------------------------------------------------------------------------------


def test_feeds_a_validator_would_reject_are_errors(tmp_path):
    templates = DEFAULT_THEME / "templates"
    # Every RSS feed's channel head (the articles' and the issues') is in _feeds.xml.
    heads = templates.joinpath("_feeds.xml").read_text().replace("<description>{{ rss_text(feed.description) }}</description>\n", "")
    rss = templates.joinpath("rss.xml").read_text().replace("{{ entry.published | rfc822 }}", "{{ entry.published | iso }}")
    atom = templates.joinpath("atom.xml").read_text().replace("<id>{{ a.id }}</id>\n", "<id>{{ a.slug }}</id>\n")
    site = theme_site(tmp_path, {"_feeds.xml": heads, "rss.xml": rss, "atom.xml": atom, "sitemap.xml": "<urlset>\n<url></urlset>\n"})
    code, lines, _err = run_check(site)
    assert [line for line in lines if line.startswith("error: ")] == [
        ("error: atom.xml: Atom: entry 1 ('Nurses strike over staffing'): <id> 'nurses-strike-over-staffing' must be an absolute IRI "
        "(such as urn:uuid:... or https://...) (also 3 more times in this file and in 2 more files)"),
        "error: feed.xml: RSS: <channel> has no <description>, which RSS 2.0 requires (also in 3 more files)",
        ("error: feed.xml: RSS: item 1 ('Nurses strike over staffing'): <pubDate> '2024-03-05T09:30:00-05:00' is not an RFC 822 date "
        "such as 'Tue, 17 Sep 2024 18:10:00 -0400' (also 3 more times in this file and in 2 more files)"),
        "error: sitemap.xml: is not well-formed XML (line 2, column 8: mismatched tag): no reader can use it",
    ]
    assert code == 1


def test_the_default_themes_feeds_pass_even_with_hostile_text(tmp_path):
    from test_feeds import feed_paths, hostile_files

    built = build_site(make_site(tmp_path / "site", hostile_files()), tmp_path / "out")
    _code, lines, _err = run_check(tmp_path / "site")
    feeds = feed_paths(built.out) + ["topics/feeds.opml", "sitemap.xml"]
    assert len(feeds) > 10 and [line for line in lines if line.split(":")[1].strip() in feeds] == []
    # the hostile article's own links are broken, and said to be
    assert "error: content/articles/hostile.md:9: link 'x' leads to nothing: the site has no articles/hostile/x" in lines


# --- the cache ----------------------------------------------------------------------------------


def test_after_a_build_the_check_reads_the_pages_back_and_then_remembers_them(tmp_path, monkeypatch):
    site = make_site(tmp_path / "site", sample_files())
    assert build_site(site, tmp_path / "out").code == 0
    made: list[str] = []
    real_render = Pages.render
    monkeypatch.setattr(Pages, "render", lambda self, template, url, context: made.append(url) or real_render(self, template, url, context))
    first = run_check(site)
    assert made == [] and first[0] == 0  # nothing made: every page was read back from the build's output
    assert run_check(site)[1][:-1] == first[1][:-1]
    story = site / "content" / "articles" / "undated.md"
    story.write_text(story.read_text().replace("A vote is set", "See [this](../gone/). A vote is set"))
    code, lines, _err = run_check(site)
    assert "articles/warehouse-union-vote-set/" in made
    by_check = sorted(made)
    made.clear()
    assert build_site(site, tmp_path / "out").code == 0
    assert by_check == sorted(u for u in made if not u.startswith("search"))  # exactly the pages a build makes again, no more
    assert code == 1 and any("link '../gone/' leads to nothing" in line for line in lines)


@pytest.fixture(scope="module")
def built_feeds(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("feeds")
    built = build_site(make_site(root / "site", sample_files()), root / "out")
    assert built.code == 0, built.stderr
    return built.out


@pytest.mark.parametrize("change, message", [
    (lambda d: d["items"][1].pop("id"), "JSON Feed: item 2 ('Warehouse union vote set') needs an 'id' (text)"),
    (lambda d: d["items"][1].update(id=d["items"][0]["id"]),
     "JSON Feed: item 2 ('Warehouse union vote set') has the same 'id' as item 1: readers show only one of them"),
    (lambda d: d["items"][0].pop("content_html"), "JSON Feed: item 1 ('Nurses strike over staffing') needs 'content_html' or 'content_text'"),
    (lambda d: d["items"][0].update(url="/articles/x/"), "JSON Feed: item 1 ('Nurses strike over staffing'): 'url' must be an absolute URL, not '/articles/x/'"),
    (lambda d: d["items"][0].update(date_published="March 5"),
     "JSON Feed: item 1 ('Nurses strike over staffing'): 'date_published' 'March 5' is not an RFC 3339 date such as '2024-09-17T18:10:00-04:00'"),
    (lambda d: d.pop("title"), "JSON Feed: 'title' (text) is required"),
    (lambda d: d.update(version="https://jsonfeed.org/version/2"), "JSON Feed: unknown version 'https://jsonfeed.org/version/2'"),
])
def test_json_feed_rules(built_feeds, change, message):
    data = json.loads((built_feeds / "feed.json").read_text())
    assert output_problems("feed.json", json.dumps(data).encode()) == []
    change(data)
    assert [readable(m) for m in output_problems("feed.json", json.dumps(data).encode())] == [message]


def test_every_feed_of_the_default_theme_passes_and_feedparser_reads_it(built_feeds):
    feeds = sorted(p for p in built_feeds.rglob("*") if p.name in ("feed.xml", "atom.xml", "feed.json", "feeds.opml", "sitemap.xml"))
    assert len(feeds) >= 10
    for feed in feeds:
        rel = feed.relative_to(built_feeds).as_posix()
        assert output_problems(rel, feed.read_bytes()) == [], rel
        if feed.name in ("feed.xml", "atom.xml"):
            assert not feedparser.parse(feed.read_bytes()).bozo, rel


@pytest.mark.parametrize("feed, change, message", [
    ("feed.xml", ("<generator>", "<ttl>an hour</ttl>\n<generator>"), "RSS: <ttl> 'an hour' must be a number of minutes, such as 60"),
    ("feed.xml", ("<generator>", "<image><title>Logo</title><link>https://example.org/</link></image>\n<generator>"),
     "RSS: <image> has no <url>, which RSS 2.0 requires"),
    ("feed.xml", ("<generator>", "<generator>x</generator>\n<generator>"), "RSS: <channel> holds <generator> 2 times; RSS allows it once"),
    ("atom.xml", ('<category term="unions"', "<category"), "Atom: entry 1 ('Nurses strike over staffing') has a <category> without term"),
    ("feed.xml", ("<generator>", "<managingEditor>the desk</managingEditor>\n<generator>"),
     "RSS: <managingEditor> 'the desk' must hold an e-mail address, like 'desk@example.org (The Desk)'"),
    ("feed.xml", ("<generator>", "<skipHours><hour>25</hour></skipHours>\n<generator>"), "RSS: <skipHours> <hour> '25' must be a whole hour from 0 to 23"),
    ("feed.xml", ("<pubDate>", "<source>Wire</source>\n<pubDate>"),
     "RSS: item 1 ('Nurses strike over staffing'): <source> needs the absolute url of the feed it came from"),
    ("atom.xml", ('xml:lang="en"', 'xml:lang="English"'), "Atom: the feed: xml:lang 'English' is not a language tag such as 'en' or 'en-US'"),
    ("atom.xml", ("<generator>", '<generator uri="labor digest">'), "Atom: the feed: <generator> 'labor digest' is not a URI (spaces and quotes must be escaped)"),
    ("atom.xml", ("<summary>", '<content type="xhtml">text</content>\n<summary>'),
     "Atom: entry 1 ('Nurses strike over staffing') holds <content> 2 times; Atom allows it once"),
])
def test_rss_and_atom_rules(built_feeds, feed, change, message):
    text = (built_feeds / feed).read_text()
    assert output_problems(feed, text.encode()) == []
    assert message in [readable(m) for m in output_problems(feed, text.replace(*change, 1).encode())]


def test_xhtml_text_must_be_one_div(built_feeds):
    text = (built_feeds / "atom.xml").read_text()
    broken = re.sub(r'<content type="html">.*?</content>', '<content type="xhtml">plain text</content>', text, count=1, flags=re.DOTALL)
    assert [readable(m) for m in output_problems("atom.xml", broken.encode())] == [
        "Atom: entry 1 ('Nurses strike over staffing'): type=\"xhtml\" text must be one XHTML <div>, holding the markup"]
    fixed = broken.replace("plain text", '<div xmlns="http://www.w3.org/1999/xhtml">plain <b>text</b></div>', 1)
    assert output_problems("atom.xml", fixed.encode()) == []
