"""What an HTML page declares about its article: headline, people, dates, outlet, section, address.

Best source first, as the page's publisher meant it to be read by machines:

1. JSON-LD (`NewsArticle`, `Article`, `ReportageNewsArticle`, `BlogPosting`, ..., also
   inside `@graph`, authors also as lists and `@id` references);
2. OpenGraph and article meta (`og:title`, `og:site_name`, `article:published_time`,
   `article:section`, `author`), parsely and sailthru tags;
3. `<time datetime>` and byline elements (`rel=author`, `itemprop=author`, class "byline");
4. trafilatura's and htmldate's readings, for what the page's own declarations leave out.

Dates keep the offset the page gives; a time without one keeps only its day; of the
dates a page declares, the one it prints for a reader wins. Authors are people (one
per entry), never a desk or an outlet when a person is named, and never a sidebar
story's or a commenter's: the article's byline is the one nearest its headline. The
headline loses the " | Outlet" that `<title>` and often `og:title` carry. A page that
declares itself a collection (a home page, a section front) says so.
What nothing declares stays None and goes to `review`.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html

from .normalize import TIME, clean_name, parse_date_in, split_names

for _name in ("trafilatura", "htmldate", "courlan", "justext"):
    # Their warnings ("discarding data") are about pages, and we report pages ourselves.
    logging.getLogger(_name).addHandler(logging.NullHandler())
    logging.getLogger(_name).propagate = False

# What schema.org calls a page of many items: a home page, a section front, search results.
_COLLECTION_TYPES = re.compile(r"(?:^|[/:])(?:CollectionPage|SearchResultsPage|ItemList)$")
_ARTICLE_TYPES = re.compile(r"(?:^|[/:])(?:\w*NewsArticle|Article|BlogPosting|Report|LiveBlogPosting|SocialMediaPosting)$")
_SEPARATORS = re.compile(r"\s+(?:[|–—•·:»/]|-{1,2}|::)\s+")
_BY_WORDS = (
    r"(?:(?:written|posted|reported|story|text|words)\s+by|(?:publicado|postado|escrito|publié|écrit|geschrieben|scritto)\s+(?:por|par|von|da)"
    r"|by|von|por|par|oleh|door|от|автор|текст)"
)
_BY = re.compile(r"^\s*" + _BY_WORDS + r"\b[:\s]*", re.IGNORECASE)
# A printed byline: "By Jane Doe", also after a date ("05/10/2018 - Published by: Jane Doe").
_BYLINE_TEXT = re.compile(r"(?:^|\s[-|–—•·]\s)(" + _BY_WORDS + r"\s*:?\s+[A-ZÀ-ÖØ-ÞА-ЯЁ].*)$", re.IGNORECASE)
_ROLE_AFTER = re.compile(r",\s*[^,]*\b(?:writer|reporter|correspondent|editor|columnist|contributor|producer)s?\b.*$", re.IGNORECASE)
# A byline runs on into the outlet or the day ("Finian Cunningham. Sputnik", "Malcolm Owen Monday").
_AFTER_NAMES = re.compile(
    r"(?<=[a-z]{2})\.\s.*$|\s+(?:on\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b.*$"
    r"|\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?\s+\d.*$",
    re.IGNORECASE,
)
# A person's name in Chinese, Japanese or Korean: two to four characters, one word.
_CJK_NAME = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf\uac00-\ud7af\u3040-\u30ff]{2,4}")
# What ends the name of a desk, an outlet or a role rather than a person in those scripts
# (新华社 news agency, 光明网 website, 编辑 editor, 기자 reporter, 편집부 editorial office).
_CJK_BODY = re.compile(r"(?:社|网|報|报|台|站|部|组|組|团|團|编辑|編輯|记者|記者|기자|편집|뉴스|신문|방송)$|^(?:佚名|匿名|小编|管理员|관리자|운영자)$")
_CJK_ROLE = re.compile(r"\s+(?:记者|記者|기자|특파원|칼럼니스트)$")
_BYLINE_CLASS = re.compile(r"\b(?:byline|author|writer|contributor)", re.IGNORECASE)
_NOT_BYLINE_CLASS = re.compile(r"(?:bio|avatar|image|img|photo|social|follow|twitter|email|more|related|box|card|list|about|comment|reply)", re.IGNORECASE)


@dataclass(frozen=True)
class PageMetadata:
    title: str | None
    description: str | None
    authors: tuple[str, ...]
    authors_doubtful: bool  # names from byline markup only, which also holds roles and desks
    published: datetime | date | None
    updated: datetime | date | None
    publication: str | None
    section: str | None
    canonical: str | None  # the page's address for itself
    url: str | None  # the address it was read from (after redirects)
    language: str | None
    paywalled: bool = False  # JSON-LD says the article is not free to read
    collection: str | None = None  # the JSON-LD type of a page that lists articles (CollectionPage), when it has none


# --------------------------------------------------------------------------- JSON-LD


def _json_ld_nodes(doc: lxml.html.HtmlElement) -> list[dict[str, Any]]:
    """Every object in the page's JSON-LD blocks, @graph members included, in page order."""
    nodes: list[dict[str, Any]] = []

    def collect(value: Any) -> None:
        if isinstance(value, list):
            for v in value:
                collect(v)
        elif isinstance(value, dict):
            nodes.append(value)
            if "@graph" in value:
                collect(value["@graph"])

    for script in doc.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        text = (script.text or "").strip()
        text = re.sub(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$", "", text)
        try:
            collect(json.loads(text, strict=False))
        except ValueError:
            # Hand-written blocks often have a trailing comma.
            try:
                collect(json.loads(re.sub(r",\s*([}\]])", r"\1", text), strict=False))
            except ValueError:
                continue
    return nodes


def _types(node: dict[str, Any]) -> list[str]:
    kind = node.get("@type")
    return [str(k) for k in (kind if isinstance(kind, list) else [kind]) if k]


def _is_article(node: dict[str, Any]) -> bool:
    return any(_ARTICLE_TYPES.search(k) for k in _types(node))


def _text(value: Any) -> str | None:
    """A plain string from a JSON-LD value (a string, a list of strings, an object with a name)."""
    if isinstance(value, list):
        value = next((v for v in value if v), None)
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value")
    if isinstance(value, (str, int, float)) and str(value).strip():
        text = " ".join(lxml.html.fromstring(f"<p>{value}</p>").text_content().split()) if "<" in str(value) or "&" in str(value) else " ".join(str(value).split())
        return text or None
    return None


def _article_node(nodes: list[dict[str, Any]]) -> dict[str, Any] | None:
    articles = [n for n in nodes if _is_article(n)]
    # A page may describe related articles too; the one with a headline and a body is the page's own.
    articles.sort(key=lambda n: (not n.get("headline"), not n.get("articleBody"), not n.get("datePublished")))
    if articles:
        return articles[0]
    # A WebPage whose mainEntity is the article.
    for n in nodes:
        entity = n.get("mainEntity")
        if isinstance(entity, dict) and _is_article(entity):
            return entity
    return None


def _json_ld_people(value: Any, by_id: dict[str, dict[str, Any]]) -> list[str]:
    """The people named as authors (organisations left out); `@id` references are resolved."""
    people: list[str] = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, dict) and set(item) <= {"@id", "@type"} and item.get("@id") in by_id:
            item = by_id[item["@id"]]
        if isinstance(item, str):
            people.extend(_names(item))
            continue
        if not isinstance(item, dict):
            continue
        name = item.get("name")
        if isinstance(name, list):
            name = ", ".join(str(n) for n in name if n)
        if not name:
            given, family = item.get("givenName"), item.get("familyName")
            name = " ".join(str(p) for p in (given, family) if p)
        if not name:
            continue
        kinds = " ".join(_types(item)).casefold()  # "Person", "person", "NewsMediaOrganization"
        if "organization" not in kinds:
            people.extend(_names(str(name), person="person" in kinds))
    return people


def _names(text: str, person: bool = False, field: bool = False) -> list[str]:
    """People in one author string: "By Jane Doe and John Roe" -> both, "Staff" -> none.

    A single name ("Regan") counts only where the page says it is a person: a
    JSON-LD Person (`person`), or after "By"; a name in a script without
    capitals (肖春芳) also in an author meta field (`field`).
    """
    text = " ".join(lxml.html.fromstring(f"<p>{text}</p>").text_content().split()) if "<" in text else " ".join(text.split())
    by = _BY.match(text)
    text = _ROLE_AFTER.sub("", _AFTER_NAMES.sub("", _BY.sub("", text)))
    if not text or re.match(r"https?://", text):
        return []
    cjk = _CJK_ROLE.sub("", text)
    if (person or field or by) and _CJK_NAME.fullmatch(cjk) and not _CJK_BODY.search(cjk):
        return [cjk]
    # An agency's initials in a "name" ("AP National Security" from "AP National Security Writer") make it a desk.
    names = [
        n for n in split_names(text)
        if (not any(re.fullmatch(r"[A-Z]{2,4}", t) for t in n.split()) or n.isupper())
        and any(len(t.strip(".")) > 1 for t in n.split())  # "J J" is initials of no one
    ]
    if not names and (person or by) and re.fullmatch(r"[^\W\d_][\w'’.-]{1,30}", text) and text[0].isupper() and not re.search(r"[a-z][A-Z]", text) and clean_name(text + " X"):
        names = [text]
    return names


# --------------------------------------------------------------------------- meta tags


def _meta(doc: lxml.html.HtmlElement) -> dict[str, list[str]]:
    """Every <meta> value by lower-cased name/property/itemprop, in page order."""
    found: dict[str, list[str]] = {}
    for el in doc.iter("meta"):
        content = el.get("content")
        if content is None or not content.strip():
            continue
        for attr in ("property", "name", "itemprop"):
            key = el.get(attr)
            if key:
                found.setdefault(key.strip().lower(), []).append(" ".join(content.split()))
    return found


def _first(meta: dict[str, list[str]], *keys: str) -> str | None:
    for key in keys:
        if meta.get(key):
            return meta[key][0]
    return None


def _parsely(meta: dict[str, list[str]]) -> dict[str, Any]:
    """The parsely-page JSON blob (older Parse.ly tags), if any."""
    raw = _first(meta, "parsely-page")
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


# --------------------------------------------------------------------------- dates


def parse_date(value: Any) -> datetime | date | None:
    """A declared date: ISO 8601 keeps its offset; a time without one keeps only its day."""
    parsed = _parse_instant(value)
    return parsed.date() if isinstance(parsed, datetime) and parsed.tzinfo is None else parsed


def _parse_instant(value: Any) -> datetime | date | None:
    """A declared date as given: with its offset, or naive when it has a time but no zone."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        parsed = None
    if parsed is None:
        m = re.match(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?", text)
        if m:
            try:
                parsed = datetime.fromisoformat(f"{m[1]}T{m[2]}{re.sub('Z|UTC|GMT', '+00:00', m[3] or '')}")
            except ValueError:
                parsed = None
    if parsed is None:
        found = parse_date_in(text)
        return found[0] if found else None
    if not 1990 <= parsed.year <= 2100:
        return None
    return parsed


def _time_elements(doc: lxml.html.HtmlElement) -> tuple[datetime | date | None, datetime | date | None]:
    """(published, updated) from <time datetime> elements, the first of each kind in the page."""
    published = updated = None
    for el in doc.iter("time"):
        value = parse_date(el.get("datetime"))
        if value is None:
            continue
        marks = " ".join(filter(None, (el.get("class"), el.get("itemprop"), el.getparent().get("class") if el.getparent() is not None else None)))
        if re.search(r"modif|updat", marks, re.IGNORECASE):
            updated = updated or value
        elif published is None:
            published = value
    return published, updated


_DATE_CLASS = re.compile(r"date|time|stamp|publish|byline", re.IGNORECASE)


def _printed_dates(doc: lxml.html.HtmlElement) -> list[tuple[datetime | date, datetime | None]]:
    """Dates as the page prints them for a reader (<time> text, date-marked elements), in page order.

    Each is (value, wall clock): the value as `parse_date_in` reads it (with its zone
    when the text names one), and the printed day and time without zone when the text
    shows a time but no zone, so the declared instant can say which zone it was.
    """
    times = list(doc.iter("time"))
    texts: list[str] = [" ".join(el.text_content().split()) for el in times]
    marked = [el for el in doc.xpath("//*[@class]") if _DATE_CLASS.search(el.get("class") or "") and el.tag not in ("html", "body", "script", "style")]
    texts += [" ".join(el.text_content().split()) for el in marked]
    found: list[tuple[datetime | date, datetime | None]] = []
    # A <time> element's own machine value, with its offset, marks up the date it shows.
    stamps = [value for value in (_parse_instant(el.get("datetime")) for el in times) if isinstance(value, datetime) and value.tzinfo]
    for text in texts:
        if not text or len(text) > 150:
            continue
        parsed = parse_date_in(text)
        if parsed is None:
            continue
        value = parsed[0]
        clock = None
        if not isinstance(value, datetime):
            m = TIME.search(text)
            if m:
                hour, minute = int(m["h"]), int(m["m"])
                ampm = (m["ampm"] or "").lower().replace(".", "").replace(" ", "")
                hour += 12 if ampm == "pm" and hour < 12 else 0
                hour = 0 if ampm == "am" and hour == 12 else hour
                if hour < 24:
                    clock = datetime.combine(value, time(hour, minute))
        found.append((value, clock))
        if len(found) >= 12:
            break
    return found + [(stamp, None) for stamp in stamps[:12]]


def reconcile(declared: datetime | date | None, printed: list[tuple[datetime | date, datetime | None]]) -> datetime | date | None:
    """The publication time as the reader sees it, when the page prints the declared instant in its own zone.

    Pages often declare the instant in UTC (`2019-11-20T01:50:59Z`) and print it in
    their zone ("Nov. 19, 2019 5:50 PM"): the day a reader sees is the printed one.
    A declared time without zone is most often UTC; it keeps its time only when
    the print agrees.
    """
    if not isinstance(declared, datetime):
        return declared
    shown = _as_printed(declared, printed)
    if shown is not None:
        return shown
    return declared.date() if declared.tzinfo is None else declared


def _as_printed(declared: datetime | date, printed: list[tuple[datetime | date, datetime | None]]) -> datetime | date | None:
    """The declared date as the page prints it, or None when no printed date agrees with it.

    A printed time with a zone within 14 hours of the declared instant is that
    instant as printed; a printed time without one gives the offset when the
    minutes agree and the difference is a whole quarter hour; a printed day
    agrees with a declared time on that day. Other printed dates (a sidebar, the
    site's "today") agree with nothing.
    """
    if not isinstance(declared, datetime):
        return declared if any(_day(value) == declared for value, _clock in printed) else None
    naive = declared.tzinfo is None
    utc = (declared if naive else declared.astimezone(UTC).replace(tzinfo=None)).replace(second=0, microsecond=0)
    for value, clock in printed:
        if isinstance(value, datetime):
            printed_utc = value.astimezone(UTC).replace(tzinfo=None, second=0)
            if naive and (printed_utc == utc or value.replace(tzinfo=None, second=0) == utc):
                return value
            if not naive and abs(value - declared) <= timedelta(hours=14):
                return value
        elif clock is not None:
            offset = clock - utc
            if abs(offset) <= timedelta(hours=14) and offset.total_seconds() % 900 == 0:
                return clock.replace(tzinfo=timezone(offset)) if offset or not naive else clock.date()
    if any(not isinstance(value, datetime) and value == declared.date() for value, _clock in printed):
        return declared.date() if naive else declared
    return None


def _day(value: datetime | date) -> date:
    return value.date() if isinstance(value, datetime) else value


def _published(declared: list[datetime | date], printed: list[tuple[datetime | date, datetime | None]]) -> datetime | date | None:
    """Of the publication dates a page declares, best source first, the first one it prints for a reader.

    Pages declare several (JSON-LD's dateCreated, a meta tag's first publication,
    a republished copy's date); when the best source's date is printed nowhere
    and another's is, the printed one is the date a reader sees. A day alone
    ("November 19, 2019" in JSON-LD) takes its time from a later declaration of
    that same day.
    """
    for n, value in enumerate(declared):
        shown = _as_printed(value, printed)
        if shown is not None:
            if not isinstance(shown, datetime):
                timed = next((v for v in declared[n + 1 :] if isinstance(v, datetime) and v.tzinfo and v.date() == shown), None)
                return reconcile(timed, printed) if timed else shown
            return shown
    return reconcile(declared[0], printed) if declared else None


# --------------------------------------------------------------------------- bylines


def _byline_people(doc: lxml.html.HtmlElement, headline: lxml.html.HtmlElement | None) -> list[str]:
    """People named in the page's byline markup (rel=author, itemprop=author, a "byline" class), else a "By" line.

    A page holds other bylines too: related stories in a sidebar, commenters. The
    article's is the one nearest after its headline (else the nearest before it),
    never one inside the comments.
    """
    order = {el: n for n, el in enumerate(doc.iter())} if headline is not None else {}
    for find in (_marked_authors, _byline_classes, lambda page: _by_lines(page, headline)):
        found = [(el, text) for el, text in find(doc) if not _in_comments(el)]
        if headline is not None and headline in order:
            at = order[headline]
            found.sort(key=lambda c: (order.get(c[0], 0) < at, abs(order.get(c[0], 0) - at)))
        people = _first_byline(found)
        if people:
            return people
    return []


def _marked_authors(doc: lxml.html.HtmlElement) -> list[tuple[lxml.html.HtmlElement, str]]:
    candidates = []
    for el in doc.xpath('//*[@rel="author" or @itemprop="author" or @itemprop="creator"]'):
        name_el = el.xpath('.//*[@itemprop="name"]')
        text = (name_el[0] if name_el else el).text_content().strip()
        if text:  # a <link rel="author"> names no one
            candidates.append((el, text))
    return candidates


def _byline_classes(doc: lxml.html.HtmlElement) -> list[tuple[lxml.html.HtmlElement, str]]:
    marked = [
        el for el in doc.xpath("//*[@class]")
        if el.tag not in ("body", "html", "article", "main", "section", "script", "style")
        and _BYLINE_CLASS.search(el.get("class") or "") and not _NOT_BYLINE_CLASS.search(el.get("class") or "")
    ]
    inner = set(marked)
    for el in marked:
        # The innermost byline element holds the names alone, without the outlet and date around them.
        if any(a in inner for a in el.iterancestors()):
            inner.discard(next(a for a in el.iterancestors() if a in inner))
    candidates = []
    for el in marked:
        text = " ".join(el.text_content().split())
        if el in inner and 3 <= len(text) <= 120:
            candidates.append((el, text))
    return candidates


def _first_byline(candidates: list[tuple[lxml.html.HtmlElement, str]]) -> list[str]:
    """The names of the first byline among the candidates, with its co-authors in sibling elements."""
    people: list[str] = []
    group = None
    for el, text in candidates:
        if people and group is not None and group not in el.iterancestors():
            break
        names = [n for n in _names(text) if n not in people]
        if names and not people:
            group = next((a for a in el.iterancestors() if a.tag in _BLOCK_TAGS), None)
        people.extend(names)
    return people


_COMMENTS = re.compile(r"(?:^|[\s_-])(?:comments?|commentlist|disqus|discussion)(?:$|[\s_-])", re.IGNORECASE)


def _in_comments(el: lxml.html.HtmlElement) -> bool:
    """Whether an element sits in the page's comments, where every byline is a reader's."""
    return any(_COMMENTS.search(a.get("class") or "") or _COMMENTS.search(a.get("id") or "") for a in (el, *el.iterancestors()))


_BLOCK_TAGS = frozenset(("p", "div", "header", "section", "li", "ul", "address", "footer", "aside", "td", "figure", "article", "main", "body"))


def _by_lines(doc: lxml.html.HtmlElement, headline: lxml.html.HtmlElement | None) -> list[tuple[lxml.html.HtmlElement, str]]:
    """A short element that reads "By Jane Doe" under the headline, where no markup names the byline."""
    h1 = headline if headline is not None else next(iter(doc.iter("h1")), None)
    if h1 is None:
        return []
    # The byline sits within the few dozen elements after the headline.
    for el in h1.xpath("following::*[self::p or self::div or self::span or self::small or self::li or self::address][position() <= 80]"):
        text = " ".join(el.text_content().split())
        m = _BYLINE_TEXT.search(text) if len(text) <= 160 else None
        if m:
            return [(el, m[1])]
    return []


# --------------------------------------------------------------------------- headline


def _strip_outlet(title: str, outlets: list[str], host: str | None) -> str:
    """ "Headline | Outlet" -> "Headline" (also "Outlet - Headline"), when the part is the outlet.

    The outlet is recognised by name (og:site_name, publisher) or by the page's host
    ("The Verge" on theverge.com), so a headline with a dash in it is left whole.
    """
    keys = {_key(o) for o in outlets if o}
    if host:
        keys.add(_key(host.split(":")[0].removeprefix("www.").rsplit(".", 1)[0]))
    keys.discard("")

    def is_outlet(part: str) -> bool:
        k = _key(part)
        return bool(k) and (k in keys or any(len(k) >= 4 and (k in o or o in k) for o in keys))

    for _ in range(3):  # "Headline - Section - Outlet"
        parts = _SEPARATORS.split(title)
        if len(parts) < 2:
            break
        seps = _SEPARATORS.findall(title)
        if is_outlet(parts[-1]):
            title = title[: title.rfind(seps[-1])].strip()
        elif is_outlet(parts[0]):
            title = title[title.find(seps[0]) + len(seps[0]) :].strip()
        else:
            break
    return title


def _key(text: str) -> str:
    return re.sub(r"[^\w]", "", text.casefold().removeprefix("the "))


def _headline_shown(doc: lxml.html.HtmlElement, declared: str | None, outlets: set[str], page_host: str | None) -> lxml.html.HtmlElement | None:
    """The headline as the page prints it: its <h1>, the one closest to the declared headline.

    Social and search headlines (og:title, JSON-LD) are often rewritten versions of
    the printed one; the reader sees the <h1>. A page's logo or section name in an
    <h1> is not it, and with several <h1>s and no declared headline none is chosen.
    """
    seen: dict[str, lxml.html.HtmlElement] = {}
    for h in doc.iter("h1"):
        text = _shown_text(h)
        # A headline linking to another site is that site's story (an aggregator's pick), not this page's.
        if 3 <= len(text) <= 300 and _key(text) not in outlets and text not in seen and not _links_away(h, page_host):
            seen[text] = h
    if not seen:
        return None
    # Microdata naming an <h1> the headline.
    marked = next((h for h in seen.values() if (h.get("itemprop") or "").lower() == "headline"), None)
    if marked is not None:
        return marked
    if declared:
        words = set(_words(declared))
        scored = [(len(words & set(_words(h))) / max(1, len(words | set(_words(h)))), h) for h in seen]
        best, text = max(scored, key=lambda x: x[0])
        if best >= 0.3:
            return seen[text]
    if len(seen) == 1:
        # One <h1> unlike the declared headline is the printed one if it reads like a headline,
        # not a name of two words (the site's, a section's).
        text, h = next(iter(seen.items()))
        return h if len(_words(text)) >= (3 if declared else 2) else None
    return None


def _links_away(el: lxml.html.HtmlElement, host: str | None) -> bool:
    return any(urlsplit(a.get("href") or "").hostname not in (None, host) for a in el.iter("a"))


def _shown_text(el: lxml.html.HtmlElement) -> str:
    return " ".join(el.text_content().split())


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


# --------------------------------------------------------------------------- all together


def read_metadata(doc: lxml.html.HtmlElement, url: str | None) -> PageMetadata:
    """The page's declared metadata, completed from trafilatura's reading (title, author, date, sitename).

    trafilatura's metadata pass (with htmldate's search for a date) costs about as
    much as reading the rest, so it runs only for a page that leaves a field out.
    """
    found: list[Any] = []

    def fallback_value(name: str) -> Any:
        if not found:
            found.append(_trafilatura_metadata(doc, url))
        return getattr(found[0], name, None) if found[0] is not None else None

    nodes = _json_ld_nodes(doc)
    by_id = {str(n["@id"]): n for n in nodes if isinstance(n.get("@id"), str)}
    article = _article_node(nodes) or {}
    meta = _meta(doc)
    parsely = _parsely(meta)

    canonical = None
    for link in doc.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            canonical = link.get("href").strip()
            break
    canonical = canonical or _first(meta, "og:url") or _text(article.get("url")) or _text(article.get("mainEntityOfPage"))
    if canonical:
        canonical = urljoin(url or "", canonical)
        parts = urlsplit(canonical)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            canonical = None
        elif parts.path in ("", "/") and not parts.query and url and urlsplit(url).path not in ("", "/"):
            # A site that names its home page as every article's canonical address would
            # make all its articles one: such a canonical says nothing about this article.
            canonical = None
    host = urlsplit(canonical or url or "").hostname

    publisher = article.get("publisher")
    if isinstance(publisher, dict) and set(publisher) <= {"@id", "@type"} and publisher.get("@id") in by_id:
        publisher = by_id[publisher["@id"]]
    publication = _text(publisher) or _first(meta, "og:site_name", "application-name", "al:ios:app_name", "twitter:app:name:iphone")
    publication = publication or fallback_value("sitename")
    # A publication named by its host ("nytimes.com") is a guess; leave it to review.
    if publication and re.fullmatch(r"(?:www\.)?[\w-]+(?:\.[\w-]+)+", publication):
        publication = None

    # Headline.
    declared = (
        _text(article.get("headline")) or _first(meta, "og:title", "twitter:title", "parsely-title", "sailthru.title")
        or _text(parsely.get("title")) or _first(meta, "title")
    )
    title_el = next(iter(doc.iter("title")), None)
    page_title = " ".join(title_el.text_content().split()) if title_el is not None else None
    outlets = [o for o in (publication, _first(meta, "og:site_name"), _text(publisher)) if o]
    if declared:
        declared = _strip_outlet(declared, outlets, host)
    outlet_keys = {_key(o) for o in outlets} | ({_key(host.removeprefix("www.").rsplit(".", 1)[0])} if host else set())
    headline = _headline_shown(doc, declared or (_strip_outlet(page_title, outlets, host) if page_title else None), outlet_keys, host)
    title = (_shown_text(headline) if headline is not None else None) or declared or (_strip_outlet(page_title, outlets, host) if page_title else None)
    if not title and fallback_value("title"):
        title = _strip_outlet(fallback_value("title"), outlets, host)

    # People.
    people = _json_ld_people(article.get("author"), by_id) if article.get("author") else []
    doubtful = False
    if not people:
        for raw in (meta.get("author", []) + meta.get("article:author", []) + meta.get("parsely-author", [])
                    + meta.get("sailthru.author", []) + meta.get("dc.creator", []) + [str(parsely.get("author") or "")]):
            for name in _names(raw, field=True):
                if name not in people:
                    people.append(name)
    shown = _byline_people(doc, headline)
    if not people:
        people = shown
    elif set(people) < set(shown):
        people = shown  # the printed byline names everyone; the declaration only the first
    if not people and fallback_value("author"):
        commenters = {n for find in (_marked_authors, _byline_classes) for el, text in find(doc) if _in_comments(el) for n in _names(text)}
        people = [n for part in re.split(r";\s*", fallback_value("author")) for n in _names(part) if n not in commenters]
        doubtful = bool(people)

    # Dates.
    time_published, time_updated = _time_elements(doc)
    declared_dates = [article.get("datePublished"), article.get("dateCreated")]
    for key in ("article:published_time", "og:article:published_time", "datepublished", "parsely-pub-date",
                "sailthru.date", "pubdate", "publishdate", "date", "dc.date", "dcterms.created"):
        declared_dates += meta.get(key, [])
    declared_dates.append(parsely.get("pub_date"))
    declared = list(dict.fromkeys(v for v in map(_parse_instant, declared_dates) if v is not None))
    printed = _printed_dates(doc)
    # A <time> element's value comes last: it may be a sidebar story's, and it agrees with its own print.
    published = _published(declared, printed) if declared else reconcile(time_published, printed)
    if published is None and fallback_value("date"):
        published = parse_date(fallback_value("date"))
        # htmldate finds the day; the first time printed with its zone on that day is the article's.
        if not isinstance(published, datetime):
            published = next((v for v, _clock in printed if isinstance(v, datetime) and v.tzinfo and v.date() == published), published)
    updated = (
        parse_date(article.get("dateModified"))
        or parse_date(_first(meta, "article:modified_time", "og:updated_time", "datemodified", "dcterms.modified"))
        or time_updated
    )
    if updated is not None and published is not None and not _later(published, updated):
        updated = None

    section = (
        _text(article.get("articleSection")) or _first(meta, "article:section", "parsely-section", "sailthru.section")
        or _text(parsely.get("section"))
    )
    description = _text(article.get("description")) or _first(meta, "og:description", "description", "twitter:description")
    html_el = doc if doc.tag == "html" else next(iter(doc.iter("html")), None)
    language = (html_el.get("lang") if html_el is not None else None) or _first(meta, "og:locale", "content-language")
    return PageMetadata(
        title=title or None,
        description=description,
        authors=tuple(people),
        authors_doubtful=doubtful,
        published=published,
        updated=updated,
        publication=publication,
        section=section,
        canonical=canonical,
        url=url,
        language=(language.replace("_", "-").split("-")[0].lower() or None) if language else None,
        paywalled=str(article.get("isAccessibleForFree", "")).strip().lower() == "false",
        collection=None if article else next((k for n in nodes for k in _types(n) if _COLLECTION_TYPES.search(k)), None),
    )


def _trafilatura_metadata(doc: lxml.html.HtmlElement, url: str | None) -> Any:
    from trafilatura.metadata import extract_metadata

    try:
        return extract_metadata(doc, url)
    except Exception:  # noqa: BLE001 - a fallback that fails leaves the field to review
        return None


def _later(first: datetime | date, second: datetime | date) -> bool:
    """Whether `second` is after `first`; a day and a time are compared by their days."""
    if isinstance(first, datetime) and isinstance(second, datetime):
        return second > first
    return (second.date() if isinstance(second, datetime) else second) > (first.date() if isinstance(first, datetime) else first)
