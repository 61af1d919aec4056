"""How an ingested page is scored against its truth, by the rules of ../shared/ingest-bench/README.md.

Body: word 4-shingles (runs of \\w, case kept, outer "_" stripped, Markdown link
targets dropped); per page precision and recall over the multisets; over a set,
precision and recall are averaged over pages and F1 is their harmonic mean.

Metadata (labels as in `dev/metadata.yaml`): the title equal after NFKC, collapsed
whitespace and plain quotes and dashes, to `title` or a `title_alt` (pages with no
title left out); the set of authors, lower-cased, equal to `authors` or an
`authors_alt` (an empty label is matched only by no authors); the date on the same
calendar day as `date` or a `date_alt` (a null label only by no date). A key left out of
a label means the field was not labelled: that page is not scored on it. Where the
label gives a time with its offset, the time rate asks for that very instant, to the
label's precision (a label to the minute, as pages print times, ignores the seconds a
page declares).

Every ingest benchmark scores with these functions, so figures from text, HTML and
other page sets compare.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

_TOKEN = re.compile(r"\w+")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_FOLD = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"',
                       "–": "-", "—": "-", "‒": "-", "―": "-", "‐": "-", "‑": "-", "−": "-"})


# --------------------------------------------------------------------------- body


def tokens(text: str) -> list[str]:
    text = _MD_LINK.sub(r"\1", text)
    return [t for t in (m.strip("_") for m in _TOKEN.findall(text)) if t]


def shingles(text: str) -> Counter:
    toks = tokens(text)
    return Counter(tuple(toks[i : i + 4]) for i in range(len(toks) - 3))


def body_score(output: str, truth: str) -> tuple[float, float]:
    """(precision, recall) of one page; an empty output scores 0."""
    out, ref = shingles(output), shingles(truth)
    if not out or not ref:
        return 0.0, 0.0
    shared = sum((out & ref).values())
    return shared / sum(out.values()), shared / sum(ref.values())


def harmonic(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def body_totals(scores: Sequence[tuple[float, float]]) -> tuple[float, float, float]:
    """(precision, recall, F1) over a set: averages over pages, then the harmonic mean."""
    if not scores:
        return 0.0, 0.0, 0.0
    p = sum(s[0] for s in scores) / len(scores)
    r = sum(s[1] for s in scores) / len(scores)
    return p, r, harmonic(p, r)


# --------------------------------------------------------------------------- metadata


def fold_title(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).translate(_FOLD).split())


def _day(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value)
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        return date.fromisoformat(text[:10])


@dataclass(frozen=True)
class FieldScores:
    """One page's metadata against its label: None where the field does not apply."""

    title: bool | None
    title_nocase: bool | None
    authors: bool | None
    has_byline: bool  # the label names at least one person
    date: bool | None
    has_date: bool
    time: bool | None = None  # the label shows a time with its offset: the same instant


def metadata_score(label: dict[str, Any], title: str | None, authors: Iterable[str], when: Any) -> FieldScores:
    titles = [label.get("title")] + list(label.get("title_alt") or [])
    titles = [fold_title(t) for t in titles if t]
    got = fold_title(title) if title else None
    title_ok = None if label.get("title") is None else got in titles
    title_nocase = None if label.get("title") is None else (got is not None and got.casefold() in {t.casefold() for t in titles})
    names = {" ".join(a.lower().split()) for a in authors}
    wanted = [label.get("authors") or []] + list(label.get("authors_alt") or [])
    authors_ok = any(names == {" ".join(a.lower().split()) for a in option} for option in wanted) if "authors" in label else None
    if "date" not in label:
        return FieldScores(title_ok, title_nocase, authors_ok, bool(label.get("authors")), None, False)
    days = [_day(d) for d in [label.get("date")] + list(label.get("date_alt") or [])]
    got_day = _day(when)
    date_ok = (got_day is None) if label.get("date") is None else (got_day is not None and got_day in days)
    instants = [i for i in map(_instant, [label.get("date")] + list(label.get("date_alt") or [])) if i is not None]
    time_ok = None
    if isinstance(when, str):  # an article file's front matter keeps the date as written
        when = _instant(when) or when
    if instants:
        # A label shows the page's precision: to the minute, the instant's seconds do not count.
        time_ok = isinstance(when, datetime) and when.tzinfo is not None and any(
            (when.replace(second=0, microsecond=0) if not (i.second or i.microsecond) else when) == i for i in instants
        )
    return FieldScores(title_ok, title_nocase, authors_ok, bool(label.get("authors")), date_ok, label.get("date") is not None, time_ok)


def _instant(value: Any) -> datetime | None:
    """A label's time with offset, if it gives one ("2019-11-19T08:03-05:00")."""
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else None
    if not isinstance(value, str) or "T" not in value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def metadata_totals(scores: Sequence[FieldScores]) -> dict[str, tuple[int, int]]:
    """Each rate as (right, pages it applies to), as the README defines them."""
    def rate(flags: Iterable[bool | None]) -> tuple[int, int]:
        applied = [f for f in flags if f is not None]
        return sum(applied), len(applied)

    return {
        "title": rate(s.title for s in scores),
        "title_nocase": rate(s.title_nocase for s in scores),
        "authors_all": rate(s.authors for s in scores),
        "authors_byline": rate(s.authors if s.has_byline else None for s in scores),
        "date_all": rate(s.date for s in scores),
        "date_shown": rate(s.date if s.has_date else None for s in scores),
        "time": rate(s.time for s in scores),
    }


def format_metadata(totals: dict[str, tuple[int, int]]) -> str:
    def pct(key: str) -> str:
        right, n = totals[key]
        return f"{right / n:.3f} ({right}/{n})" if n else "n/a"

    return (f"title {pct('title')} [any case {pct('title_nocase')}]  "
            f"authors {pct('authors_byline')} of bylines, {pct('authors_all')} of all  "
            f"date {pct('date_shown')} of dated, {pct('date_all')} of all  "
            f"time {pct('time')} where shown with its zone")
