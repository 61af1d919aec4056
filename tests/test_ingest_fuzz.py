"""Ingest fuzzed: random and mangled pages through the real `digest ingest`, then `digest build`.

Whatever an editor saves (a page shuffled, cut short, in several scripts, with
control characters, NULs, invalid UTF-8, any line ends, one huge line or a
hundred thousand tiny ones), ingest either writes an article that the build's
own loader accepts and the site builds with, or prints one line naming the file
and what is wrong, and exits 1. Never a traceback.
"""

from __future__ import annotations

import contextlib
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from sitekit import digest, make_site

from generator.config import load_config
from generator.load import load_article

# Hypothesis keeps caches in .hypothesis/ under the working directory: never in the repository.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "labor-digest-hypothesis")

ROOT = Path(__file__).resolve().parents[1]
REAL_PAGES = sorted((ROOT / "content" / "sources").glob("*.txt"))
SOURCE = "content/sources/page.txt"

# What a body may never hold: C0/C1 controls (tab and newline aside), NUL, lone surrogates.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")

LATIN = "Workers at the plant voted to strike after talks on pay and hours broke down on Tuesday."
SCRIPTS = [
    LATIN,
    "Les salariés de l'usine ont voté la grève après l'échec des négociations salariales.",
    "工厂工人在周二的工资谈判破裂后投票决定罢工，工会表示将继续争取更好的条件。",
    "صوت العمال في المصنع لصالح الإضراب بعد انهيار المحادثات بشأن الأجور وساعات العمل.",
    "Рабочие завода проголосовали за забастовку после срыва переговоров о зарплате.",
    "✊🏽 Strike! 🚩 Workers 👷‍♀️👷 walked out 🏭 at dawn 🌅 and picketed 📣 all day.",
]
HEADLINES = ["Warehouse workers vote to form a union", "工会宣布罢工", "إضراب عمال المصنع", "✊ Nurses walk out 🚑"]
# Characters a broken copy brings: controls, NUL, bidi marks, separators, replacement and non-characters.
NOISE = "\x00\x01\x07\x08\x0b\x0c\x1b\x7f\x85\x9f\u200b\u200e\u202e\u2028\u2029\ufeff\ufffd\uffff"


def _article(headline: str, paragraphs: list[str]) -> str:
    return "\n".join(["Home", "News", "", headline, "", "By Ana Lima", "March 3, 2021", "", *paragraphs, "", "© 2021 The Daily Worker"])


real_page = st.sampled_from(REAL_PAGES).map(lambda p: p.read_text(encoding="utf-8"))
made_page = st.builds(_article, st.sampled_from(HEADLINES), st.lists(st.sampled_from(SCRIPTS), min_size=0, max_size=8))
random_page = st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(list(NOISE + "\n\r\t ")), max_size=3000)


@st.composite
def mangled(draw: st.DrawFn) -> bytes:
    """A page, mangled in a few of the ways copies are: the bytes that land in content/sources/."""
    text = draw(st.one_of(real_page, made_page, random_page))
    lines = text.splitlines()
    if draw(st.booleans()):
        lines = draw(st.permutations(lines))
    if lines and draw(st.booleans()):  # mixed scripts and noise spliced in
        for _ in range(draw(st.integers(1, 6))):
            k = draw(st.integers(0, len(lines) - 1))
            extra = draw(st.sampled_from(SCRIPTS)) if draw(st.booleans()) else draw(st.text(st.sampled_from(NOISE), min_size=1, max_size=5))
            lines[k] = lines[k][: len(lines[k]) // 2] + extra + lines[k][len(lines[k]) // 2 :]
    text = draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines)
    if draw(st.booleans()):  # cut short, mid-sentence
        text = text[: draw(st.integers(0, len(text)))]
    if draw(st.booleans()):  # a lone surrogate, written as the invalid bytes a broken encoder leaves
        k = draw(st.integers(0, len(text)))
        text = text[:k] + draw(st.sampled_from(["\ud800", "\udfff", "\udc80"])) + text[k:]
    raw = text.encode("utf-8", errors="surrogatepass")
    if draw(st.booleans()):  # stray bytes that are not UTF-8 at all
        k = draw(st.integers(0, len(raw)))
        raw = raw[:k] + draw(st.binary(min_size=1, max_size=4)) + raw[k:]
    return raw


@st.composite
def blemished(draw: st.DrawFn) -> bytes:
    """A real page with a few broken characters, as a copy can bring them: still a page a reader reads."""
    raw = draw(st.sampled_from(REAL_PAGES)).read_bytes()
    newline = draw(st.sampled_from([b"\n", b"\r\n", b"\r"]))
    raw = newline.join(raw.splitlines())
    for _ in range(draw(st.integers(1, 4))):
        k = draw(st.integers(0, len(raw)))
        bad = draw(st.sampled_from([c.encode("utf-8") for c in NOISE] + [b"\xed\xa0\x80", b"\xff", b"\xe2\x80", b"\x00\x00"]))
        raw = raw[:k] + bad + raw[k:]
    return raw


def check_ingest(raw: bytes, *, article: bool = False) -> None:
    """Ingest `raw` as a copied page in a fresh site; assert it gives a sound article or one clear failure.

    With `article`, the page shows one, so it must be written.
    """
    with tempfile.TemporaryDirectory() as tmp:
        site = make_site(Path(tmp) / "site", {SOURCE: ""})
        (site / SOURCE).write_bytes(raw)
        with contextlib.chdir(site):
            run = digest("ingest", SOURCE)
        assert "Traceback" not in run.err and "bug in Labor Digest" not in run.out + run.err, run.err
        if run.code == 1 and not article:
            assert run.out == ""
            assert re.fullmatch(rf"failed: {re.escape(SOURCE)}: [^\n]+\n", run.err), run.err
            assert list((site / "content").glob("articles/*")) == []
            return
        assert run.code == 0, run.err
        assert run.err == ""
        m = re.fullmatch(rf"written: {re.escape(SOURCE)} -> (content/articles/[^\s]+\.md)(: [^\n]*)?\n", run.out)
        assert m, run.out
        config = load_config(site / "config.yaml")
        article = load_article(m.group(1), site / m.group(1), config)
        assert not isinstance(article, list), [str(p) for p in article]
        assert article.title.strip()
        assert not CONTROL.search(article.body_md), repr(CONTROL.search(article.body_md))
        assert not CONTROL.search(article.title + (article.dek or "") + "".join(article.authors))
        with contextlib.chdir(site):
            built = digest("build", "--out", str(Path(tmp) / "public"))
        assert built.code == 0, built.err
        assert (Path(tmp) / "public" / "index.html").is_file()


# No example database: it would be written into the repository; explicit @example cases keep what was found.
@settings(max_examples=50, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mangled())
@example(b"")
@example(b"\x00" * 200)
@example(("\ufeffHeadline\r\rBy A\r" + LATIN * 3).encode("utf-8"))
@example(_article(HEADLINES[1], SCRIPTS[2:3] * 4).encode("utf-8"))
@example(_article(HEADLINES[2], SCRIPTS[3:4] * 4).encode("utf-8"))
@example(_article(HEADLINES[3], SCRIPTS[5:6] * 4).encode("utf-8"))
@example(_article(HEADLINES[0], [LATIN + "\x00\x1b\x7f\x9f" + LATIN] * 4).encode("utf-8"))
@example(_article(HEADLINES[0], [LATIN] * 4).encode("utf-8", errors="surrogatepass").replace(b"Tuesday", b"Tu\xed\xa0\x80esday\xff\xfe"))
def test_mangled_page_gives_an_article_or_one_clear_failure(raw: bytes) -> None:
    check_ingest(raw)


@settings(max_examples=20, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(blemished())
def test_a_real_page_with_broken_characters_is_still_written(raw: bytes) -> None:
    check_ingest(raw, article=True)


@pytest.mark.parametrize("headline", [
    # Twelve long Cyrillic or Greek words: over 255 bytes as a file name
    ("Профсоюзные представители государственных предприятий потребовали немедленного увеличения "
    "заработной платы работникам металлургических комбинатов Свердловской области"),
    ("Εργαζόμενοι των λιμανιών της Θεσσαλονίκης ανακοίνωσαν απεργία διαρκείας μετά την κατάρρευση των διαπραγματεύσεων "
    "για τους μισθούς και τις συνθήκες εργασίας"),
])
def test_a_long_headline_in_another_script_is_written(headline: str) -> None:
    paragraphs = [f"{LATIN} It was the {n}th day of the dispute, and the union said talks would go on." for n in range(5)]
    check_ingest(_article(headline, paragraphs).encode("utf-8"), article=True)


def test_a_hundred_thousand_one_word_lines() -> None:
    check_ingest("\n".join(["Workers"] * 100_000).encode("utf-8"))


def test_a_text_longer_than_any_page_is_read_down_to_a_bound_and_its_body_marked_for_review() -> None:
    paragraphs = [f"{LATIN} This is paragraph {n} of a text far longer than any copied page." for n in range(20_000)]
    with tempfile.TemporaryDirectory() as tmp:
        site = make_site(Path(tmp) / "site", {SOURCE: _article(HEADLINES[0], paragraphs)})
        with contextlib.chdir(site):
            run = digest("ingest", SOURCE)
        assert run.code == 0, run.err
        assert "read only the first 6,000 lines" in run.out
        rel = run.out.split(" -> ")[1].split(":")[0]
        article = load_article(rel, site / rel, load_config(site / "config.yaml"))
        assert article.title == HEADLINES[0] and "body" in article.review
        assert "paragraph 5000 " in article.body_md and "paragraph 19999 " not in article.body_md


def test_one_five_megabyte_line() -> None:
    check_ingest(("strike " * 714_000).encode("utf-8"))  # just under the 5 MB limit for copied text


def test_one_line_over_the_limit_is_refused_by_name() -> None:
    check_ingest(b"x" * (5 * 1024 * 1024 + 1))
