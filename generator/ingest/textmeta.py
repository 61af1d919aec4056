"""The article's metadata in copied text: headline, dek, byline, dates, section, outlet and address.

textpage finds the article's region; the metadata sits in the lines just above it
(the header: headline, dek, byline and date block), sometimes at its end (a
"Reporting by" credit, a "Written by ... on <date>" line), and in the page's
furniture (copyright and trademark lines, a masthead, an address). Each reader of a
field returns its best candidate and whether it is sure of it: ingest writes the
candidate either way and lists the unsure ones under `review`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime
from itertools import pairwise

from .normalize import (
    BY,
    PUBLISHED,
    TIME,
    UPDATED,
    DateContext,
    clean_name,
    name_before_affiliation,
    parse_date_in,
    split_names,
    with_time,
)
from .textlines import CJK, TOKEN, Line, headline_case, line_counts

URL = re.compile(r"https?://[^\s<>\"'”)]+")

# --------------------------------------------------------------------------- dates


@dataclass(frozen=True)
class FoundDate:
    value: datetime | date
    updated: bool
    line: int
    ambiguous: bool


def find_dates(lines: list[Line], context: DateContext | None = None) -> list[FoundDate]:
    """The dates of header-like lines, in page order, each marked published or updated."""
    found: list[FoundDate] = []
    for k, line in enumerate(lines):
        # The page's dates stand in short lines of their own, not in prose or
        # in a photo caption ("..., Friday, Sept. 15, 2023, in Wayne. (AP Photo/...)").
        if line.length > 160 or (line.boiler and line.length > 80):
            continue
        credited = BY.match(line.text) or PUBLISHED.search(line.text) or UPDATED.search(line.text)
        if line.sentence and line.words > 12 and not credited:
            continue
        parsed = parse_date_in(line.text, context)
        if not parsed and k + 2 < len(lines):
            # "November 20" / "15:23" / "2019": a date set in three short lines.
            joined = " ".join(other.text for other in lines[k : k + 3])
            if all(other.length <= 20 for other in lines[k : k + 3]) and re.search(r"(?:19|20)\d\d$", joined):
                parsed = parse_date_in(joined, context)
        if not parsed:
            continue
        value, ambiguous = parsed
        # "September 17, 2024" on one line and "6:10 PM ET" on the next.
        if not isinstance(value, datetime) and k + 1 < len(lines) and lines[k + 1].length < 30 and TIME.search(lines[k + 1].text):
            value = with_time(value, lines[k + 1].text)
        marker = UPDATED.search(line.text)
        before = parse_date_in(line.text[: marker.start()], context) if marker and marker.start() > 0 else None
        if before:
            # "Published March 3, 2025 Updated March 4, 2025, 9:12 a.m. ET": two
            # dates, and the time after "Updated" belongs to the second only.
            first, first_ambiguous = before
            found.append(FoundDate(first, False, line.index, first_ambiguous))
            second = parse_date_in(line.text[marker.start() :], context)
            if second:
                found.append(FoundDate(second[0], True, line.index, second[1]))
            continue
        # "Updated: ... First published: ..." / "Last Updated ... | First Published on ...".
        first_published = re.search(r"\bfirst published\b|\boriginal(?:ly)?(?: published)?\b|\bposted\b", line.text, re.IGNORECASE)
        if marker and first_published and first_published.start() > marker.start():
            later = parse_date_in(line.text[first_published.start() :], context)
            if later:
                found.append(FoundDate(later[0], False, line.index, later[1]))
        found.append(FoundDate(value, bool(marker) and not (first_published and first_published.start() < marker.start()), line.index, ambiguous))
    return found


def choose_dates(header: list[FoundDate], later: list[FoundDate]) -> tuple[FoundDate | None, FoundDate | None, bool]:
    """(published, updated, unsure) from the header's dates and labelled dates further down.

    The header's first publication date wins; else a labelled one after the body
    ("First published on ..."); else the page shows only when it was updated, and
    that date stands in for it, to review.
    """
    published = next((d for d in header if not d.updated), None) or next((d for d in later if not d.updated), None)
    updated = next((d for d in header if d.updated), None) or next((d for d in later if d.updated), None)
    if published is None and updated is not None:
        return updated, None, True
    if updated and published and updated.value == published.value:
        updated = None
    return published, updated, bool(published and published.ambiguous)


def later_dates(lines: list[Line], context: DateContext | None) -> list[FoundDate]:
    """Labelled dates in the lines after the header ("First published on Nov 20, 2019 / 1:07 AM")."""
    labelled = [line for line in lines if line.length <= 120 and (PUBLISHED.search(line.text) or UPDATED.search(line.text) or BY.match(line.text))]
    return find_dates(labelled, context)


# --------------------------------------------------------------------------- byline

# "..., write Ana Ruiz and Tom Berg": a standfirst that credits its writers.
_CREDIT_IN_DEK = re.compile(r"[,;:—–-]\s*(?:writes?|reports?|explains?|escreve|écrit|schreibt|scrive|escribe)\s+(?P<names>[^,.;:]{3,80}?)\.?$", re.IGNORECASE)
# End-of-article credits: "(Reporting by Will Dunham; Editing by Tom Brown)", "Posted by X at 12:55 AM".
_END_CREDIT = re.compile(
    r"^\(?(?:reporting|reported|written|writing|text|words|story|posted|published|article)\s+by\s+(?P<names>.+?)(?:;|\)|\s+(?:at|on|in)\s+[A-Z\d]|$)",
    re.IGNORECASE,
)
# Lines that follow a bare byline and say it is one: a role, a handle, "N min read".
_AFTER_BYLINE = re.compile(
    r"^(?:@\w+|(?:[\w.-]+\s+){0,3}(?:staff|writers?|reporters?|correspondents?|editors?|columnists?|contributors?|producers?|"
    r"journalists?|critics?|bloggers?|fellow)\b.*|\d+\s*(?:min(?:ute)?s?)\.?\s*read|follow\b.*|\d+\s*(?:comments?|shares?))$",
    re.IGNORECASE,
)


def is_meta_line(line: Line, context: DateContext | None = None) -> bool:
    """A byline or a date line: the header's block under the headline."""
    return bool(BY.match(line.text)) or (line.length < 120 and parse_date_in(line.text, context) is not None)


def _byline_rest(lines: list[Line], k: int) -> str | None:
    """What follows a byline's "By" on line k (or on the next line when "By" stands alone)."""
    text = lines[k].text
    match = BY.match(text)
    if not match and lines[k].words <= 30 and lines[k].length <= 200 and (parse_date_in(text) or re.match(r"(?:posted|published|written|updated)\b", text, re.IGNORECASE)):
        # "Posted on July 25, 2023 by Rachel Green", "March 3, 2025 | by Jane Doe", "5:45 AM PST 11/19/2019 by X"
        match = re.search(r"(?:^|\s|[|•·,–—-])(?:by|por|par|von)[:\s]+(?=[A-ZÀ-ÝА-Я])", text, re.IGNORECASE)
    if not match:
        return None
    rest = text[match.end() :].strip()
    if not rest and k + 1 < len(lines):
        rest = lines[k + 1].text
    # "By Alex Heath, a deputy editor and author of ...": the names come first.
    return rest[:120] if len(rest) <= 300 else None


def find_bylines(lines: list[Line], low: int, high: int) -> list[tuple[int, list[str]]]:
    """Every byline in lines[low:high] with its names ("By X", "By X and Y", "By" alone above the name, "Texto: X")."""
    found = []
    for k in range(low, high):
        rest = _byline_rest(lines, k)
        names = split_names(rest, single=True) if rest is not None else []
        if names:
            found.append((k, names))
    return found


def byline_for(bylines: list[tuple[int, list[str]]], title: Line | None) -> list[str]:
    """The article's byline: the first under its headline, else the nearest one above it.

    Teasers above the header and related stories below carry bylines too.
    """
    if not bylines:
        return []
    if title is None:
        return bylines[0][1]
    below = [names for k, names in bylines if k > title.index]
    if below:
        return below[0]
    above = [names for k, names in bylines if title.index - k <= 5]
    return above[-1] if above else []


def credited_in_dek(text: str | None) -> list[str]:
    """ "..., write Ana Ruiz and Tom Berg": the writers a standfirst names."""
    if not text:
        return []
    m = _CREDIT_IN_DEK.search(text)
    return split_names(m["names"]) if m else []


def _leading_names(text: str) -> tuple[list[str], str]:
    """The person names a bare byline line starts with, and what follows them.

    "Emiliano Bellini", "Carlos Nadalim 23/08/2018 2 comentários",
    "November 20, 2019 Emiliano Bellini", "Catherine Shu @catherineshu / 2 days".
    """
    date_first = re.match(r"^(?:[\d/.,:-]+\s*|[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4}\s*)", text)
    if date_first and parse_date_in(date_first.group(0)):
        text = text[date_first.end() :]
    names = split_names(text)
    if not names:
        return [], text
    # What is left after the last name's own words.
    last = names[-1].split()[-1]
    at = text.lower().find(last.lower())
    rest = text[at + len(last) :] if at >= 0 else ""
    return names, rest.strip(" ,·•|-–—")


def bare_byline(lines: list[Line], title: Line | None, low: int, high: int, context: DateContext | None = None) -> list[str]:
    """Names on a line of their own in the header, without "By" ("Maya Ortiz and Daniel Kim").

    Such a line is a byline when it is beside the header's date, or right under the
    headline or dek, and nothing but a date, a handle, a role or an outlet follows
    the names on it. A photo caption of a name ("Aidan Gantenbein 100 backstroke")
    goes on with other words and is not one.
    """
    anchor = title.index if title is not None else low
    if title is not None:
        # A headline shown twice in the header (a card, then the heading): the byline is under the second.
        anchor = max((k for k in range(title.index, min(high, title.index + 6)) if lines[k].text == title.text), default=title.index)
    # Under the headline first (and between its two copies); above it (a name
    # over the section and date) only then.
    first = title.index if title is not None else anchor
    for k in [*range(first + 1, high), *range(first - 1, max(low, first - 3) - 1, -1)]:
        line = lines[k]
        if line is title or line.words > 14 or line.boiler or line.bullet or line.sentence and line.words > 6:
            continue
        if k < first and line.text.isupper():
            continue  # a kicker or a section in capitals over the headline
        names, rest = _leading_names(line.text)
        if not names:
            continue
        tail_ok = not rest or bool(parse_date_in(rest, context)) or bool(_AFTER_BYLINE.match(rest)) or bool(
            re.match(r"^[@/(]|^(?:\d+\s*)?(?:min|hours?|days?|ago)\b", rest)
        ) or bool(_RELATIVE_HINT.search(rest)) or bool(name_before_affiliation(line.text))
        beside = [lines[j] for j in (k - 1, k + 1, k + 2) if 0 <= j < len(lines) and j != anchor]
        dated = any(b.length <= 120 and parse_date_in(b.text, context) is not None for b in beside[:2]) or bool(rest and parse_date_in(rest, context))
        # "VICTOR TANGERMANN, FUTURISM" over the date: the outlet after the name.
        tail_ok = tail_ok or dated and _OUTLET_TAIL.match(rest) is not None
        if not tail_ok:
            continue
        labelled = any(_AFTER_BYLINE.match(b.text) for b in beside)
        under_title = title is not None and 0 < k - anchor <= 3
        if dated or labelled or under_title and k >= anchor:
            return names
    return []


# One to three capitalised words without figures: an outlet's name after a byline's names.
_OUTLET_TAIL = re.compile(r"^[A-ZÀ-Ý][\w&'’.-]*(?: [A-ZÀ-Ý&][\w&'’.-]*){0,2}$")


def end_credits(lines: list[Line]) -> list[str]:
    """Writers credited after the article: "(Reporting by Will Dunham; Editing by Tom Brown)", "Posted by X at 12:55 AM"."""
    for line in lines:
        if line.length > 200:
            continue
        m = _END_CREDIT.match(line.text)
        if m and not re.match(r"\(?(?:additional|editing)", line.text, re.IGNORECASE):
            names = split_names(m["names"], single=True)
            if names:
                return names
    return []


# --------------------------------------------------------------------------- headline, dek, section


# A headline may end in an abbreviation ("... Underneath N.Y.C.", "... in the U.S.").
_ABBREVIATION_END = re.compile(r"(?:\b[A-Z]\.){2,}$|\b(?:Jr|Sr|St|Inc|Co|Ltd|vs)\.$")


# A line that says when relative to the copy ("1 day ago", "Today 7:30AM", "8h").
_RELATIVE_HINT = re.compile(
    r"\b(?:\d{1,3}|an?)\s*(?:s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?)\s+ago\b"
    r"|^(?:today|yesterday|heute|gestern|hoy|ayer|hoje|ontem|oggi|ieri)\b\W{0,3}(?:at\s+|um\s+|a las\s+|às\s+|alle\s+)?\d{0,2}[:.]?\d{0,2}\s*(?:[ap]\.?m\.?|uhr)?$"
    r"|(?:^|[•·|]\s*)\d{1,2}\s?[hmd]$",
    re.IGNORECASE,
)


def _header_line(line: Line) -> bool:
    """A byline, a date, a relative time, or names with a date, handle or role: the block under a headline."""
    if is_meta_line(line):
        return True
    if line.length <= 80 and (UPDATED.match(line.text) or PUBLISHED.match(line.text)) and re.search(r"\d", line.text):
        return True  # "Updated Nov 19, 9:41 AM": a date without its year is still the header's
    if line.length > 80 or line.sentence:
        return False
    if _RELATIVE_HINT.search(line.text):
        return True
    names, rest = _leading_names(line.text)
    return bool(names) and bool(rest) and (bool(_AFTER_BYLINE.match(rest)) or bool(parse_date_in(rest)) or bool(_RELATIVE_HINT.search(rest)))


def content_keys(text: str) -> set[str]:
    """The words that carry a text's topic: longer words, case-folded; character pairs in scripts without spaces."""
    cjk = CJK.findall(text)
    if len(cjk) * 2 > len(text.replace(" ", "")):
        return {a + b for a, b in pairwise(cjk)}
    return {w.casefold() for w in TOKEN.findall(text) if len(w) >= 4 and not w.isdigit()}


def lede_keys(lines: list[Line], start: int) -> set[str]:
    """The topic words of the article's first paragraphs, which its headline shares."""
    keys: set[str] = set()
    taken = 0
    for line in lines[start : start + 30]:
        if line.cls == "good":
            keys |= content_keys(line.text[:2000])
            taken += 1
            if taken == 4:
                break
    return keys


def _overlap(text: str, lede: set[str]) -> float:
    """How much of a line's topic words the lede repeats (0 to 1); 0.5 when either has none to compare."""
    keys = content_keys(text)
    if not keys or not lede:
        return 0.5
    return len(keys & lede) / len(keys)


def _title_score(line: Line, lines: list[Line], start: int, counts: dict[str, int], names: set[str], lede: set[str] | frozenset[str] = frozenset()) -> float:
    text = line.text
    if line.boiler or line.barrier or text in names or line.bullet or not 3 <= line.words <= 30 or line.length > 220:
        return float("-inf")  # headlines are a few words; a long line is a dek or prose
    if BY.match(text) or (line.length < 160 and len(re.findall(r"[^\W\d_]+", text)) <= 6 and parse_date_in(text)) or _header_line(line):
        return float("-inf")  # a byline or a date line; a headline may name a date
    if re.match(r"^[←→«»‹›<>]", text) or len(re.findall(r"[^\W\d_]{2,}", text)) < 2 and line.words >= 2:
        return float("-inf")  # a link to the previous or next post; a phone number
    words = re.findall(r"[^\W\d_]+", text)
    cased = any(w.lower() != w.upper() for w in words)
    if cased and not any(w[0].isupper() for w in words) and sum(map(len, words)) < 3.5 * len(words):
        return float("-inf")  # "tv nt eic kyf msh": a menu of abbreviations
    full_stop = text.endswith(".") and not text.endswith("...") and not _ABBREVIATION_END.search(text)
    if re.search(r"[,;:]$", text) or full_stop and (line.words > 20 or not _header_line_below(line, lines)):
        return float("-inf")  # a sentence; a headline ends in a full stop only right above its byline
    # Addresses, breadcrumbs ("Home > News > ...", "HomeLatest News...") and
    # lines with a clock time are page chrome, not a headline.
    if URL.search(text) or re.match(r"(?i:home)\s*[>»/|›:]|Home(?=[A-Z])|HOME\b", text) or re.search(r"[>»/|]\s*$|\s[>»]\s", text) or TIME.search(text) and re.search(r"\d[:h]\d\d", text):
        return float("-inf")
    if UPDATED.search(text) or PUBLISHED.search(text):
        return float("-inf")
    # A byline without "By": nothing but names, or names then the outlet.
    parts = [p for p in re.split(r",\s*(?:and\s+)?|\s+(?:and|&)\s+", text) if p.strip()]
    if len(parts) >= 2 and all(clean_name(p) or name_before_affiliation(p) for p in parts):
        return float("-inf")
    pair = re.split(r"\s+(?:and|&)\s+", text, maxsplit=1)
    capitalised = all(t[0].isupper() or t in ("and", "&") for t in text.split()) and not re.search(r"[:;!?\"“”]", text)
    if len(pair) == 2 and capitalised and clean_name(pair[0]) and any(clean_name(" ".join(pair[1].split()[:n])) for n in (2, 3)):
        return float("-inf")  # "Lisa Kaczke and Trevor J. Mitchell Sioux Falls Argus Leader"
    # Headlines run to a dozen words or so; a longer line near them is a dek.
    score = min(line.words, 8) - max(0, line.words - 16) * 0.5
    # Headlines are often shown twice (breadcrumb and heading, or heading and a share box).
    if counts.get(text, 0) > 1:
        score += 4
    # The headline sits just above the byline/date block or the dek.
    # The closer the byline/date below it, the likelier the headline: teasers
    # in a sidebar above the byline are further away.
    following = lines[line.index + 1 : min(start + 1, line.index + 8)]
    gap = next((d for d, f in enumerate(following, start=1) if _header_line(f)), None)
    if gap is not None:
        score += 10 - gap
    elif line.index > 0 and is_meta_line(lines[line.index - 1]):
        score += 5  # a date line right above the headline, and no byline block under it
    nxt = lines[line.index + 1] if line.index + 1 < len(lines) else None
    if nxt is not None and 8 <= nxt.words <= 60 and nxt.sentence and not nxt.boiler and not is_meta_line(nxt) and nxt.index < start:
        score += 3  # a standfirst under it
    # Titles are in the header, near the article, never far above it.
    distance = start - line.index
    score -= distance * 0.4
    if line.words < 5 and not counts.get(text, 0) > 1:
        score -= 4
    if full_stop:
        score -= FULL_STOP_COST
    # A headline names what the article is about: its words come back in the
    # first paragraphs; a button, a notice or another story's title shares none.
    score += OVERLAP_WEIGHT * (_overlap(text, lede) - 0.5)
    return score


OVERLAP_WEIGHT = 10.0
FULL_STOP_COST = 6.0


def _header_line_below(line: Line, lines: list[Line]) -> bool:
    nxt = line.index + 1
    return nxt < len(lines) and _header_line(lines[nxt])


def _dek_under(upper: Line, lower: Line) -> bool:
    """Whether `lower` reads as the standfirst of the headline `upper`.

    A dek directly above the byline is closer to it than the headline, so it can
    outscore the headline. A dek is at least as long as the headline and reads
    as a sentence (a full stop, or clearly more function words); a kicker or a
    section label above a headline is shorter and is no headline itself.
    """
    if upper.words < 5 or upper.text.isupper() or upper.text.endswith((":", ".")) or lower.words < 8 or lower.words < 0.6 * upper.words:
        return False
    if len(re.findall(r"[a-zà-ÿ][A-ZÀ-Ý]", upper.text)) >= 2 or headline_case(lower.text):
        return False  # menu entries run together above ("TránsitoGuía de Cine"), or a second headline below
    if lower.text.endswith((".", "…")) and not lower.text.endswith("..."):
        return True
    if re.search(r"\w[.!?]\s+[A-Z]", lower.text) and not re.search(r"\w[.!?]\s+[A-Z]", upper.text):
        return True  # two sentences: a standfirst, not a headline
    return lower.stop_density >= upper.stop_density + 0.12 or headline_case(upper.text) and not headline_case(lower.text)


ANCHORED_MARGIN = 4.0
_ECHO = re.compile(r"^(?P<head>.{12,}?)\s+(?:[|–—-]|::)\s+[^|–—]{2,40}$")


def with_title_echoes(counts: Counter[str], lines: list[Line]) -> Counter[str]:
    """Line counts where "<headline> | <site>" (the window title, echoed in the page) shows the headline once more."""
    counts = Counter(counts)
    for line in lines:
        m = _ECHO.match(line.text) if line.length <= 260 else None
        if m and m["head"] in counts and m["head"] != line.text:
            counts[m["head"]] += 1
    return counts


def find_title(lines: list[Line], start: int, names: set[str], anchor: int | None = None, lede: set[str] | None = None) -> Line | None:
    counts = with_title_echoes(line_counts(lines), lines)
    if lede is None:
        lede = lede_keys(lines, start)
    anchored = None
    if anchor is not None and 3 < start - anchor < 40:
        # The headline stands just above the byline, not among the teasers
        # that may sit between the byline block and the region's start.
        nearby = find_title(lines, anchor, names, lede=lede)
        if nearby is not None and anchor - nearby.index <= 8:
            anchored = nearby
    low = max(0, start - 40)
    scored = {line.index: _title_score(line, lines, start, counts, names, lede) for line in lines[low:start]}
    best, best_score = None, float("-inf")
    for line in lines[low:start]:
        if scored[line.index] > best_score:
            best, best_score = line, scored[line.index]
    if anchored is not None and not (best is not None and best.index > anchored.index and best_score > scored.get(anchored.index, float("-inf")) + ANCHORED_MARGIN):
        return anchored  # the headline over the first byline, unless one nearer the body is clearly likelier
    if best is not None:
        # A dek won: the headline is the candidate just above it (past a short
        # line such as "New, 15 comments").
        for k in (best.index - 1, best.index - 2):
            if k < low:
                break
            if lines[k].words <= 4 and k == best.index - 1 and not lines[k].boiler:
                continue
            if scored.get(k, float("-inf")) > float("-inf") and _dek_under(lines[k], best):
                best = lines[k]
            break
        # A breadcrumb ends with the headline ("Home News Business News <headline>"):
        # when another line is the tail of the chosen one, that line is the headline.
        for line in lines:
            if line is not best and line.words >= 3 and best.text.lower().endswith(line.text.lower()) and len(line.text) < len(best.text):
                if len(line.text) < 0.5 * len(best.text) and line.words < 5:
                    continue  # "folha de s.paulo" at the end of a link label is no headline
                tail = best.text[-len(line.text) :]
                # Keep the breadcrumb's casing when the heading is set in capitals.
                return replace(line, text=tail) if line.text.isupper() and not tail.isupper() else line
        if best.text.isupper():
            # A heading set in capitals: the page often shows it in its own
            # casing elsewhere (the window title, the end of a breadcrumb).
            key = best.text.lower()
            for line in lines:
                if not line.text.isupper() and line.text.lower().endswith(key):
                    return replace(best, text=line.text[-len(best.text) :])
    if best is None and start < len(lines):
        # The region itself may begin with the headline when nothing separates them.
        first = lines[start]
        if _title_score(first, lines, start + 6, counts, names) > float("-inf") and first.cls != "good":
            return first
    return best


def find_dek(lines: list[Line], title: Line | None, body_start: int) -> Line | None:
    """The standfirst: the sentence right under the headline, before the body begins.

    Only a line with some non-body line between it and the body (a byline, a
    date, a caption) counts; otherwise it is the first paragraph.
    """
    if title is None:
        return None
    k = title.index + 1
    while k < len(lines) and lines[k].text == title.text:
        k += 1
    if k < len(lines) and lines[k].words <= 4 and not is_meta_line(lines[k]) and k + 1 < body_start:
        k += 1  # "New, 15 comments" between the headline and the dek
    if k >= len(lines):
        return None
    line = lines[k]
    if is_meta_line(line) or line.boiler or not (6 <= line.words <= 70) or line.bullet:
        return None
    if not re.search(r"[.!?…。”\"']$", line.text) and line.words < 10:
        return None
    # A timestamp ("Updated Nov 19, 6:55 AM") or a byline without "By"
    # ("Lisa Kaczke and Trevor J. Mitchell") sits where a dek would.
    if re.search(r"\s[»>›|/]\s", line.text):  # a breadcrumb trail
        return None
    if URL.search(line.text) or UPDATED.search(line.text) or PUBLISHED.search(line.text) or re.search(r"\d[:h]\d\d", line.text) and line.words < 15:
        return None
    if split_names(re.split(r"\s(?:and|&)\s", line.text, maxsplit=1)[0]) and not line.sentence:
        return None
    if k + 1 >= len(lines) or lines[k + 1].cls == "good" and k + 1 >= body_start and not is_meta_line(lines[k + 1]):
        return None
    return line


_ACCOUNT = re.compile(r"\b(?:close|log ?(?:in|out)|sign ?(?:in|out|up)|register|account|subscribe|newsletters?|search|menu)\b", re.IGNORECASE)


def find_section(lines: list[Line], title: Line | None) -> str | None:
    """The kicker above the headline when the page's own menu lists it.

    A short line right above the headline is a section, a tag or a breadcrumb;
    it is the section when the same words are an entry of a menu (a run of four
    or more short label lines) higher up. Kickers often run the section and a
    tag together ("TechAmazon"), so a menu entry followed by a capital counts.
    """
    if title is None or title.index == 0:
        return None
    entries: set[str] = set()
    run: list[str] = []
    # The kicker lines themselves (just above the headline) are not menu entries.
    for line in lines[: max(0, title.index - 2)] + [None]:  # type: ignore[list-item]
        label = line.text.strip("•·▪►-–—|/ ") if line is not None else ""
        if line is not None and label and line.words <= 4 and not line.sentence:
            run.append(label)
            continue
        if len(run) >= 4:
            entries.update(run)
        run = []
    entries -= {"Home", "HOME", "Menu", "MENU", "News"}
    for k in range(title.index - 1, max(-1, title.index - 2), -1):
        kicker = lines[k].text.strip("•·▪►-–—|/ ")
        if not kicker or lines[k].words > 5 or lines[k].boiler or _ACCOUNT.search(kicker):
            continue
        for entry in sorted(entries, key=len, reverse=True):
            if kicker == entry or (kicker.startswith(entry) and kicker[len(entry) : len(entry) + 1].isupper()):
                return entry
    return None


# --------------------------------------------------------------------------- publication and address

_COPYRIGHT = re.compile(r"(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:(?:19|20)\d{2}\s*(?:[-–]\s*(?:19|20)?\d{2,4})?\s*)?,?\s*(?P<holder>[^.|©]{2,80})", re.IGNORECASE)
_TRADEMARK = re.compile(r"^(?P<name>[A-Z][\w&'’ ]{1,40}?) is a (?:registered )?trademark of", re.IGNORECASE)
_LEGAL_SUFFIX = re.compile(
    r"(?:,?\s+(?:media|ip|limited|ltd|inc|llc|llp|plc|corp|corporation|group|company|co|holdings|gmbh|s\.?a|"
    r"publishing|publications|enterprises|digital|interactive|network|networks|ventures|properties|all|rights|reserved))+\.?$",
    re.IGNORECASE,
)
_LEGAL_LINE = re.compile(r"©|\bcopyright\b|\btrademark\b|all rights reserved", re.IGNORECASE)
# The outlet named as the author of its own desk or as the original publisher.
_OWN_NAME = [
    re.compile(r"^(?:by\s+)?(?P<name>[A-Z][\w&'’.]*(?: [A-Z][\w&'’.]*){0,3}) staff\b", re.IGNORECASE),
    re.compile(r"\boriginally (?:published|appeared) (?:by|on|in) (?P<name>[A-Z][\w&'’.]*(?: [A-Z][\w&'’.]*){0,3})"),
]


def find_publication(lines: list[Line]) -> tuple[str | None, bool]:
    """The outlet's name, and whether the page bears it out.

    Candidates: a trademark line ("Rolling Stone is a registered trademark of ..."),
    the outlet naming itself ("By HNN Staff", "originally published by Futurism"),
    the copyright holder. A copyright holder is often the parent company ("Penske
    Media", "Hearst Communications"): the first candidate the page also shows
    outside its legal lines wins; if none does, the holder is kept, to review.
    """
    candidates = [name for name in (_trademark_name(lines), *_own_names(lines), _copyright_holder(lines)) if name]
    if not candidates:
        return None, False
    shown = [line.text for line in lines if not _LEGAL_LINE.search(line.text)]
    for name in candidates:
        word = re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)", re.IGNORECASE)
        if any(word.search(text) for text in shown):
            return name, True
    return candidates[-1] if _copyright_holder(lines) else candidates[0], False


def _trademark_name(lines: list[Line]) -> str | None:
    for line in reversed(lines):
        m = _TRADEMARK.match(line.text)
        if m:
            name = m["name"].strip()
            return name.title() if name.isupper() and len(name) > 4 else name
    return None


def _own_names(lines: list[Line]) -> list[str]:
    names = []
    for line in lines:
        if line.length > 200:
            continue
        for pattern in _OWN_NAME:
            m = pattern.search(line.text)
            if m and m["name"].lower() not in ("the", "our", "editorial", "news"):
                name = m["name"].strip(" .")
                names.append(name.title() if name.isupper() and len(name) > 4 else name)
    return names


def _copyright_holder(lines: list[Line]) -> str | None:
    for line in reversed(lines):
        if line.length > 300:
            continue
        m = _COPYRIGHT.search(line.text)
        if not m:
            continue
        holder = re.split(r"\s*(?:all rights|\||todos os|hak cipta|все права|\bby\b)", m["holder"], flags=re.IGNORECASE)[0]
        holder = re.sub(r"^(?:copyright\s*|(?:19|20)\d{2}\s*[-–]?\s*|[,\s]+)+", "", holder, flags=re.IGNORECASE)
        holder = re.split(r"\s[—–|/-]\s|\(|\s-\s|\s(?:or|and) its\s|,\s", holder)[0].strip(" ,.-–")
        holder = _LEGAL_SUFFIX.sub("", holder).strip(" ,.-–")
        holder = re.sub(r"\s+(?:&|and)$|\s*&$", "", _LEGAL_SUFFIX.sub("", holder)).strip(" ,.-–")
        if 2 <= len(holder) <= 60 and not re.search(r"\d{3}", holder) and holder[0].isupper():
            return holder
    return None


def find_source_url(text: str, title: str | None) -> str | None:
    """An address in the text that points at this article: its path shares words with the headline."""
    if not title:
        return None
    title_words = {w.lower() for w in TOKEN.findall(title) if len(w) > 3}
    best, best_hits = None, 1
    for url in URL.findall(text):
        url = url.rstrip(".,;")
        path = url.split("://", 1)[1].partition("/")[2]
        hits = len(title_words & {w.lower() for w in re.findall(r"[A-Za-z0-9]+", path)})
        if hits > best_hits:
            best, best_hits = url, hits
    return best
