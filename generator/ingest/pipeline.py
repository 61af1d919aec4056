"""`digest ingest`: news pages in (links, saved pages, copied text), Markdown articles out.

The I/O edge around the pure readers: fetching links, reading and decoding what
an editor saved or piped in, finding the article a source was ingested to
before, and writing atomically. Each source goes to its reader (`htmlpage` for
HTML, `textpage` for copied text) and every reading to the one writer. It never
loses an editor's work: an unchanged source rewrites nothing, and an article
edited by hand since ingest wrote it (its fingerprint no longer matches its
`ingest_hash`) is skipped unless --force.

A fetched page is kept in content/sources/ beside the article, as received, under
a first line that records its address and fetch time: ingesting that file again,
offline, gives the same article byte for byte, also when the article file is gone
(a new article's id and `added` come from its source, never from chance or the clock
when the source can say them).
"""

from __future__ import annotations

import hashlib
import re
import typing
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx

from ..frontmatter import split, write_atomic
from ..model import Config
from ..text import slugify
from .extraction import Extraction
from .fetch import DEFAULT_LIMITS, Fetched, FetchError, Limits, fetch_all
from .htmlpage import NotAnArticle, decode_html, looks_like_html, read_html, saved_from, saved_header
from .sources import (
    HTML_SUFFIXES,
    MAX_BYTES,
    MAX_HTML_BYTES,
    STDIN,
    STDIN_LABEL,
    InputError,
    Link,
    decode,
    expand,
    read_file,
    read_stdin,
)
from .textpage import extract, what_the_page_is
from .writer import Existing, build_article, free_path, relative, scan_articles, source_label

Progress = Callable[[str, int, int], None]
_FROM_TEXT = "no article markup found; read from the page's visible text"
# Copied text is read down to this many lines. The longest of some 1,300 real copied
# pages has about 2,600; past this a text is a log, a book or a feed dump, and reading
# every line would take minutes (each is weighed as a headline, a byline, a date).
READ_LINES = 6_000
_LINE_END = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class IngestResult:
    status: str  # written, updated, unchanged, skipped, overwritten or failed
    source: str  # the source as the editor named it ("<stdin>" for standard input)
    article: str | None  # the article file written, kept or skipped
    message: str


@dataclass
class _Run:
    """What every source of one ingest shares: the articles already there and the slugs taken."""

    out_dir: Path
    config: Config
    force: bool
    added: str
    existing: list[Existing]
    copied_at: datetime | None = None  # --copied-at; else each file's modification time
    taken: set[str] = field(default_factory=set)

    def record(self, previous: Existing | None, target: Path, content: str, slug: str | None) -> None:
        data, body, _line, _problems = split(content, str(target))
        record = Existing(target, data, body, content)
        if previous is not None:
            self.existing[self.existing.index(previous)] = record
        else:
            self.existing.append(record)
            self.taken.update({target.stem, slug or target.stem})


def ingest_paths(
    paths: list[str],
    out_dir: Path,
    config: Config,
    *,
    force: bool = False,
    stdin: typing.TextIO | typing.BinaryIO | bytes | None = None,
    today: datetime | None = None,
    link_lists: list[str] = (),  # type: ignore[assignment]
    limits: Limits = DEFAULT_LIMITS,
    progress: Progress | None = None,
    transport: httpx.BaseTransport | None = None,
    copied_at: datetime | None = None,
) -> list[IngestResult]:
    """Ingest every source; one result per source, in order. Failures never stop the others.

    `copied_at` is when the pages were copied (aware); without it, each file's
    modification time, and now for standard input.
    """
    out_dir = Path(out_dir)
    existing = scan_articles(out_dir)
    # Every slug in use, by file name or by front matter, so a new article never
    # shares a URL with an existing one.
    run = _Run(out_dir, config, force, "", existing, copied_at=copied_at, taken={e.path.stem for e in existing})
    for e in existing:
        if e.front_matter.get("slug"):
            run.taken.add(str(e.front_matter["slug"]))
        elif e.front_matter.get("title"):
            run.taken.add(slugify(str(e.front_matter["title"])))
    now = today or datetime.now(ZoneInfo(config.timezone))
    run.added = now.date().isoformat()

    sources = expand(paths, list(link_lists))
    links = list(dict.fromkeys(item.url for _, item in sources if isinstance(item, Link)))
    pages: dict[str, Fetched | FetchError] = {}
    if links:
        shown = (lambda done, total: progress("fetching", done, total)) if progress and len(links) > 1 else None
        pages = dict(zip(links, fetch_all(links, limits, progress=shown, transport=transport), strict=True))

    results: list[IngestResult] = []
    for number, (given, item) in enumerate(sources, start=1):
        label = STDIN_LABEL if given == STDIN else given
        try:
            result = _ingest_source(label, given, item, pages, run, stdin)
        except OSError as exc:
            where = exc.filename or out_dir
            result = IngestResult("failed", label, None, f"cannot write the article to {where}: {exc.strerror or exc}")
        except Exception as exc:  # noqa: BLE001 - a bug must not cost the editor the other files
            result = IngestResult("failed", label, None, f"could not be ingested because of a bug in Labor Digest ({exc!r}); please report it")
        results.append(result)
        if progress and len(sources) > 1:
            progress("ingesting", number, len(sources))
    return results


def _ingest_source(
    label: str, given: str, item: Path | Link | InputError | None, pages: dict[str, Fetched | FetchError], run: _Run,
    stdin: typing.TextIO | typing.BinaryIO | bytes | None,
) -> IngestResult:
    if isinstance(item, InputError):
        return IngestResult("failed", label, None, str(item))
    if isinstance(item, Link):
        page = pages[item.url]
        if isinstance(page, FetchError):
            return IngestResult("failed", label, None, str(page))
        return _ingest_fetched(label, page, run)
    try:
        raw = read_stdin(stdin) if given == STDIN else read_file(item)
        html = (item is not None and item.suffix.lower() in HTML_SUFFIXES) or looks_like_html(raw[:200_000].decode("utf-8", "replace"))
        limit = MAX_HTML_BYTES if html else MAX_BYTES
        if len(raw) > limit:
            raise InputError(f"is over the {limit // 1024 // 1024} MB limit for a {'saved' if html else 'copied'} page: check it is the right input")
        if not raw.strip():
            raise InputError("is empty: copy the page's text into it (select all, copy, paste) and save")
        text = None if html else decode(raw)
    except InputError as exc:
        return IngestResult("failed", label, None, str(exc))
    except OSError as exc:
        return IngestResult("failed", label, None, f"cannot be read: {exc.strerror or exc}")
    return _ingest_one(label, item, raw, text, run)


def _read(raw: bytes, text: str | None, copied_at: datetime | None = None) -> tuple[Extraction, str, datetime | None]:
    """The reading of a source (HTML or copied text), a note for the editor, and when it was fetched. Raises NotAnArticle.

    `copied_at` (the source file's time) is what copied text's relative dates
    ("22 hours ago") and dates without a year are read against.
    """
    if text is not None:
        top = _top_lines(text)
        if top is None:
            return extract(text, copied_at), "", None
        extraction = extract(top, copied_at)
        review = extraction.review if "body" in extraction.review else (*extraction.review, "body")
        return replace(extraction, review=review), f"read only the first {READ_LINES:,} lines: a copied page is not that long", None
    saved = saved_from(raw)
    reading = read_html(decode_html(raw, saved.charset), saved.url)
    return reading.extraction, _FROM_TEXT if reading.from_text else "", saved.fetched


def parse_copied_at(value: str, timezone: str) -> datetime:
    """--copied-at: an ISO date or date-time, with or without a zone (the site's when none).

    A date alone is read as noon that day, so "3 hours ago" or "yesterday" is at
    most half a day off. Raises ValueError with the message for the editor.
    """
    try:
        when = datetime.fromisoformat(value.strip())  # 3.11 reads Z, offsets and a date alone
    except ValueError:
        raise ValueError(f"--copied-at: '{value}' is not a date or date-time; write it like 2026-12-01T09:30 "
                         "(or 2026-12-01, or 2026-12-01T09:30+01:00 with a zone)") from None
    if len(value.strip()) == 10:
        when = when.replace(hour=12)
    return when if when.tzinfo else when.replace(tzinfo=ZoneInfo(timezone))


def _top_lines(text: str) -> str | None:
    """The text down to READ_LINES lines, or None when it is not longer."""
    for n, end in enumerate(_LINE_END.finditer(text), start=1):
        if n == READ_LINES:
            return text[: end.start()]
    return None


def _ingest_one(label: str, path: Path | None, raw: bytes, text: str | None, run: _Run) -> IngestResult:
    config = run.config
    source_file = source_label(label, path, config.root)
    source_hash = "sha256:" + hashlib.sha256(raw).hexdigest()
    # Standard input has no name to recognise it by; the same text is the same source.
    if path is None:
        previous = next((e for e in run.existing if e.front_matter.get("source_hash") == source_hash), None)
    else:
        previous = next((e for e in run.existing if e.front_matter.get("source_file") == source_file), None)
    same_source = previous is not None and previous.front_matter.get("source_hash") == source_hash
    hand_edited = previous is not None and previous.edited_by_hand
    if same_source and not run.force:
        return IngestResult("unchanged", label, relative(previous.path, config.root), "source unchanged since it was ingested")
    if hand_edited and not run.force:
        return _kept(label, previous, config)
    try:
        zone = ZoneInfo(config.timezone)
        copied_at = run.copied_at or (datetime.fromtimestamp(path.stat().st_mtime, zone) if path is not None else datetime.now(zone))
        extraction, note, fetched = _read(raw, text, copied_at)
    except NotAnArticle as exc:
        return IngestResult("failed", label, None, str(exc))
    problem = _not_written(extraction, text is None, text)
    if problem:
        return IngestResult("failed", label, None, problem)
    target, slug = _place(extraction, previous, run)
    article_id, first_added = _identity(previous, source_file, source_hash, fetched, run)
    content = build_article(
        extraction, config, source_file=source_file, source_hash=source_hash,
        article_id=article_id, added=first_added, slug=slug,
        previous=previous.front_matter if previous is not None else None,
    )
    rel = relative(target, config.root)
    if previous is not None and previous.text == content:
        return IngestResult("unchanged", label, rel, "article already up to date")
    write_atomic(target, content)
    run.record(previous, target, content, slug)
    return _done(label, rel, extraction, note, previous, hand_edited, same_source)


def _ingest_fetched(label: str, page: Fetched, run: _Run) -> IngestResult:
    """A fetched page: its saved copy in content/sources/, its article beside the others.

    The article a page belongs to is found by its address (canonical, else final):
    a second link to the same article is the same article. When a page fetched again
    gives the article that is already there, nothing is rewritten, not even the copy.
    """
    config = run.config
    saved = saved_header(page.final_url, page.fetched_at, page.charset) + page.body
    try:
        extraction, note, fetched = _read(saved, None)
    except NotAnArticle as exc:
        return IngestResult("failed", label, None, str(exc))
    problem = _not_written(extraction, True)
    if problem:
        return IngestResult("failed", label, None, problem)
    address = extraction.source_url
    previous = next((e for e in run.existing if address and e.front_matter.get("source_url") == address), None)
    hand_edited = previous is not None and previous.edited_by_hand
    if hand_edited and not run.force:
        return _kept(label, previous, config)
    target, slug = _place(extraction, previous, run)
    sources_dir = config.root / "content" / "sources"
    kept_copy = str(previous.front_matter.get("source_file") or "") if previous is not None else ""
    if kept_copy.startswith("content/sources/") and kept_copy.endswith(HTML_SUFFIXES):
        copy = config.root / kept_copy
    else:
        copy = _free_copy(sources_dir, target.stem)
    source_file = relative(copy, config.root)
    article_id, first_added = _identity(previous, source_file, "sha256:" + hashlib.sha256(saved).hexdigest(), fetched, run)

    def article(source_hash: str) -> str:
        return build_article(
            extraction, config, source_file=source_file, source_hash=source_hash,
            article_id=article_id, added=first_added, slug=slug,
            previous=previous.front_matter if previous is not None else None,
        )

    rel = relative(target, config.root)
    if previous is not None and not run.force and article(str(previous.front_matter.get("source_hash"))) == previous.text:
        return IngestResult("unchanged", label, rel, f"the page gives the same article as when it was ingested ({source_file})")
    content = article("sha256:" + hashlib.sha256(saved).hexdigest())
    write_atomic(copy, saved)
    write_atomic(target, content)
    run.record(previous, target, content, slug)
    return _done(label, rel, extraction, note, previous, hand_edited, same_source=False)


def _free_copy(sources_dir: Path, stem: str) -> Path:
    """content/sources/<article name>.html, or with -2, -3 when a file of that name is there."""
    path, n = sources_dir / f"{stem}.html", 2
    while path.exists():
        path, n = sources_dir / f"{stem}-{n}.html", n + 1
    return path


def _not_written(extraction: Extraction, html: bool, text: str | None = None) -> str | None:
    if not extraction.body_md.strip() and text is not None:
        return f"no article found: the text shows {what_the_page_is(text)} (is it the copied article page?)"
    if not extraction.body_md.strip():
        return "no article found: no run of paragraphs in the text (is it a copied news page?)"
    if not extraction.title and html:
        return "no headline found: the page has no <h1>, <title> or declared headline"
    if not extraction.title:
        return "no headline found: put the article's headline on the first line and ingest again"
    return None


def _place(extraction: Extraction, previous: Existing | None, run: _Run) -> tuple[Path, str | None]:
    """(file, slug): the article's own when it replaces one, else a free name from the headline."""
    if previous is not None:
        return previous.path, previous.front_matter.get("slug")
    return free_path(run.out_dir, slugify(extraction.title or "") or "article", run.taken)


def _identity(previous: Existing | None, source_file: str, source_hash: str, fetched: datetime | None, run: _Run) -> tuple[str, str]:
    """(id, added): the article's own when it replaces one; else made from the source alone.

    So that a source ingested again after its article was deleted (a saved page,
    offline) gives the same article byte for byte, nothing here is random or
    today's when the source can say it: the id is derived from the source's path
    (its bytes for standard input), as `load.derived_id` derives one from an
    article's, and `added` is the day the page was fetched when its saved copy
    records that, else the day of ingest. The path, not the page's address, names
    the source: two saved copies of one page are two articles, and must not share
    a feed id.
    """
    own = previous.front_matter if previous is not None else {}
    name = source_hash if source_file == STDIN_LABEL else source_file
    article_id = uuid.uuid5(uuid.NAMESPACE_URL, "labor-digest:source:" + name).urn
    added = fetched.astimezone(ZoneInfo(run.config.timezone)).date().isoformat() if fetched else run.added
    return str(own.get("id") or article_id), str(own.get("added") or added)


def _kept(label: str, previous: Existing, config: Config) -> IngestResult:
    return IngestResult(
        "skipped", label, relative(previous.path, config.root),
        "the article was edited by hand since it was ingested; kept it (use --force to overwrite it)",
    )


def _done(
    label: str, rel: str, extraction: Extraction, note: str, previous: Existing | None, hand_edited: bool, same_source: bool,
) -> IngestResult:
    notes = [n for n in (note, f"to review: {', '.join(extraction.review)}" if extraction.review else "") if n]
    tail = "".join(f"; {n}" for n in notes)
    if hand_edited:
        return IngestResult("overwritten", label, rel, "replaced an article edited by hand (--force)" + tail)
    if same_source:
        return IngestResult("overwritten", label, rel, "extracted again from an unchanged source (--force)" + tail)
    if previous is not None:
        return IngestResult("updated", label, rel, "source changed; kept the article's id and added date" + tail)
    return IngestResult("written", label, rel, "; ".join(notes))
