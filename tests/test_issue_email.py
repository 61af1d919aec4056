"""`digest issue --email DIR`: issue.html, issue.txt and issue.eml, read as a mail client would.

The .eml goes through Python's email parser; the HTML through html5lib and, in
Chromium, at 600 and 360 pixels wide, in light and dark mode, with axe-core.
"""

from __future__ import annotations

import email
import email.policy
import json
import re
from email.utils import parsedate_to_datetime
from pathlib import Path

import html5lib
import pytest
from browserkit import guarded_page, serve_folder, tool
from conftest import make_site
from issuekit import BASE_URL, W49_TITLES, make_issue_site, run, site_files, story

TOPICS = ["unions", "return-to-office", "layoffs"]


@pytest.fixture(scope="module")
def mailed(tmp_path_factory) -> tuple[Path, Path]:
    """(the built site, the folder holding the 2026-W49 email)."""
    root = tmp_path_factory.mktemp("mail")
    site = make_issue_site(root / "site")
    assert run(site, "build", "--out", str(root / "out")).code == 0
    result = run(site, "issue", "2026-W49", "--email", str(root / "mail"))
    assert result.code == 0, result.err
    return root / "out", root / "mail"


def message(folder: Path) -> email.message.EmailMessage:
    with open(folder / "issue.eml", "rb") as handle:
        return email.message_from_binary_file(handle, policy=email.policy.default)


def test_the_eml_is_multipart_alternative_with_the_headers_a_list_needs(mailed):
    _out, mail = mailed
    msg = message(mail)
    assert msg.get_content_type() == "multipart/alternative"
    assert msg["Subject"] == "Labor Digest: Strikes spread"
    assert msg["From"] == "Labor Digest <digest@example.org>"
    assert parsedate_to_datetime(msg["Date"]).isoformat() == "2026-12-07T00:00:00-05:00"  # when the issue closed
    assert re.fullmatch(r"<issue-2026-W49\.[0-9a-f]+@example\.org>", msg["Message-ID"])
    assert msg["List-Unsubscribe"] == "<mailto:leave@example.org>, <https://example.org/leave>"
    assert msg["List-Id"] == "Labor Digest <labor-digest.example.org>"
    parts = [part.get_content_type() for part in msg.iter_parts()]
    assert parts == ["text/plain", "text/html"]  # the richer part last: clients show the last they can
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    assert text == (mail / "issue.txt").read_text(encoding="utf-8")
    assert html == (mail / "issue.html").read_text(encoding="utf-8")
    raw = (mail / "issue.eml").read_bytes()
    assert max(len(line) for line in raw.split(b"\r\n")) <= 78  # quoted-printable: no line a server may cut


def hrefs(html: str) -> list[str]:
    doc = html5lib.parse(html, namespaceHTMLElements=False)
    return [a.get("href") for a in doc.iter("a")]


def test_the_html_is_email_safe(mailed):
    _out, mail = mailed
    html = (mail / "issue.html").read_text(encoding="utf-8")
    doc = html5lib.parse(html, namespaceHTMLElements=False)
    tags = {el.tag for el in doc.iter() if isinstance(el.tag, str)}
    assert not tags & {"script", "form", "input", "button", "img", "iframe", "object", "embed", "video", "audio", "link"}
    assert not re.search(r"@import|@font-face|url\(", html)
    for style in doc.iter("style"):  # only what cannot be inlined stays: the dark-mode rules
        assert style.text.strip().startswith("@media"), style.text
    for table in doc.iter("table"):
        assert table.get("width") == "100%" or int(table.get("width")) <= 600
    box = next(t for t in doc.iter("table") if t.get("class") == "box")
    assert "max-width:600px" in box.get("style")
    styled = [el for el in doc.find("body").iter() if el.tag in ("h1", "h2", "h3", "a") or el.get("class")]
    assert styled and [el.tag for el in styled if not el.get("style")] == []  # on the elements, where every client keeps them


def test_every_link_is_absolute_and_reaches_a_built_page(mailed):
    out, mail = mailed
    links = hrefs((mail / "issue.html").read_text(encoding="utf-8"))
    assert links and all(link.startswith(("https://", "mailto:")) for link in links), links
    for link in links:
        if link.startswith(BASE_URL):
            inside = link[len(BASE_URL):]
            assert (out / (inside + "index.html" if inside == "" or inside.endswith("/") else inside)).is_file(), link
    assert BASE_URL + "issues/2026-W49/" in links and "https://union.example/statement" in links
    assert BASE_URL + "archive/" in links  # the note's relative link, made absolute against the issue's page


def test_the_text_part_is_wrapped_at_72_and_spells_out_every_link(mailed):
    _out, mail = mailed
    text = (mail / "issue.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        assert len(line) <= 72 or " " not in line.strip(), line  # only a URL too long for a line stands alone
    for title in W49_TITLES:
        assert title in " ".join(text.split())
    for link in hrefs((mail / "issue.html").read_text(encoding="utf-8")):
        assert link.removeprefix("mailto:") in text, link
    assert "Strikes spread" in text and "6 stories, 3 topics" in text
    assert text.index("TOP STORIES") < text.index("UNIONS") < text.index("RETURN TO OFFICE") < text.index("LAYOFFS") < text.index("ALSO IN THIS ISSUE")


def test_the_same_issue_makes_the_same_files(mailed, tmp_path):
    _out, mail = mailed
    site = mail.parent / "site"
    assert run(site, "issue", "2026-W49", "--email", str(tmp_path / "again")).code == 0
    for name in ("issue.html", "issue.txt", "issue.eml"):
        assert (tmp_path / "again" / name).read_bytes() == (mail / name).read_bytes(), name


def test_an_issue_in_progress_is_written_as_a_preview(tmp_path):
    site = make_issue_site(tmp_path / "site")
    result = run(site, "issue", "2026-W50", "--email", str(tmp_path / "mail"))
    assert result.code == 0
    assert "note: 2026-W50 is still in progress" in result.out
    assert "This week so far" not in (tmp_path / "mail/issue.txt").read_text()  # the email carries the issue's own title
    assert "Week of 7 December 2026" in (tmp_path / "mail/issue.txt").read_text()


@pytest.mark.parametrize("args, message", [
    (["2026-W60"], "error: digest issue: '2026-W60' is not a week: 2026 has weeks 2026-W01 to 2026-W53"),
    (["2026-W40"], "error: digest issue: 2026-W40 has no stories, so there is no such issue (the latest: 2026-W50, 2026-W49, 2026-W48)"),
    (["2026-12"], "error: digest issue: '2026-12' names a month, but issues are weekly (issues.period in config.yaml): name one like 2026-W49"),
])
def test_a_week_that_does_not_exist_writes_nothing(tmp_path, args, message):
    site = make_issue_site(tmp_path / "site")
    result = run(site, "issue", *args, "--email", str(tmp_path / "mail"))
    assert (result.code, result.err.splitlines()) == (1, [message, "1 problem; nothing was written."])
    assert "Traceback" not in result.err and not (tmp_path / "mail").exists()


def test_without_email_settings_nothing_is_written(tmp_path):
    files = site_files()
    files["config.yaml"] = files["config.yaml"].split("email:")[0]
    site = make_site(tmp_path / "site", files)
    result = run(site, "issue", "--close", "--email", str(tmp_path / "mail"))
    assert (result.code, result.out) == (1, "")
    assert not (site / "content/issues/2026-W50.md").exists()  # not closed either
    assert result.err.splitlines()[0] == ("error: config.yaml: has no 'email:' settings: add 'email: {from: ..., list_unsubscribe: ...}' "
                                          "to make issues into email (see docs/issues.md)")
    assert not (tmp_path / "mail").exists()


def test_an_email_folder_that_is_a_file_is_refused(tmp_path):
    site = make_issue_site(tmp_path / "site")
    (tmp_path / "mail").write_text("not a folder")
    result = run(site, "issue", "2026-W49", "--email", str(tmp_path / "mail"))
    assert result.code == 1 and "is a file, not a folder" in result.err
    assert (tmp_path / "mail").read_text() == "not a folder"


SUMMARY = ("Workers at the plant walked out on Tuesday morning after managers refused to discuss staffing levels, "
           "and the union said the strike would last until the company agreed to hire more people and to stop the "
           "mandatory overtime that has kept crews on twelve-hour shifts for months.")  # about 50 words, as summaries run


def test_a_hundred_story_issue_is_under_100_kb(tmp_path):
    """Large mail clients clip a message above about 100 KB (Gmail at 102 KB)."""
    files = {"config.yaml": site_files()["config.yaml"]}
    for n in range(100):
        tags = f"[{TOPICS[n % 3]}]" if n % 7 else "[]"
        title = f"Story {n}: transit workers across the region vote to authorise a strike over pay"
        text = story(title, f"2026-12-0{1 + n % 6}T{8 + n % 10:02d}:00:00-05:00", tags, date=f"2026-12-0{1 + n % 6}T07:00:00-05:00")
        files[f"content/articles/s{n:03d}.md"] = text.replace(f"summary: {title} and what it means for the people who do the work.", f"summary: {SUMMARY}")
    site = make_site(tmp_path / "site", files)
    result = run(site, "issue", "2026-W49", "--email", str(tmp_path / "mail"))
    assert result.code == 0, result.err
    assert "100 stories" in result.out
    size = (tmp_path / "mail/issue.html").stat().st_size
    assert size < 100 * 1024, size


# --- in the browser ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mail_url(mailed):
    _out, mail = mailed
    with serve_folder(mail) as url:
        yield url + "issue.html"


@pytest.mark.parametrize("width", [600, 360])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_email_reads_at_600_and_360_pixels_in_light_and_dark(browser, mail_url, width, scheme):
    with guarded_page(browser, mail_url.rsplit("/", 1)[0] + "/") as page:
        page.set_viewport_size({"width": width, "height": 900})
        page.emulate_media(color_scheme=scheme)
        page.goto(mail_url)
        scroll = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert scroll[0] <= scroll[1], f"horizontal scroll at {width}px: {scroll}"
        hidden = page.evaluate("""() => [...document.body.querySelectorAll('*')].filter(el => {
            if (!el.textContent.trim()) return false;
            const box = el.getBoundingClientRect(), style = getComputedStyle(el);
            return style.display === 'none' || style.visibility === 'hidden' || box.width === 0 || box.height === 0
                || box.left < 0 || box.right > document.documentElement.clientWidth + 0.5
                || el.scrollWidth > el.clientWidth + 1 && style.overflowX === 'hidden';
        }).map(el => el.tagName + ': ' + el.textContent.trim().slice(0, 40))""")
        assert hidden == []
        page.add_script_tag(path=str(tool("axe-core", "axe.min.js")))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        violations = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
        assert violations == [], json.dumps(violations, indent=1)
        if scheme == "dark":  # the dark rules reach the inlined styles
            background = page.evaluate("() => getComputedStyle(document.querySelector('.cell')).backgroundColor")
            assert background == "rgb(21, 21, 20)"


@pytest.mark.parametrize("how", ["option", "environment"])
def test_the_hosts_address_makes_the_emails_links_as_it_makes_the_sites(tmp_path, monkeypatch, how):
    """A host that gives the site's address at build time (GitHub Pages under a subpath)
    gives it to `digest issue` the same way, so the email links where the site is."""
    site = make_issue_site(tmp_path / "site")
    host = "https://someone.github.io/digest/"
    if how == "option":
        result = run(site, "issue", "2026-W49", "--base-url", host, "--email", str(tmp_path / "mail"))
    else:
        monkeypatch.setenv("LABOR_DIGEST_BASE_URL", host)
        result = run(site, "issue", "2026-W49", "--email", str(tmp_path / "mail"))
    assert result.code == 0, result.err
    links = hrefs((tmp_path / "mail/issue.html").read_text(encoding="utf-8"))
    assert host + "issues/2026-W49/" in links and host + "archive/" in links
    assert not any(link.startswith(BASE_URL) for link in links)
    assert host + "issues/2026-W49/" in (tmp_path / "mail/issue.txt").read_text(encoding="utf-8")
