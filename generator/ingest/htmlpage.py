"""Turn a page's HTML (a fetched link, a saved page, the clipboard's HTML) into an article.

Pure: `read_html(html, url)` takes the page's text (`decode_html` makes it from the
bytes) and the address it came from and returns an `HtmlReading` (the `Extraction`,
and how the body was found); no I/O.

- Body: trafilatura finds the article's element tree on the page (paragraphs,
  subheadings, lists, quotes, tables, links); `body_markdown` turns that tree into
  the same Markdown the text reader writes. Images and embeds are dropped (no page
  may load anything from outside the site), and so are figure captions. A body
  cut into chunks of one kind is joined first, so trafilatura sees all of it;
  links to other stories and the outlet's promotions it kept are dropped after.
  When trafilatura finds no body, the page's visible text goes through the text
  reader instead, and the result says so.
- Metadata: what the page declares, best source first (`metadata.py`).
- Not an article: a page whose text is mostly links (a home page, a section
  front) or that holds only a couple of sentences (a paywall, login or consent
  wall) is refused with the reason, rather than written as a stub.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin, urlsplit

import lxml.html
import trafilatura
from lxml import etree

from ..text import first_sentences
from .extraction import Extraction, missing
from .metadata import PageMetadata, read_metadata
from .normalize import parse_date_in, split_names
from .textpage import extract

# The header a fetched page is saved with: the address and fetch time, as browsers'
# "save page" does (`<!-- saved from url=(0044)https://... -->`), so the saved file
# alone can be ingested again offline into the same article (its `added` is the
# day of the fetch). Browsers' own saved pages carry the address too, without a time.
_SAVED_FROM = re.compile(rb"\A\s*<!--\s*saved from url=(?:\(\d+\))?(?P<url>\S+)(?P<rest>[^>]*?)-->", re.IGNORECASE)
_CHARSET_NOTE = re.compile(rb"\bcharset=(?P<charset>[\w.:-]+)")
_FETCHED_NOTE = re.compile(rb"\bfetched (?P<at>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")

# A page with fewer sentences of running text than this is a stub: the teaser a
# paywall, a login or a consent wall lets through, not the article.
MIN_SENTENCES = 3
MIN_WORDS = 40
# Share of a page's visible words that sit inside links, above which the page is a
# list of links (a home page, a section front, search results) when it has no body.
LINK_PAGE_SHARE = 0.5

# A sentence ends at a full stop before a space, the end, or a capital run on without a space (".The").
_SENTENCE_END = re.compile(r"[.!?…。！？](?:[\"'”’)\]]*)(?=\s|$|[A-Z][a-z])")
_WORD = re.compile(r"\w+")
_BLOCKS = frozenset(
    ["address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul"]
)
_INVISIBLE = ("script", "style", "noscript", "template", "head", "svg", "iframe", "object", "embed", "video", "audio", "canvas")


class NotAnArticle(Exception):
    """The page is no article (a list of links, a stub behind a wall); the message says which."""


@dataclass(frozen=True)
class HtmlReading:
    extraction: Extraction
    from_text: bool  # the body came from the page's visible text, not its article markup


def saved_header(url: str, fetched: str, charset: str | None) -> bytes:
    """The first line of a fetched page's saved copy: where and when it was fetched."""
    note = f" charset={charset}" if charset else ""
    return f"<!-- saved from url={url} fetched {fetched}{note} by Labor Digest -->\n".encode("ascii", "backslashreplace")


@dataclass(frozen=True)
class SavedFrom:
    """What a saved page's first comment records; None where it says nothing."""

    url: str | None
    charset: str | None
    fetched: datetime | None  # when Labor Digest fetched it (UTC)


def saved_from(raw: bytes) -> SavedFrom:
    """The address, charset and fetch time recorded in a saved page's first comment."""
    m = _SAVED_FROM.match(raw[:4096])
    if not m:
        return SavedFrom(None, None, None)
    url = m["url"].decode("ascii", "replace")
    charset = _CHARSET_NOTE.search(m["rest"])
    fetched = _FETCHED_NOTE.search(m["rest"])
    return SavedFrom(
        url if url.startswith(("http://", "https://")) else None,
        charset["charset"].decode() if charset else None,
        datetime.fromisoformat(fetched["at"].decode()) if fetched else None,
    )


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_LATIN = {"iso-8859-1", "latin-1", "latin1", "l1", "us-ascii", "ascii", "windows-1252", "cp1252"}


def decode_html(raw: bytes, declared: str | None = None) -> str:
    """A page's text: the charset from a BOM, the HTTP header or the saved copy, else its <meta>; a detector last.

    A declared charset that does not fit the bytes (a page saying UTF-8 and sending
    cp1252) is not trusted; the detector (charset-normalizer) reads the bytes instead.
    Latin-1 declared over valid UTF-8 is UTF-8 (a server's default, not the page's).
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace")
    meta = _META_CHARSET.search(raw[:8192])
    for charset in (declared, meta[1].decode("ascii", "replace") if meta else None):
        if not charset:
            continue
        name = charset.strip().lower()
        if name in _LATIN:
            try:
                return raw.decode("utf-8")
            except UnicodeDecodeError:
                return raw.decode("cp1252", errors="replace")
        try:
            return raw.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    # On a short page several legacy code pages read equally clean; among those the
    # web's own default for undeclared Western pages, windows-1252, is the likeliest.
    matches = list(from_bytes(raw))
    if not matches:
        return raw.decode("cp1252", errors="replace")
    cleanest = min(m.chaos for m in matches)
    tied = [m for m in matches if m.chaos <= cleanest + 0.01]
    chosen = next((m for m in tied if m.encoding == "cp1252"), None) or from_bytes(raw).best() or matches[0]
    return str(chosen)


def looks_like_html(text: str) -> bool:
    """Whether text given as a page (a file, standard input) is markup rather than copied text.

    The clipboard's HTML is often a fragment with no <html> (`<meta charset="utf-8"><div>...`);
    copied text practically never starts with a tag and closes one.
    """
    head = text.lstrip("\ufeff \t\r\n")[:2000]
    return bool(re.match(r"<(?:!doctype|!--|\?xml|[a-z][a-z0-9]*[\s/>])", head, re.IGNORECASE)) and bool(
        re.search(r"</[a-z][a-z0-9]*\s*>|<(?:meta|br|img|link)\b", text[:200_000], re.IGNORECASE)
    )


# --------------------------------------------------------------------------- body


def _inline(el: etree._Element, base: str | None) -> str:
    """An element's text as Markdown inline text: links as [text](url), the rest escaped."""
    parts: list[str] = [_escape_inline(el.text or "")]
    for child in el:
        if child.tag == "ref":
            label = " ".join(_inline(child, base).split())
            target = _link_target(child.get("target"), base)
            parts.append(f"[{label}]({target})" if target and label else label)
        elif child.tag == "lb":
            parts.append("\n")
        elif child.tag != "graphic":
            parts.append(_inline(child, base))
        parts.append(_escape_inline(child.tail or ""))
    return "".join(parts)


def _escape_inline(text: str) -> str:
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("`", "\\`").replace("<", "&lt;").replace("[", "\\[").replace("]", "\\]")


def _link_target(target: str | None, base: str | None) -> str | None:
    """An absolute http(s) address for a link, or None (javascript:, mailto: and the like go)."""
    if not target:
        return None
    url = urljoin(base or "", target.strip())
    if urlsplit(url).scheme not in ("http", "https"):
        return None
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def _line(text: str) -> str:
    """One block's inline text on one line, with Markdown's block syntax at its start escaped."""
    text = " ".join(text.split())
    return re.sub(r"^(\d+)([.)])(\s)", r"\1\\\2\3", re.sub(r"^([#>+=-])", r"\\\1", text))


def body_markdown(body: etree._Element, base: str | None) -> str:
    """trafilatura's body tree as our Markdown: paragraphs, ## subheadings, lists, quotes, tables."""
    blocks: list[str] = []
    for el in body:
        block = _block(el, base)
        if block:
            blocks.append(block)
    return "\n\n".join(blocks)


def _block(el: etree._Element, base: str | None) -> str:
    tag = el.tag
    if tag in ("graphic", "figure") or el.get("rend") in ("figcaption", "caption"):
        return ""
    if tag == "head":
        text = _line(_inline(el, base)).lstrip("\\")
        return ("### " if el.get("rend") in ("h3", "h4", "h5", "h6") else "## ") + text if text else ""
    if tag == "list":
        ordered = el.get("rend") == "ol"
        items = []
        for n, item in enumerate(el.iterchildren("item"), start=1):
            text = _line(_inline(item, base))
            if text:
                items.append(f"{n}. {text}" if ordered else f"- {text}")
        return "\n".join(items)
    if tag == "quote":
        inner = body_markdown(el, base) if len(el) and all(c.tag in ("p", "list", "head", "quote") for c in el) else _line(_inline(el, base))
        return "\n".join(("> " + line).rstrip() for line in inner.splitlines()) if inner.strip() else ""
    if tag == "table":
        return _table(el, base)
    if tag == "div":
        return body_markdown(el, base)
    return _line(_inline(el, base))


def _table(el: etree._Element, base: str | None) -> str:
    rows = [[_line(_inline(cell, base)).replace("|", "\\|") for cell in row.iterchildren("cell")] for row in el.iterchildren("row")]
    rows = [row for row in rows if any(row)]
    if not rows:
        return ""
    width = max(len(row) for row in rows)
    if width == 1:
        return "\n\n".join(row[0] for row in rows if row[0])
    rows = [row + [""] * (width - len(row)) for row in rows]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * width]
    lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    return "\n".join(lines)


# --------------------------------------------------------------------------- the page's own text


def visible_text(doc: lxml.html.HtmlElement) -> str:
    """Roughly what a browser shows as the page's text (innerText): one line per block."""
    parts: list[str] = []

    def walk(el: etree._Element) -> None:
        if not isinstance(el.tag, str) or el.tag in _INVISIBLE or el.get("hidden") is not None:
            if el.tail:
                parts.append(el.tail)
            return
        block = el.tag in _BLOCKS
        if block:
            parts.append("\n")
        if el.text:
            parts.append(el.text)
        for child in el:
            walk(child)
        if block:
            parts.append("\n")
        if el.tail:
            parts.append(el.tail)

    walk(doc)
    lines = (" ".join(line.split()) for line in "".join(parts).splitlines())
    return "\n".join(line for line in lines if line)


def link_share(doc: lxml.html.HtmlElement) -> tuple[float, int]:
    """(share of the visible words inside links, number of links): a list of links scores high."""
    words = len(_WORD.findall(visible_text(doc)))
    linked = 0
    links = 0
    for a in doc.iter("a"):
        if a.get("href"):
            links += 1
            linked += len(_WORD.findall(a.text_content()))
    return (min(1.0, linked / words) if words else 0.0), links


def sentences(text: str) -> int:
    return len(_SENTENCE_END.findall(text))


# --------------------------------------------------------------------------- reader


def parse(html: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(html)


def read_html(html: str, url: str | None = None) -> HtmlReading:
    """The article in a page's HTML (already decoded), with its metadata. Raises NotAnArticle."""
    try:
        doc = parse(html)
    except (etree.ParserError, ValueError) as exc:
        raise NotAnArticle(f"cannot be read as HTML ({exc})") from None
    meta = read_metadata(doc, url)
    if meta.collection:
        raise NotAnArticle(
            f"is a list of articles (the page calls itself a {meta.collection.rsplit('/', 1)[-1]}), not an article: "
            "a home page or a section front? Give the link of one article"
        )
    _join_chunks(doc)
    found = trafilatura.bare_extraction(
        doc, url=url, include_links=True, include_images=False, include_comments=False,
        include_tables=True, favor_precision=True, with_metadata=False, deduplicate=False,
    )
    base = url  # relative links resolve against the address the page was served from, as in a browser
    body_tree = getattr(found, "body", None) if found is not None else None
    body_md = body_markdown(body_tree, base) if body_tree is not None else ""
    body_md = _drop_furniture(_drop_headline(body_md, meta))
    if not _is_article_text(body_md) and not _short_article(doc, body_md, meta):
        text_version = extract(visible_text(doc))
        if _is_article_text(text_version.body_md):
            return HtmlReading(_merge(meta, text_version), True)
        shown = sentences(body_md or text_version.body_md)
        raise NotAnArticle(
            f"shows only {shown} sentence{'s' if shown != 1 else ''} of article text: a paywall, login or consent wall? " + _GET_IT
        )
    return HtmlReading(_merge(meta, None, body_md), False)


def _join_chunks(doc: lxml.html.HtmlElement) -> None:
    """An article body split into chunks of one kind (ads between them) becomes one element.

    trafilatura takes the first element that looks like the article's body; a page
    that cuts its body into several (`<div class="article__body">` once per few
    paragraphs) would lose all but the first. Elements with the same class, each
    holding two or more paragraphs of running text, within one <article> (or
    <main>, or the page), are joined into the first, in page order.
    """
    counts: dict[lxml.html.HtmlElement, int] = {}
    for p in doc.iter("p"):
        if len(_WORD.findall(p.text_content())) >= 15:
            for a in p.iterancestors("div", "section"):
                counts[a] = counts.get(a, 0) + 1
    groups: dict[tuple[object, str, str], list[lxml.html.HtmlElement]] = {}
    for el in doc.iter("div", "section"):  # page order
        cls = " ".join((el.get("class") or "").split())
        if cls and counts.get(el, 0) >= 2:
            home = next(el.iterancestors("article", "main"), None)
            groups.setdefault((home, el.tag, cls), []).append(el)
    order = {el: n for n, el in enumerate(doc.iter())}
    for chunks in groups.values():
        outer = [el for el in chunks if not any(a in chunks for a in el.iterancestors())]
        # Only chunks with nothing to read between them (an ad, a spacer): else the text between would move.
        joined = outer[:1]
        for chunk in outer[1:]:
            if _words_between(order, joined[-1], chunk, enough=10) > 10:
                break
            joined.append(chunk)
        for chunk in joined[1:]:
            first = joined[0]
            if len(first):
                first[-1].tail = (first[-1].tail or "") + (chunk.text or "")
            else:
                first.text = (first.text or "") + (chunk.text or "")
            first.extend(list(chunk))
            chunk.drop_tree()  # keeps its tail in the page


def _words_between(order: dict[lxml.html.HtmlElement, int], before: lxml.html.HtmlElement, after: lxml.html.HtmlElement, enough: int) -> int:
    """Words of visible text after one element and before a later one (counted up to `enough`)."""
    ancestors = set(after.iterancestors())
    words = 0
    for text in before.xpath("following::text()"):
        owner = text.getparent()
        # A tail follows its element's whole subtree; an element's own text starts it.
        if order.get(owner, -1) >= order[after] or (text.is_tail and owner in ancestors):
            break
        hidden = owner.tag in _INVISIBLE if not text.is_tail else any(a.tag in _INVISIBLE for a in owner.iterancestors())
        if not hidden:
            words += len(_WORD.findall(text))
            if words > enough:
                break
    return words


_GET_IT = "Open the page in a browser where you can read it, then save it or copy its HTML (select all, copy) and ingest that"
# What a paywall, a sign-in form or a cookie wall says in the little text it lets through.
_WALL_WORDS = re.compile(
    r"\b(?:subscribe|subscription|subscribers?|sign[ -]?in|log[ -]?in|register|create an account|continue reading|keep reading|"
    r"already a member|members only|paywall|cookies|consent|privacy settings)\b",
    re.IGNORECASE,
)


def _short_article(doc: lxml.html.HtmlElement, body_md: str, meta: PageMetadata) -> bool:
    """Whether a body below article length is kept: a news brief of a paragraph's words, in plain prose.

    Refused (NotAnArticle) when it is a wall's teaser or the page a list of links;
    False when the page's visible text should be read instead.
    """
    shown = sentences(body_md)
    words = len(_WORD.findall(body_md))
    if (meta.paywalled or _WALL_WORDS.search(body_md)) and words < 4 * MIN_WORDS:
        raise NotAnArticle(
            f"shows only {shown} sentence{'s' if shown != 1 else ''} of article text, behind what looks like a paywall, "
            "login or consent wall. " + _GET_IT
        )
    if words >= MIN_WORDS and shown >= 1:
        return True
    share, links = link_share(doc)
    if share >= LINK_PAGE_SHARE and links >= 20:
        raise NotAnArticle(
            f"is a list of links ({links} links, {share:.0%} of its words linked), not an article: "
            "a home page or a section front? Give the link of one article"
        )
    return False


def _is_article_text(body_md: str) -> bool:
    return sentences(body_md) >= MIN_SENTENCES and len(_WORD.findall(body_md)) >= MIN_WORDS


def _drop_headline(body_md: str, meta: PageMetadata) -> str:
    """The headline, byline or date repeated at the top of the body is metadata, not body text."""
    blocks = body_md.split("\n\n") if body_md else []
    title = _plain(meta.title or "")
    names = [n.casefold() for n in meta.authors]
    while blocks:
        first = _plain(blocks[0])
        short = len(_WORD.findall(first)) <= 12
        if (title and first == title) or (short and names and _BYLINE.match(first) and any(n in first for n in names)) or (
            _is_date_line(first)
        ):
            blocks.pop(0)
            continue
        break
    return "\n\n".join(blocks)


_BYLINE = re.compile(r"^(?:(?:written|posted|reported|story)\s+)?(?:by|von|por|par|oleh|door)\b", re.IGNORECASE)
# The words of a printed date line ("Published: Tuesday, March 4, 2025 at 9:30 a.m. ET") and nothing else.
_DATE_WORD = re.compile(
    r"(?:published|updated|posted|on|at|[ap]\.?m\.?|utc|gmt|[ecmp][sd]?t|bst|cet|cest|ist|jst|"
    r"mon|tue|wed|thu|fri|sat|sun)[a-z]*|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?|\d+(?:st|nd|rd|th)?",
    re.IGNORECASE,
)


# A label that introduces links to other pages, not text of this one ("Related:", "SEE MORE:", "Leia também:").
_LINKS_LABEL = re.compile(
    r"^(?:#+\s*)?(?:related(?: (?:posts?|stories|articles?|content|coverage|reading))?|see (?:also|more)|read (?:more|also|next)|also read|more(?: on this| stories| from \w+)?|"
    r"recommended|watch(?: now)?|listen(?: now)?|download|don['’]t miss|further reading|"
    r"leia (?:também|mais)|veja (?:também|mais)|(?:à )?lire aussi|voir aussi|lee (?:también|más)|ver (?:también|más)|"
    r"mehr zum thema|lesen sie auch|baca juga|читайте также)\s*[:|–—-]",
    re.IGNORECASE,
)
_MD_LINK = re.compile(r"\[((?:[^\[\]\\]|\\.)*)\]\([^)]*\)")
_COPYRIGHT = re.compile(r"©|\(c\)\s*\d{4}|\bcopyright\b|\ball rights reserved\b", re.IGNORECASE)
# A block that asks the reader to sign up or follow: the outlet's promotion, not the article.
_PROMO = re.compile(r"\b(?:sign up|subscribe|newsletter|follow us)\b", re.IGNORECASE)


def _drop_furniture(body_md: str) -> str:
    """Links to other pages and the outlet's promotions that trafilatura kept inside the article.

    Dropped: a block that a label such as "Related:" or "SEE MORE:" opens and links
    fill; a list whose every item is one whole link; a run of two or more paragraphs
    at the end that are each one whole link; a short block asking the reader to sign
    up, subscribe or follow, with a link to do it; the outlet's copyright line at the end.
    """
    blocks = body_md.split("\n\n") if body_md else []
    kept = []
    for block in blocks:
        words = len(_WORD.findall(_MD_LINK.sub(r"\1", block)))  # the words a reader sees, not the links' addresses
        linked = sum(len(_WORD.findall(text)) for text in _MD_LINK.findall(block))
        label = _LINKS_LABEL.match(block)
        if label and linked >= 0.6 * max(1, words - len(_WORD.findall(label[0]))):
            continue
        lines = block.splitlines()
        if len(lines) >= 2 and all(re.fullmatch(r"(?:- |\d+\. )" + _MD_LINK.pattern + r"\W*", line) for line in lines):
            continue
        if words <= 50 and linked and _PROMO.search(block):
            continue
        kept.append(block)
    while kept and len(_WORD.findall(kept[-1])) <= 25 and _COPYRIGHT.search(kept[-1]):
        kept.pop()
    if len(kept) >= 2 and all(_MD_LINK.fullmatch(b.strip()) for b in kept[-2:]):
        while kept and _MD_LINK.fullmatch(kept[-1].strip()):
            kept.pop()
    return "\n\n".join(kept)


def _is_date_line(block: str) -> bool:
    words = re.findall(r"[\w.]+", block)
    return 0 < len(words) <= 12 and parse_date_in(block) is not None and all(_DATE_WORD.fullmatch(w.rstrip(".") or w) for w in words)


def _plain(block: str) -> str:
    return " ".join(re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", block).lstrip("#").replace("\\", "").split()).casefold()


def _merge(meta: PageMetadata, text_version: Extraction | None, body_md: str | None = None) -> Extraction:
    """What the page declares first; the text reader's findings only where the markup says nothing."""
    fallback = text_version or Extraction(None, None, (), None, None, None, None, None, "", None, ())
    title = meta.title or fallback.title
    dek = meta.description or fallback.dek
    body = body_md if body_md is not None else fallback.body_md
    authors = meta.authors or fallback.authors or credited(body)
    published = meta.published or fallback.date
    updated = meta.updated if meta.published else (meta.updated or fallback.updated)
    publication = meta.publication or fallback.publication
    section = meta.section or fallback.section
    source_url = meta.canonical or meta.url or fallback.source_url
    review = missing(title=title, dek=dek, authors=authors, date=published, publication=publication, section=section, source_url=source_url)
    if meta.authors_doubtful and "authors" not in review:
        review.append("authors")
    summary = dek or _first_paragraph_summary(body)
    return Extraction(
        title=title, dek=dek, authors=tuple(authors), date=published, updated=updated if updated != published else None,
        publication=publication, section=section, source_url=source_url, body_md=body, summary=summary,
        review=tuple(review), language=meta.language or fallback.language,
    )


# The wire services' credit line at the end of a story: "(Reporting by Will Dunham in Washington; Editing by Tom Brown)".
_CREDIT = re.compile(r"(?<!additional )\b(?:reporting|writing) by ([^;()]+)", re.IGNORECASE)


def credited(body_md: str) -> tuple[str, ...]:
    """The reporters a story's closing credit line names, where no byline names anyone."""
    for block in reversed(body_md.split("\n\n")[-4:]):
        found = [n for m in _CREDIT.finditer(block.replace("\\", "")) for n in split_names(re.split(r"\s+in\s+[A-Z]", m[1])[0])]
        if found:
            return tuple(dict.fromkeys(found))
    return ()


def _first_paragraph_summary(body_md: str) -> str | None:
    for block in body_md.split("\n\n"):
        if block[:1] not in "#>-|" and len(_WORD.findall(block)) >= 12:
            return first_sentences(block.replace("\\", ""), max_words=60) or None
    return None
