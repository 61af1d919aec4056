"""`digest ingest`: copied news pages in, Markdown articles with front matter out.

The I/O edge around the pure `extract`: reading and decoding what an editor
saved or piped in, finding the article a source was ingested to before, and
writing atomically. It never loses an editor's work: an unchanged source
rewrites nothing, and an article edited by hand since ingest wrote it (its
fingerprint no longer matches its `ingest_hash`) is skipped unless --force.
"""

from __future__ import annotations

import hashlib
import re
import typing
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from .extract import Extraction, extract
from .frontmatter import dump, fingerprint, split, write_atomic
from .model import Config
from .retag import tag_fields
from .text import slugify
from .topics import assign_topics

# A copied page is rarely over 1 MB; anything past this is the wrong file
# (an export, a log, a video) and would only stall the extractor.
MAX_BYTES = 5 * 1024 * 1024
STDIN = "-"
STDIN_LABEL = "<stdin>"

# Saved page source instead of the copied text: markup would leak into the article.
_HTML = re.compile(r"\s*(?:<!doctype html|<html[\s>]|<head[\s>]|<\?xml)", re.IGNORECASE)

@dataclass(frozen=True)
class IngestResult:
    status: str  # written, updated, unchanged, skipped, overwritten or failed
    source: str  # the source as the editor named it ("<stdin>" for standard input)
    article: str | None  # the article file written, kept or skipped
    message: str


class InputError(Exception):
    """A source that cannot be ingested; the message says what is wrong with it."""


# --------------------------------------------------------------------------- reading


def decode(raw: bytes) -> str:
    """Text of a saved page: UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252/latin-1.

    Windows editors still save cp1252; decoding it as latin-1 would turn curly
    quotes into control characters, so cp1252 comes first and latin-1 only for
    the five bytes cp1252 leaves undefined.
    """
    if not raw.strip():
        raise InputError("is empty: copy the page's text into it (select all, copy, paste) and save")
    if raw.startswith(b"\xef\xbb\xbf"):
        return _checked(raw[3:].decode("utf-8", errors="replace"))
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _checked(raw.decode("utf-16"))
        except UnicodeDecodeError:
            raise InputError("starts like UTF-16 text but is not valid UTF-16: save it again as UTF-8") from None
    if b"\x00" in raw[:65536]:
        raise InputError("is a binary file, not text: save the copied page as plain text (.txt)")
    try:
        return _checked(raw.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    text = "".join(
        chunk.decode("cp1252", errors="strict") if ok else chunk.decode("latin-1")
        for ok, chunk in _cp1252_chunks(raw)
    )
    return _checked(text)


def _cp1252_chunks(raw: bytes) -> typing.Iterator[tuple[bool, bytes]]:
    undefined = {0x81, 0x8D, 0x8F, 0x90, 0x9D}
    start = 0
    for i, byte in enumerate(raw):
        if byte in undefined:
            if i > start:
                yield True, raw[start:i]
            yield False, raw[i : i + 1]
            start = i + 1
    if start < len(raw):
        yield True, raw[start:]


def _checked(text: str) -> str:
    """Reject decoded text that is mostly control characters: a binary file in disguise."""
    sample = text[:65536]
    control = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f") or 0x7F <= ord(ch) < 0xA0)
    if sample and control / len(sample) > 0.02:
        raise InputError("is a binary file, not text: save the copied page as plain text (.txt)")
    if not text.strip():
        raise InputError("is empty: copy the page's text into it (select all, copy, paste) and save")
    return text


def _read_stdin(stdin: typing.TextIO | typing.BinaryIO | bytes | str | None) -> bytes:
    if stdin is None:
        return b""
    if isinstance(stdin, bytes):
        return stdin
    if isinstance(stdin, str):
        return stdin.encode("utf-8")
    data = stdin.read(MAX_BYTES + 1)
    return data.encode("utf-8") if isinstance(data, str) else data


def _read_file(path: Path) -> bytes:
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise InputError(
            f"is {size / 1024 / 1024:.1f} MB, over the {MAX_BYTES // 1024 // 1024} MB limit for a copied page: "
            "check it is the right file"
        )
    return path.read_bytes()


def expand(paths: list[str]) -> list[tuple[str, Path | None] | tuple[str, InputError]]:
    """Each PATH as (label, file): a folder gives its .txt files, "-" standard input."""
    sources: list[Any] = []
    for given in paths:
        if given == STDIN:
            sources.append((STDIN, None))
            continue
        path = Path(given)
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".txt" and p.is_file())
            if not files:
                sources.append((given, InputError("is a folder with no .txt files in it")))
            sources.extend((str(p), p) for p in files)
        elif path.is_file():
            sources.append((given, path))
        elif path.exists():
            sources.append((given, InputError("is not a file or a folder")))
        else:
            sources.append((given, InputError("does not exist: check the path")))
    return sources


# --------------------------------------------------------------------------- existing articles


@dataclass
class Existing:
    path: Path
    front_matter: dict[str, Any]
    body: str
    text: str

    @property
    def edited_by_hand(self) -> bool:
        stored = self.front_matter.get("ingest_hash")
        return not stored or fingerprint(self.front_matter, self.body) != stored


def scan_articles(out_dir: Path) -> list[Existing]:
    found = []
    if not out_dir.is_dir():
        return found
    for path in sorted(out_dir.glob("*.md")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        data, body, _line, problems = split(text, str(path))
        if problems:
            data = {}
        found.append(Existing(path, data, body, text))
    return found


# --------------------------------------------------------------------------- writing


def _source_label(given: str, path: Path | None, root: Path) -> str:
    """`source_file`: the path from the site root when inside it, else as given."""
    return STDIN_LABEL if path is None else _relative(path, root, outside=given)


def build_article(
    extraction: Extraction,
    config: Config,
    *,
    source_file: str,
    source_hash: str,
    article_id: str,
    added: str,
    slug: str | None,
    previous: dict[str, Any] | None = None,
) -> str:
    """The article file's text. `ingest_hash` is the fingerprint of what a reader reads back.

    When it replaces an article, the editor's topic decisions in the old front matter
    (`previous`) are kept: a topic added or removed by hand stays so.
    """
    proposed = assign_topics(extraction.title or "", extraction.dek, extraction.body_md, config)
    fm: dict[str, Any] = {k: v for k, v in extraction.front_matter().items() if k != "review"}
    fm.update(
        **tag_fields(proposed, previous or {}, config),
        slug=slug,
        id=article_id,
        added=added,
        review=list(extraction.review),
        source_file=source_file,
        source_hash=source_hash,
    )
    # Never an empty value: a field the page did not show is listed in `review`.
    fm = {k: v for k, v in fm.items() if v not in (None, "", [], ())}
    draft = dump(fm, extraction.body_md)
    data, body, _line, _problems = split(draft, source_file)
    fm["ingest_hash"] = fingerprint(data, body)
    return dump(fm, extraction.body_md)


def _free_path(out_dir: Path, base: str, taken: set[str]) -> tuple[Path, str | None]:
    """A file name no other article has: slug.md, else slug-2.md, slug-3.md, ...

    The suffix goes into front matter as `slug` too, so two articles with one
    title never share a URL.
    """
    if base not in taken and not (out_dir / f"{base}.md").exists():
        return out_dir / f"{base}.md", None
    n = 2
    while f"{base}-{n}" in taken or (out_dir / f"{base}-{n}.md").exists():
        n += 1
    return out_dir / f"{base}-{n}.md", f"{base}-{n}"


def _relative(path: Path, root: Path, outside: str | None = None) -> str:
    """The path from the site root; outside it, `outside` (or the path as it is)."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path) if outside is None else outside


# --------------------------------------------------------------------------- the command


def ingest_paths(
    paths: list[str],
    out_dir: Path,
    config: Config,
    *,
    force: bool = False,
    stdin: typing.TextIO | typing.BinaryIO | bytes | None = None,
    today: datetime | None = None,
) -> list[IngestResult]:
    """Ingest every source; one result per source, in order. Failures never stop the others."""
    out_dir = Path(out_dir)
    existing = scan_articles(out_dir)
    # Every slug in use, by file name or by front matter, so a new article never
    # shares a URL with an existing one.
    taken = {e.path.stem for e in existing}
    for e in existing:
        if e.front_matter.get("slug"):
            taken.add(str(e.front_matter["slug"]))
        elif e.front_matter.get("title"):
            taken.add(slugify(str(e.front_matter["title"])))
    now = today or datetime.now(ZoneInfo(config.timezone))
    added = now.date().isoformat()
    results: list[IngestResult] = []
    for given, item in expand(paths):
        label = STDIN_LABEL if given == STDIN else given
        if isinstance(item, InputError):
            results.append(IngestResult("failed", label, None, str(item)))
            continue
        try:
            raw = _read_stdin(stdin) if given == STDIN else _read_file(item)
            if len(raw) > MAX_BYTES:
                raise InputError(f"is over the {MAX_BYTES // 1024 // 1024} MB limit for a copied page: check it is the right input")
            text = decode(raw)
        except InputError as exc:
            results.append(IngestResult("failed", label, None, str(exc)))
            continue
        except OSError as exc:
            results.append(IngestResult("failed", label, None, f"cannot be read: {exc.strerror or exc}"))
            continue
        try:
            result = _ingest_one(label, item, raw, text, out_dir, config, existing, taken, added, force)
        except OSError as exc:
            where = exc.filename or out_dir
            result = IngestResult("failed", label, None, f"cannot write the article to {where}: {exc.strerror or exc}")
        except Exception as exc:  # noqa: BLE001 - a bug must not cost the editor the other files
            result = IngestResult("failed", label, None, f"could not be ingested because of a bug in Labor Digest ({exc!r}); please report it")
        results.append(result)
    return results


def _ingest_one(
    label: str,
    path: Path | None,
    raw: bytes,
    text: str,
    out_dir: Path,
    config: Config,
    existing: list[Existing],
    taken: set[str],
    added: str,
    force: bool,
) -> IngestResult:
    source_file = _source_label(label, path, config.root)
    source_hash = "sha256:" + hashlib.sha256(raw).hexdigest()
    # Standard input has no name to recognise it by; the same text is the same source.
    if path is None:
        previous = next((e for e in existing if e.front_matter.get("source_hash") == source_hash), None)
    else:
        previous = next((e for e in existing if e.front_matter.get("source_file") == source_file), None)
    same_source = previous is not None and previous.front_matter.get("source_hash") == source_hash
    hand_edited = previous is not None and previous.edited_by_hand
    if same_source and not force:
        return IngestResult("unchanged", label, _relative(previous.path, config.root), "source unchanged since it was ingested")
    if hand_edited and not force:
        return IngestResult(
            "skipped", label, _relative(previous.path, config.root),
            "the article was edited by hand since it was ingested; kept it (use --force to overwrite it)",
        )

    if _HTML.match(text):
        return IngestResult("failed", label, None, "is HTML source, not copied text: open the page in a browser, select all, copy and save the text")
    extraction = extract(text)
    if not extraction.body_md.strip():
        return IngestResult("failed", label, None, "no article found: no run of paragraphs in the text (is it a copied news page?)")
    if not extraction.title:
        return IngestResult("failed", label, None, "no headline found: put the article's headline on the first line and ingest again")

    if previous is not None:
        target = previous.path
        article_id = str(previous.front_matter.get("id") or f"urn:uuid:{uuid.uuid4()}")
        first_added = str(previous.front_matter.get("added") or added)
        slug = previous.front_matter.get("slug")
    else:
        target, slug = _free_path(out_dir, slugify(extraction.title) or "article", taken)
        article_id = f"urn:uuid:{uuid.uuid4()}"
        first_added = added
    content = build_article(
        extraction, config, source_file=source_file, source_hash=source_hash,
        article_id=article_id, added=first_added, slug=slug,
        previous=previous.front_matter if previous is not None else None,
    )
    note = f"to review: {', '.join(extraction.review)}" if extraction.review else ""
    rel = _relative(target, config.root)
    if previous is not None and previous.text == content:
        return IngestResult("unchanged", label, rel, "article already up to date")
    write_atomic(target, content)
    data, body, _line, _problems = split(content, str(target))
    record = Existing(target, data, body, content)
    if previous is not None:
        existing[existing.index(previous)] = record
    else:
        existing.append(record)
        taken.update({target.stem, slug or target.stem})
    if hand_edited:
        return IngestResult("overwritten", label, rel, "replaced an article edited by hand (--force)" + (f"; {note}" if note else ""))
    if same_source:
        return IngestResult("overwritten", label, rel, "extracted again from an unchanged source (--force)" + (f"; {note}" if note else ""))
    if previous is not None:
        return IngestResult("updated", label, rel, "source changed; kept the article's id and added date" + (f"; {note}" if note else ""))
    return IngestResult("written", label, rel, note)
