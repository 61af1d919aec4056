"""Read content/articles/*.md and check each file's front matter against the content model.

Every problem in every file is gathered (file, line, what, how to fix) before the
build stops, so an editor fixes them all in one pass.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
import uuid
from datetime import date, datetime, time, timezone, tzinfo
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

from .errors import Problem, suggest
from .frontmatter import KEY_ORDER, key_line, split
from .model import Article, Config
from .text import first_sentences, markdown_to_text, slugify, xml_safe

ARTICLE_SLUG_RE = re.compile(r"^[^\W_]+(?:-[^\W_]+)*$")
_URI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
MAX_SLUG_BYTES = 150  # a folder name; file systems allow 255 bytes
_STRING_KEYS = ("title", "dek", "publication", "section", "summary", "id", "source_file", "source_hash", "ingest_hash")
_LIST_KEYS = ("authors", "tags", "tags_auto", "tags_manual", "review")


ARTICLES_DIR = "content/articles"


def is_article_name(name: str) -> bool:
    """Whether a file under ARTICLES_DIR is an article: Markdown, and not hidden (an editor's swap file is)."""
    return name.endswith(".md") and not name.startswith(".")


def list_article_files(config: Config) -> list[tuple[str, str]]:
    """(path relative to the site root, path) of every article file, sorted."""
    found: list[tuple[str, str]] = []
    root = str(config.root)

    def walk(folder: str) -> None:
        try:
            entries = list(os.scandir(folder))
        except (FileNotFoundError, NotADirectoryError):
            return
        for entry in entries:
            if entry.is_dir():
                walk(entry.path)
            elif is_article_name(entry.name):
                found.append((entry.path[len(root) + 1 :].replace(os.sep, "/"), entry.path))

    walk(os.path.join(root, *ARTICLES_DIR.split("/")))
    return sorted(found)


def read_article(rel: str, path: str | Path) -> str | list[Problem]:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except UnicodeDecodeError as exc:
        return [Problem(rel, None, f"is not UTF-8 text (byte {exc.start}): save it as UTF-8")]
    except OSError as exc:
        return [Problem(rel, None, f"cannot be read: {exc.strerror}")]


def load_article(rel: str, path: str | Path, config: Config) -> Article | list[Problem]:
    """One article file read and checked: its Article, or every problem with it."""
    text = read_article(rel, path)
    return text if isinstance(text, list) else parse_article(rel, text, config)


def parse_date(value: Any, tz: ZoneInfo) -> datetime:
    """ISO 8601 date or date-time; a value without an offset is in the site's time zone."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime.combine(value, time())
    else:
        text = str(value).strip()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            parsed = datetime.combine(date.fromisoformat(text), time())
        else:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    if not parsed.tzinfo:
        return parsed.replace(tzinfo=tz)
    if type(parsed.tzinfo) is timezone:  # one object per offset: the build cache stores it once
        return parsed.replace(tzinfo=_OFFSETS.setdefault((parsed.utcoffset(), parsed.tzname()), parsed.tzinfo))
    return parsed


_OFFSETS: dict[tuple, tzinfo] = {}


def _date_problem(value: Any, exc: ValueError) -> str:
    reason = str(exc)
    how = "write it as YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+HH:MM"
    if "isoformat" in reason:
        return f"{str(value)!r} is not a date in a form the digest reads: {how}"
    if "offset must be" in reason:
        reason = "the offset from UTC must be less than 24 hours"
    return f"impossible date {str(value)!r} ({reason}): {how}"


def derive_summary(body: str) -> str:
    """The first paragraph of prose (not a heading, image, list or quote), cut to whole sentences."""
    for block in re.split(r"\n\s*\n", body):
        stripped = block.strip()
        if not stripped or stripped[0] in "#!|<>-*+`" or re.match(r"\d+\.\s", stripped):
            continue
        text = markdown_to_text(stripped)
        if text:
            return first_sentences(text)
    return ""


def parse_article(rel: str, text: str, config: Config) -> Article | list[Problem]:
    """Check one file; return the Article or the list of problems with it."""
    text = xml_safe(text)
    data, body, _body_line, problems = split(text, rel)
    if problems:
        return problems
    tz = ZoneInfo(config.timezone)

    def where(key: str) -> int | None:
        return key_line(text, key)

    for key in data:
        if key not in KEY_ORDER:
            problems.append(Problem(rel, where(str(key)), f"unknown key '{key}'{suggest(str(key), KEY_ORDER) or '; see README for the keys an article can have'}"))
    values: dict[str, Any] = {}
    for key in _STRING_KEYS:
        value = data.get(key)
        if value is None:
            continue
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            problems.append(Problem(rel, where(key), f"'{key}' must be text, not {type(value).__name__}: write it on one line, in quotes if it has a ':'"))
            continue
        if value.strip():
            values[key] = value.strip()
    for key in _LIST_KEYS:
        value = data.get(key)
        if value is None:
            continue
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            problems.append(Problem(rel, where(key), f"'{key}' must be a list of names, like '{key}: [first, second]'"))
            continue
        values[key] = tuple(dict.fromkeys(v.strip() for v in value))
    if "title" not in values and not isinstance(data.get("title"), (list, dict)):  # a list or mapping is reported above
        problems.append(Problem(rel, where("title") or 2, "missing title: add 'title: ...' to the front matter"))
    dates: dict[str, datetime] = {}
    for key in ("date", "added", "updated"):
        if data.get(key) is None:
            continue
        try:
            dates[key] = parse_date(data[key], tz)
        except (ValueError, TypeError) as exc:
            problems.append(Problem(rel, where(key), f"'{key}': " + _date_problem(data[key], exc if isinstance(exc, ValueError) else ValueError(str(exc)))))
    if not any(k in dates for k in ("date", "added")) and not any(p.message.startswith(("'date'", "'added'")) for p in problems):
        problems.append(Problem(rel, 2, "no date: add 'date: YYYY-MM-DD' (when the original was published) or 'added: YYYY-MM-DD' (when it entered the digest)"))
    url = data.get("source_url")
    if url is not None:
        parts = urlsplit(str(url))
        if not isinstance(url, str) or parts.scheme not in ("http", "https") or not parts.netloc:
            problems.append(Problem(rel, where("source_url"), f"'source_url' must be an http(s) address, not {url!r}"))
            url = None
        else:
            # Copied addresses may hold spaces, quotes or '<': percent-encode what a URL cannot hold.
            url = quote(url.strip(), safe=":/?#[]@!$&'()*+,;=%~")
    slug = data.get("slug")
    if slug is not None:
        slug = str(slug)
        if not ARTICLE_SLUG_RE.match(slug):
            problems.append(Problem(rel, where("slug"), f"slug {slug!r} may hold only letters, digits and single hyphens (no '/', '.' or spaces), like 'amazon-return-to-office'"))
        elif len(slug.encode("utf-8")) > MAX_SLUG_BYTES:
            problems.append(Problem(rel, where("slug"), f"slug is {len(slug)} characters long, too long for a folder name: keep it to a few words"))
    elif "title" in values:
        slug = slugify(values["title"]) or None
        while slug and len(slug.encode("utf-8")) > MAX_SLUG_BYTES:
            slug = slug.rsplit("-", 1)[0] if "-" in slug else slug[: MAX_SLUG_BYTES // 4]
        if slug is None:
            problems.append(Problem(rel, where("title"), "no slug can be made from the title: add 'slug: some-words'"))
    known_topics = config.topics_by_slug
    for tag in values.get("tags", ()):
        if tag not in known_topics:
            hint = suggest(tag, known_topics) or (f" (the topics are: {', '.join(known_topics)})" if 0 < len(known_topics) <= 12 else "")
            problems.append(Problem(rel, where("tags"), f"unknown topic '{tag}'{hint}: use a topic slug from config.yaml, or add the topic there"))
    draft = data.get("draft", False)
    if not isinstance(draft, bool):
        problems.append(Problem(rel, where("draft"), "'draft' must be true or false"))
    republish = data.get("republish", config.republish)
    if republish not in ("excerpt", "full"):
        problems.append(Problem(rel, where("republish"), f"'republish' must be 'excerpt' or 'full', not {republish!r}"))
    article_id = values.get("id")
    if article_id is not None and not _URI_RE.match(article_id):
        # Atom requires an IRI; a bare word would make every feed reader see a broken id.
        problems.append(Problem(rel, where("id"), f"'id' must be a URI such as 'urn:uuid:{derived_id(rel)[9:]}', not {article_id!r}"))
    if problems:
        return problems
    return Article(
        content_hash=content_hash(text, None if article_id else rel),
        source_path=rel,
        id=article_id or derived_id(rel),
        id_derived=article_id is None,
        title=values["title"],
        slug=slug,
        date=dates.get("date"),
        added=dates.get("added") or dates["date"],
        updated=dates.get("updated"),
        body_md=body,
        summary=values.get("summary") or values.get("dek") or derive_summary(body),
        dek=values.get("dek"),
        authors=values.get("authors", ()),
        publication=values.get("publication"),
        section=values.get("section"),
        source_url=url,
        tags=values.get("tags", ()),
        draft=draft,
        republish=republish,
        review=values.get("review", ()),
    )


def content_hash(safe_text: str, rel: str | None = None) -> str:
    """An article file's cache key: the hash of its text as parse_article reads it (after xml_safe),
    and of its file name when its feed id is derived from that (a renamed file is another story then)."""
    h = hashlib.blake2b(safe_text.encode("utf-8", "surrogatepass"), digest_size=16)
    if rel is not None:
        h.update(b"\0" + rel.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def holds_content(path: str | Path, expected: str, rel: str | None = None) -> bool:
    """Whether a file whose stamp changed still holds the text with this content hash.

    A fresh checkout (a CI runner restoring the build cache, a git clone or switch)
    gives every file a new mtime and the same bytes: then the cached article holds."""
    try:
        with open(path, encoding="utf-8") as handle:
            return content_hash(xml_safe(handle.read()), rel) == expected
    except (OSError, UnicodeDecodeError):
        return False


# What `digest build` and `digest check` note about an article whose feed id is derived_id's.
DERIVED_ID_NOTE = "no 'id:'; its feed id is derived from the file name and changes if the file is renamed"


def derived_id(rel: str) -> str:
    """The feed id of an article whose front matter has none: stable while the file keeps its name."""
    return uuid.uuid5(uuid.NAMESPACE_URL, "labor-digest:" + rel).urn


def folder_name(slug: str) -> str:
    """A slug as the folder it becomes: case and Unicode normalisation apart, two slugs are one folder on macOS and Windows."""
    return slug.lower() if slug.isascii() else unicodedata.normalize("NFC", slug).casefold()


def find_collisions(articles: list[Article]) -> list[Problem]:
    """Two articles at one URL, or sharing one feed id: every file involved is named."""
    problems: list[Problem] = []
    by_slug: dict[str, list[Article]] = {}
    for article in articles:
        by_slug.setdefault(folder_name(article.slug), []).append(article)
    for group in by_slug.values():
        if len(group) > 1:
            for article in group:
                others = " and ".join(a.source_path for a in group if a is not article)
                problems.append(Problem(article.source_path, None, f"has the same URL, articles/{article.slug}/, as {others}: give one of them a different 'slug:'"))
    by_id: dict[str, list[Article]] = {}
    for article in articles:
        by_id.setdefault(article.id, []).append(article)
    for article_id, group in by_id.items():
        if len(group) > 1:
            for article in group:
                others = " and ".join(a.source_path for a in group if a is not article)
                problems.append(Problem(article.source_path, None, f"has the same id, {article_id!r}, as {others}: each article needs its own; if this is the copy, give it 'id: {derived_id(article.source_path)}'"))
    return problems
