"""Turn the text of a copied news page into an article: metadata and a Markdown body.

Pure: `extract(text)` takes the page text (what "select all, copy" gives) and
returns an `Extraction`; no I/O. The stages:

1. `textlines`: each line gets shallow features and a jusText class (good,
   near-good, short, bad); headings that open page furniture become barriers.
2. Here: the article is the contiguous region with the most prose (a maximum-sum
   run over per-line scores: prose adds, short and boilerplate lines subtract,
   each more in a long run), so it bridges a caption or an ad between
   paragraphs but not a menu. The first paragraph under the page's first
   byline (or under a date below a headline) weighs extra: that is where an
   article starts, and it keeps long comment threads or teaser lists from
   outweighing a short article.
3. Inside that region, short lines stay only when their neighbours make them
   look like subheadings or list items (context smoothing); a block of data
   rows right after the last paragraph (tour dates, results) is taken in.
4. `textmeta`: the headline, dek, byline and dates from the lines around the
   region, the outlet from the page's furniture. Each field is the best
   candidate the page gives; a field the page does not show, or one read with a
   guess, is listed in `review`. Nothing is invented.

A page with a headline and some paragraphs always gives an article: when no
region holds much prose, the prose there is still the body, to review. Only a
page with no prose at all gives an empty body, and `what_the_page_is` then says
what it shows instead (a list of links, a login form, a cookie wall).

Rules are written against general signals, never one outlet's strings; each rule
says why it exists.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from .extraction import Extraction, missing
from .normalize import BY, DateContext, clean_name, date_context, parse_date_in, split_names
from .textlines import (
    BULLET,
    CJK,
    INLINE_FURNITURE,
    LENGTH_HIGH,
    LENGTH_LOW,
    TOKEN,
    Line,
    classify,
    clean,
    detect_language,
    headline_case,
    line_counts,
    looks_like_heading,
    mark_menu_runs,
    split_lines,
)
from .textmeta import (
    bare_byline,
    byline_for,
    choose_dates,
    credited_in_dek,
    end_credits,
    find_bylines,
    find_dates,
    find_dek,
    find_publication,
    find_section,
    find_source_url,
    find_title,
    is_meta_line,
    later_dates,
)

# --------------------------------------------------------------------------- region


BARRIER_COST = 800.0
HEADLINE_COST = 40.0
KICKER_COST = 120.0


def _line_score(line: Line) -> float:
    """What a line adds to an article region: prose adds its length, the rest costs."""
    if line.barrier:
        # Comments end the article for good; a furniture heading usually does,
        # but "Related" boxes also sit inside articles, so enough prose after
        # one may bridge it.
        return -BARRIER_COST if INLINE_FURNITURE.match(line.text.strip("•·▪►-–— ")) else -10_000.0
    if line.cls == "good":
        return float(line.length)
    if line.cls == "near":
        return line.length * 0.5
    if line.dateline:
        # A date on a line of its own below the headline block belongs to a
        # teaser of another story (title, author, date, snippet).
        return -150.0
    if line.cls == "short" and line.text.isupper() and line.words <= 6:
        # A kicker in capitals ("RECEIVED BIPARTISAN SUPPORT") labels a teaser.
        return -KICKER_COST
    if line.cls == "short" and headline_case(line.text):
        # A Title Cased line is a headline; below the article's own headline
        # it is mostly another story's (teasers, "Most Popular" lists).
        return -HEADLINE_COST
    if line.cls == "short":
        return -25.0
    return -60.0


def find_anchor(lines: list[Line]) -> int | None:
    """The page's first byline, or a date line just under a headline-shaped line.

    The article's headline sits just above it and its first paragraph just
    below; a masthead's date sits under menus, not under a headline.
    """
    for k, line in enumerate(lines):
        byline = line.words <= 12 and (_is_byline(line.text) or BY.fullmatch(line.text) and k + 1 < len(lines) and clean_name(lines[k + 1].text))
        dated = line.length <= 80 and parse_date_in(line.text) is not None and any(
            prev.words >= 5 and not prev.text.endswith(".") and not prev.boiler for prev in lines[max(0, k - 3) : k]
        )
        if byline or dated:
            return k
    # No byline or date: a headline-shaped line the page shows twice (as the
    # heading and at the end of the breadcrumb or in the window title).
    counts = line_counts(lines)
    for k, line in enumerate(lines[:400]):
        headline_shaped = line.words >= 3 and line.cls != "bad" and not line.bullet and not line.text.endswith((".", ":", ";", ","))
        if not headline_shaped:
            continue
        near = lines[max(0, k - 3) : k + 4]
        if counts[line.text] >= 2 or any(other is not line and other.text.endswith(" " + line.text) for other in near):
            return k + 1 if k + 1 < len(lines) and lines[k + 1].text.endswith(line.text) else k
    return None


def _byline_bonus(lines: list[Line], anchor: int | None) -> dict[int, float]:
    """Extra weight for the first prose right under the anchor (the byline).

    Comments, teasers and "You may like" lists further down can hold more
    prose than a short article; position relative to the byline tells them apart.
    """
    if anchor is None:
        return {}
    for j in range(anchor + 1, min(len(lines), anchor + 8)):
        if lines[j].cls == "good":
            return {j: BYLINE_BONUS}
    return {}


BYLINE_BONUS = 1000.0


def _is_byline(text: str) -> bool:
    """ "By Jane Doe", "September 10, 2018 | by Catherine": a credit to a named writer."""
    m = BY.match(text) or re.search(r"(?:^|[|•·,–—-]\s*)by\s+(?=[A-ZÀ-Ý])", text)
    if not m:
        return False
    rest = text[m.end():].strip()
    return bool(split_names(rest)) or bool(re.match(r"[A-ZÀ-Ý][\w'’.-]+$", rest))


def _scores(lines: list[Line], bonus: dict[int, float]) -> list[float]:
    """Per-line scores; each further line in a run of non-prose lines costs more."""
    scores, run = [], 0
    for i, line in enumerate(lines):
        score = _line_score(line) + bonus.get(i, 0.0)
        if score < 0:
            run += 1
            score *= 1 + 0.25 * max(0, run - 3)
        else:
            run = 0
        scores.append(score)
    return scores


def _max_run(scores: list[float], low: int, high: int) -> tuple[float, tuple[int, int]]:
    """Maximum-sum contiguous run of scores[low:high] (Kadane)."""
    best, best_span = float("-inf"), (low, low)
    total, start = 0.0, low
    for i in range(low, high):
        if total <= 0:
            total, start = 0.0, i
        total += scores[i]
        if total > best:
            best, best_span = total, (start, i + 1)
    return best, best_span


def best_region(lines: list[Line], anchor: int | None = None) -> tuple[int, int]:
    """[start, end) of the contiguous run of lines with the highest total score.

    Each further line in an unbroken run of non-prose lines costs more than the
    last: one caption or ad between paragraphs is bridged, a block of tags,
    share buttons and teasers is not (boilerpipe's neighbour-density idea).

    When the best run lies beyond a hard furniture heading ("You may like",
    "Comments") that follows the prose under the byline, the prose under the
    byline is the article if it holds a fair share of text: what follows such a
    heading is other stories or readers' comments, however long.
    """
    bonus = _byline_bonus(lines, anchor)
    scores = _scores(lines, bonus)
    best, span = _max_run(scores, 0, len(lines))
    if bonus:
        first = next(iter(bonus))
        hard = [i for i in range(first, span[0]) if lines[i].barrier and scores[i] <= -10_000.0]
        if not span[0] <= first < span[1] and hard:
            local, local_span = _max_run(scores, 0, hard[0])
            if local_span[0] <= first < local_span[1] and local - BYLINE_BONUS >= 0.2 * best:
                return local_span
    return span


def _is_data_row(line: Line) -> bool:
    """A row of figures: a number after its first word ("June 9 – Tampa"), or three numbers.

    A number only at the front is a listicle headline ("27 Oddest Cases"), a teaser.
    """
    tokens = TOKEN.findall(line.text)
    numeric = [i for i, t in enumerate(tokens) if any(ch.isdigit() for ch in t)]
    return len(tokens) >= 3 and (len(numeric) >= 3 or any(i > 0 for i in numeric))


def extend_with_data_block(lines: list[Line], end: int) -> int:
    """Take in a block of data rows that closes the article (tour dates, a results table).

    Rows of dates, prices or scores have no stop words and come in runs, so the
    classifier calls them a menu; a block of them right after the last
    paragraph (optionally under a heading), printed as one block with no blank
    lines, each row carrying figures, and free of boilerplate, is the article's.
    """
    k = end
    if k < len(lines) and looks_like_heading(lines[k]) and not lines[k].barrier and k + 1 < len(lines) and lines[k + 1].blank_before:
        k += 1
    block = [lines[k]] if k < len(lines) else []
    for line in lines[k + 1 :]:
        if line.blank_before:
            break
        block.append(line)
    if len(block) < 3 or any(line.boiler or line.barrier for line in block):
        return end
    if sum(1 for line in block if _is_data_row(line)) < 0.8 * len(block):
        return end
    for line in block:  # rows of the article now, shown as a list
        line.cls, line.bullet = "near", True
    if k > end:
        lines[end].cls = "short"  # their heading, even if it sat in a run of short lines
    return block[-1].index + 1




def smooth(lines: list[Line], start: int, end: int) -> list[Line]:
    """The lines of the region that belong to the article (jusText's context smoothing).

    Good and near-good lines stay; bad lines go. A short line is judged by its
    nearest non-short neighbours: between prose on both sides it is part of
    the text (a subheading, a list item, a one-line paragraph); with prose on
    one side only it stays if it reads as a heading leading into that prose.
    """
    region = lines[start:end]
    kept: list[Line] = []

    def neighbour(k: int, step: int) -> str:
        j = k + step
        while 0 <= j < len(region) and region[j].cls == "short":
            j += step
        if not 0 <= j < len(region):
            return "edge"
        return "prose" if region[j].cls in ("good", "near") else "bad"

    for k, line in enumerate(region):
        if line.cls in ("good", "near"):
            kept.append(line)
            continue
        if line.cls == "bad" or line.dateline:
            continue
        before, after = neighbour(k, -1), neighbour(k, 1)
        if before == "prose" and after == "prose" or after == "prose" and looks_like_heading(line) and k + 1 < len(region) and region[k + 1].cls in ("good", "near"):
            kept.append(line)
    return kept


# --------------------------------------------------------------------------- body


def _escape(text: str) -> str:
    """Keep the page's characters but stop them from reading as Markdown syntax."""
    text = text.replace("\\", "\\\\").replace("*", "\\*").replace("`", "\\`").replace("<", "&lt;")
    text = re.sub(r"^([#>+=-])", r"\\\1", text)
    text = re.sub(r"^(\d+)([.)])(\s)", r"\1\\\2\3", text)
    return text


def to_markdown(kept: list[Line]) -> str:
    """Paragraphs, "## " subheadings and "- " list items, in page order, text as on the page."""
    blocks: list[str] = []
    list_items: list[str] = []
    for line in kept:
        if line.bullet and line.words <= 80:
            item = BULLET.sub("", line.raw.strip()) or line.text
            list_items.append("- " + _escape(clean(item)))
            continue
        if list_items:
            blocks.append("\n".join(list_items))
            list_items = []
        if line.cls == "short" and not line.sentence and looks_like_heading(line):
            blocks.append("## " + _escape(line.text).lstrip("\\"))
        else:
            blocks.append(_escape(line.text))
    if list_items:
        blocks.append("\n".join(list_items))
    return "\n\n".join(blocks)


# --------------------------------------------------------------------------- summary


def make_summary(dek: str | None, body_lines: list[Line]) -> str | None:
    """The dek if there is one, else one to three sentences from the first paragraph."""
    if dek:
        return dek
    from ..text import first_sentences

    for line in body_lines:
        if line.cls in ("good", "near") and line.words >= 12 and not line.bullet:
            # Three sentences of 60 words lie well inside the first few thousand characters.
            return first_sentences(line.text[:4000], max_words=60) or None
    return None


# --------------------------------------------------------------------------- main

# C0 and C1 control characters (tab and newline aside): never part of what a reader
# copied, and never allowed into an article.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\ufffe\uffff]")


@dataclass
class Layout:
    """Where a copied page's article is: its lines, the region and what the header search needs."""

    lines: list[Line]
    language: str | None
    anchor: int | None
    start: int  # the body's first line, past any headline block the region opened with
    end: int
    thin: bool  # the region holds little prose
    context: DateContext
    bylines: list[tuple[int, list[str]]]
    names: set[str]  # person names of the header, never a headline


def layout(text: str, copied_at: datetime | None = None) -> Layout | None:
    """Lines, article region and header bylines of a page's text (None: no prose at all)."""
    text = _CONTROL.sub(" ", unicodedata.normalize("NFC", text.replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n")))
    lines = split_lines(text)
    sample = text[:200_000]
    tokens = [t.lower() for t in TOKEN.findall(sample)]
    language = "cjk" if len(CJK.findall(sample)) > len(tokens) * 0.3 else detect_language(tokens)
    classify(lines, language)
    mark_menu_runs(lines)
    anchor = find_anchor(lines)
    start, end = best_region(lines, anchor)
    end = extend_with_data_block(lines, end)
    prose = sum(line.length for line in lines[start:end] if line.cls in ("good", "near"))
    thin = end <= start or prose < LENGTH_HIGH
    if thin:
        start, end = _best_prose_run(lines)
        if end <= start:
            return None
    # The header: headline, dek, byline, date sit in the lines above the body.
    # The region may open with the headline block itself (headline, dek,
    # byline, date) when nothing short separates it from the first paragraph:
    # the header then ends at the last byline/date line near the region's top.
    context = date_context(text, language, copied_at)
    meta = [k for k in range(start, min(end, start + 6)) if lines[k].cls != "good" and is_meta_line(lines[k])]
    if meta:
        start = meta[-1] + 1
    start = _past_inner_header(lines, start, end)
    header_low = max(0, start - 40)
    bylines = find_bylines(lines, header_low, min(len(lines), start + 2))
    names = {name for _k, found in bylines for name in found}
    names |= {line.text for line in lines[header_low:start] if clean_name(line.text) and line.words <= 4}
    return Layout(lines, language, anchor, start, end, thin, context, bylines, names)


_HEADER_LINES = 10


def _past_inner_header(lines: list[Line], start: int, end: int) -> int:
    """The body's start when the region opens with other prose above the article's header.

    A cookie notice or a site blurb can join the region: a headline-shaped line
    with a byline or date line under it in the region's first lines is the
    article's header, and the body starts below it.
    """
    for k in range(start + 1, min(end, start + 15)):
        above = lines[k - 1]
        if not is_meta_line(lines[k]) or lines[k].cls == "good":
            continue
        headline_shaped = 3 <= above.words <= 30 and not above.text.endswith((".", ",", ";", ":")) and not above.boiler and above.length < 200
        prose_above = [line.length for line in lines[start : k - 1] if line.cls == "good"]
        if not headline_shaped or len(prose_above) > 4:
            continue
        body = k + 1
        while body < min(end, k + _HEADER_LINES) and is_meta_line(lines[body]):
            body += 1  # (a header's bylines and dates fill a few lines, never a page: a list of dates is no header)
        if sum(prose_above) < sum(line.length for line in lines[body : body + 10] if line.cls == "good"):
            return body
    return start


def extract(text: str, copied_at: datetime | None = None) -> Extraction:
    """Metadata and Markdown body of the article in a copied page's text.

    `copied_at` is when the page was copied (the source file's time): dates the
    page gives relative to that ("22 hours ago") or without their year resolve
    against it, and go to `review`.
    """
    page = layout(text, copied_at)
    if page is None:
        return _empty(None)
    lines, language, anchor, start, end, thin, context = page.lines, page.language, page.anchor, page.start, page.end, page.thin, page.context
    bylines, name_set, header_low = page.bylines, page.names, max(0, page.start - 40)
    title_line = find_title(lines, start, name_set, anchor)
    author_names = byline_for(bylines, title_line)
    authors_guessed = False
    if title_line is not None and title_line.index >= start:
        start = title_line.index + 1
    dek_line = find_dek(lines, title_line, start)
    if dek_line is not None and dek_line.index >= start:
        start = dek_line.index + 1
    if not author_names:
        # No "By": a standfirst that names its writers, names on a line of their
        # own in the header, or a credit after the article. Likely, not certain.
        author_names = (
            credited_in_dek(dek_line.text if dek_line else None)
            or bare_byline(lines, title_line, header_low, min(len(lines), start + 1), context)
            or end_credits(lines[max(start, end - 4) : min(len(lines), end + 15)])
        )
        authors_guessed = bool(author_names)

    body_lines = _body_lines(lines, start, end, title_line, dek_line, author_names)
    body_md = to_markdown(body_lines)

    # Dates: from the headline (or a little above) down to the start of the body,
    # then labelled ones further down ("First published on ...").
    date_low = max(0, (title_line.index if title_line else start) - 5)
    header_dates = find_dates(lines[date_low : min(len(lines), start + 2)], context)
    published, updated, date_unsure = choose_dates(header_dates, later_dates(lines[start : min(len(lines), end + 20)], context))

    title = title_line.text if title_line else None
    title_guessed = False
    if title is None:
        title, title_guessed = _stand_in_title(lines, start, body_lines), True
    dek = dek_line.text if dek_line else None
    publication, publication_sure = find_publication(lines)
    section = find_section(lines, title_line)
    source_url = find_source_url(text, title)
    review = missing(
        title=title and not title_guessed, dek=dek, authors=author_names, date=published,
        publication=publication, section=section, source_url=source_url,
    )
    if published and date_unsure and "date" not in review:
        review.append("date")
    if publication and not publication_sure:
        review.append("publication")
    if authors_guessed:
        review.append("authors")  # names without "By": likely, not certain
    if thin:
        review.append("body")  # little prose: check that this is the article
    return Extraction(
        title=title,
        dek=dek,
        authors=tuple(author_names),
        date=published.value if published else None,
        updated=updated.value if updated else None,
        publication=publication,
        section=section,
        source_url=source_url,
        body_md=body_md,
        summary=make_summary(dek, body_lines),
        review=tuple(review),
        language=language,
    )


def _body_lines(lines: list[Line], start: int, end: int, title: Line | None, dek: Line | None, authors: list[str]) -> list[Line]:
    """The region's lines that are the article's text, in order, each once."""
    kept = smooth(lines, start, end)
    drop = {line.text for line in (title, dek) if line is not None}
    seen: set[str] = set()
    author_keys = {name.lower() for name in authors}
    body = []
    # A line the page shows both inside and outside the article is a caption
    # repeated in a gallery, a teaser or a share box; a long paragraph stays
    # (pages may print the opening paragraph again as a summary).
    elsewhere = {line.text for line in lines[:start] + lines[end:] if line.length >= 40}
    for line in kept:
        if line.text in elsewhere and (line.cls != "good" or line.length < LENGTH_HIGH):
            continue
        # Headline and byline repeated in the body, and lines shown twice, go.
        if line.text in drop or line.text in seen or BY.match(line.text) and line.words <= 8 or line.text.lower() in author_keys:
            continue
        seen.add(line.text)
        body.append(line)
    return body


def _best_prose_run(lines: list[Line]) -> tuple[int, int]:
    """[start, end) of the longest run of prose lines, for a page whose best region holds little.

    A short item (a notice, a brief, a page cut short after two paragraphs) has
    little prose; it is still the article. A lone short sentence is not.
    """
    best, best_span, run, run_start = 0, (0, 0), 0, 0
    for k, line in enumerate(lines + [None]):  # type: ignore[list-item]
        if line is not None and line.cls in ("good", "near") and not line.boiler:
            if run == 0:
                run_start = k
            run += line.length
            continue
        if line is not None and line.cls == "short" and run and not line.barrier:
            continue  # a subheading or caption between paragraphs
        if run > best:
            best, best_span = run, (run_start, k)
        run = 0
    return best_span if best >= LENGTH_LOW else (0, 0)


def _stand_in_title(lines: list[Line], start: int, body: list[Line]) -> str | None:
    """A headline when the page shows none we can tell: the heading-like line nearest above the body, else its first words."""
    for line in reversed(lines[max(0, start - 8) : start]):
        if 2 <= line.words <= 30 and not line.boiler and not line.bullet and not is_meta_line(line) and not line.text.endswith((".", ",", ";", ":")):
            return line.text
    if body:
        # Twelve words, and no more than a headline's length: a "word" can be a
        # whole paragraph in scripts written without spaces, or in a mangled copy.
        start_words = body[0].text[:_STAND_IN_CHARS * 2].split()
        title = " ".join(start_words[:12])
        if len(title) > _STAND_IN_CHARS:
            title = title[:_STAND_IN_CHARS].rsplit(" ", 1)[0] if " " in title[:_STAND_IN_CHARS] else title[:_STAND_IN_CHARS]
        return title + ("…" if title != body[0].text else "")
    return None


_STAND_IN_CHARS = 100


def _empty(language: str | None) -> Extraction:
    return Extraction(None, None, (), None, None, None, None, None, "", None, ("title", "body"), language)


# --------------------------------------------------------------------------- what a page without an article is

_LOGIN = re.compile(r"\b(?:password|passwort|mot de passe|contraseña|senha|log ?in|sign ?in|anmelden|iniciar sesión|entrar)\b", re.IGNORECASE)
_COOKIES = re.compile(r"\bcookies?\b|\bconsent\b|\bprivacy (?:settings|preferences|choices)\b|\bdatenschutz\b", re.IGNORECASE)
_PAYWALL = re.compile(r"\bsubscribe (?:to (?:continue|read)|now)\b|\bsubscribers? only\b|\balready a subscriber\b|\bto continue reading\b", re.IGNORECASE)
_ERROR_PAGE = re.compile(r"\b(?:404|page not found|not found|no longer available|access denied|forbidden)\b", re.IGNORECASE)


def what_the_page_is(text: str) -> str:
    """What a text with no article shows instead, for the message that says why nothing was written."""
    # Blank lines are dropped before cleaning: a text of a million empty lines is answered at once.
    lines = [clean(line) for line in filter(str.strip, text.splitlines())]
    lines = [line for line in lines if line]
    if not lines:
        return "no text at all"
    short = sum(1 for line in lines if len(line) < LENGTH_LOW)
    joined = "\n".join(lines[:400])[:200_000]  # a wall's words are on its first screen, even of a huge text
    if _LOGIN.search(joined) and len(_LOGIN.findall(joined)) >= 2 and short >= 0.6 * len(lines):
        return "a login form"
    if len(_COOKIES.findall(joined)) >= 2 and len(lines) <= 60:
        return "a cookie wall"
    if _PAYWALL.search(joined) and len(lines) <= 120:
        return "a subscription wall"
    if _ERROR_PAGE.search(joined) and len(lines) <= 80:
        return "an error page"
    if len(lines) >= 8 and short >= 0.8 * len(lines):
        return f"a list of {len(lines)} short lines (menus or links), no paragraphs"
    return f"{len(lines)} line{'' if len(lines) == 1 else 's'} but no run of paragraphs"
