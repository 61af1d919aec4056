"""Score HTML ingest on Mozilla Readability's test pages: title, authors and date, and body agreement.

    .venv/bin/python bench/readability_bench.py PATH [--show]

PATH is a checkout of github.com/mozilla/readability (Apache-2.0), or its bare git
directory; nothing of it is copied into this repository. Its `test/test-pages/NAME/`
hold `source.html` (the page), `expected.html` (Readability's article) and
`expected-metadata.json` (Readability's title, byline, siteName and publishedTime).

Those expectations are Readability's own output, not labels made by reading the
pages, so the raw figures are agreement with Readability. readability_labels.yaml
(beside this script) corrects the values that are plainly wrong as a reader sees
the page and adds the dates the pages print where Readability found none, each
with its reason; the figures are printed against both (--show lists every
disagreement to judge by eye).

Pages counted as news: the articles from news outlets and magazines (NEWS below);
the synthetic cases (001, base-url, ...), docs, wikis, blogs and shop pages are left
out. Matching:

- title: ours equals theirs after NFKC, folded quotes and dashes and collapsed space,
  or theirs is ours followed by a separator and a suffix (" | The Guardian", " - Breitbart");
- authors: their byline is cut into names (a leading "By"/"Par"/"Por" dropped, cut at
  a digit or a line break, split at commas, "and", "&", "("); a name is two to five
  words, or a CJK name of two to four characters; bylines naming no person (null, or an
  outlet in NOT_PEOPLE) are left out of the rate. The set of names, lower-cased, must
  equal ours (a corrected label: equal its names or an alternative's);
- date: where they give publishedTime (or a corrected label gives a day), ours is on
  the same calendar day (each in its own offset);
- a page the corrected labels call no article is left out of their rates, and counted
  as refused or not;
- body: their expected.html's text against our Markdown, with the dev set's shingle scoring.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import lxml.html
import yaml
from ingest_score import body_score, body_totals, fold_title

from generator.ingest.extraction import Extraction
from generator.ingest.htmlpage import NotAnArticle, decode_html, read_html

NEWS = ["aktualne", "ars-1", "bbc-1", "breitbart", "buzzfeed-1", "citylab-1", "cnet", "cnn", "engadget", "folha", "gmw", "guardian-1", "heise", "herald-sun-1", "la-nacion", "lemonde-1", "liberation-1", "medicalnewstoday", "msn", "nytimes-1", "nytimes-2", "nytimes-3", "nytimes-4", "nytimes-5", "qq", "quanta-1", "salon-1", "seattletimes-1", "telegraph", "theverge", "tmz-1", "wapo-1", "wapo-2", "yahoo-1", "yahoo-2", "yahoo-3", "yahoo-4"]
# Bylines in the expectations that name an outlet or a word, not a person.
NOT_PEOPLE = {"bbc news", "mac & i", "個人"}
LABELS = Path(__file__).with_name("readability_labels.yaml")
URL = "http://fakehost/test/page.html"  # the address Readability's tests give every page
_SEPARATOR = re.compile(r"^\s*[|\-–—_:·•»\[(]")


class Pages:
    """test/test-pages from a checkout or from a bare git directory."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.bare = not (path / "test" / "test-pages").is_dir()

    def read(self, name: str, file: str) -> bytes:
        if not self.bare:
            return (self.path / "test" / "test-pages" / name / file).read_bytes()
        return subprocess.run(["git", "-C", str(self.path), "show", f"HEAD:test/test-pages/{name}/{file}"],
                              check=True, capture_output=True).stdout


def title_matches(ours: str | None, theirs: str | None) -> bool:
    if not ours or not theirs:
        return False
    a, b = fold_title(ours), fold_title(theirs)
    return a == b or (b.startswith(a) and bool(_SEPARATOR.match(b[len(a):])))


def byline_names(byline: str | None) -> set[str]:
    if not byline:
        return set()
    text = re.split(r"[\n\d]", byline.strip(), maxsplit=1)[0]
    text = re.sub(r"^\s*(?:by|par|por|von)\s+", "", text, flags=re.IGNORECASE)
    names = set()
    for part in re.split(r",|\band\b|&|\(|\)|\bavec\b|\bet\b", text):
        part = " ".join(part.split())
        if not part or part.lower() in NOT_PEOPLE:
            continue
        cjk = re.fullmatch(r"[\u4e00-\u9fff\u3040-\u30ff\uac00-\ud7af]{2,4}", part)
        if cjk or 2 <= len(part.split()) <= 5:
            names.add(part.lower())
    return names


def same_day(ours: object, theirs: str | None) -> bool:
    if not ours or not theirs:
        return False
    mine = ours if isinstance(ours, date) else None
    if isinstance(mine, datetime):
        mine = mine.date()
    try:
        given = datetime.fromisoformat(theirs).date()
    except ValueError:
        given = date.fromisoformat(theirs[:10])
    return mine == given


@dataclass(frozen=True)
class Label:
    """What a page should give: titles, sets of names (empty: not scored), days (empty: not scored)."""

    titles: tuple[str, ...]
    authors: tuple[frozenset[str], ...]
    days: tuple[str, ...]
    not_article: bool = False


def raw_label(expected: dict) -> Label:
    names = byline_names(expected.get("byline"))
    day = expected.get("publishedTime")
    return Label(tuple(t for t in [expected.get("title")] if t), (frozenset(names),) if names else (), (day,) if day else ())


def corrected_label(raw: Label, entry: dict | None) -> Label:
    if not entry:
        return raw
    titles = (entry["title"], *entry.get("title_alt", [])) if "title" in entry else raw.titles
    authors = raw.authors
    if "authors" in entry:
        options = [entry["authors"], *entry.get("authors_alt", [])]
        authors = tuple(frozenset(n.lower() for n in names) for names in options) if entry["authors"] else ()
    days = tuple(str(d) for d in [entry["date"], *entry.get("date_alt", [])]) if "date" in entry else raw.days
    return Label(titles, authors, days, bool(entry.get("not_article")))


def read_corrections(path: Path = LABELS) -> dict[str, dict]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {entry["page"]: entry for entry in entries}


class Tally:
    def __init__(self) -> None:
        self.titles: list[bool] = []
        self.authors: list[bool] = []
        self.dates: list[bool] = []
        self.refused: list[bool] = []  # pages that are no article: refused?
        self.notes: list[str] = []

    def score(self, name: str, label: Label, extraction: Extraction | None, failure: str | None) -> None:
        if label.not_article:
            self.refused.append(extraction is None)
            if extraction is not None:
                self.notes.append(f"{name}: no article, but ingest took it (title {extraction.title!r})")
            return
        if extraction is None:
            self.notes.append(f"{name}: failed: {failure}")
            self.titles.append(False)
            self.authors.extend([False] if label.authors else [])
            self.dates.extend([False] if label.days else [])
            return
        ok = any(title_matches(extraction.title, t) for t in label.titles)
        self.titles.append(ok)
        if not ok:
            self.notes.append(f"{name}: title {extraction.title!r} vs {' / '.join(map(repr, label.titles))}")
        if label.authors:
            got = {a.lower() for a in extraction.authors}
            ok = got in label.authors
            self.authors.append(ok)
            if not ok:
                self.notes.append(f"{name}: authors {sorted(got)} vs {' / '.join(str(sorted(n)) for n in label.authors)}")
        if label.days:
            ok = any(same_day(extraction.date, d) for d in label.days)
            self.dates.append(ok)
            if not ok:
                self.notes.append(f"{name}: date {extraction.date} vs {' / '.join(label.days)}")

    def line(self) -> str:
        def rate(flags: list[bool]) -> str:
            return f"{sum(flags) / len(flags):.3f} ({sum(flags)}/{len(flags)})" if flags else "n/a"

        refused = f"  no article: {sum(self.refused)}/{len(self.refused)} refused" if self.refused else ""
        return f"title {rate(self.titles)}  authors {rate(self.authors)} of person bylines  date {rate(self.dates)} of dated{refused}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("repo", type=Path, help="a checkout of mozilla/readability, or its bare git directory")
    parser.add_argument("--show", action="store_true", help="list every disagreement")
    args = parser.parse_args()
    pages = Pages(args.repo)
    corrections = read_corrections()
    raw, corrected = Tally(), Tally()
    bodies = []
    for name in NEWS:
        expected = json.loads(pages.read(name, "expected-metadata.json"))
        extraction, failure = None, None
        try:
            extraction = read_html(decode_html(pages.read(name, "source.html")), URL).extraction
        except NotAnArticle as exc:
            failure = str(exc)
        label = raw_label(expected)
        raw.score(name, label, extraction, failure)
        corrected.score(name, corrected_label(label, corrections.get(name)), extraction, failure)
        article_text = lxml.html.fromstring(pages.read(name, "expected.html")).text_content()
        bodies.append(body_score(extraction.body_md, article_text) if extraction else (0.0, 0.0))

    p, r, f1 = body_totals(bodies)
    print(f"news pages {len(NEWS)}")
    print(f"against Readability's output:  {raw.line()}")
    print(f"against corrected labels:      {corrected.line()}")
    print(f"body agreement with Readability's article: P {p:.3f}  R {r:.3f}  F1 {f1:.3f}")
    if args.show:
        print("\nagainst Readability's output:\n" + "\n".join(raw.notes))
        print("\nagainst corrected labels:\n" + "\n".join(corrected.notes))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
