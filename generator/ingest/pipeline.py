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
from zoneinfo import ZoneInfo

from ..frontmatter import split, write_atomic
from ..model import Config
from ..text import slugify
from .sources import MAX_BYTES, STDIN, STDIN_LABEL, InputError, decode, expand, read_file, read_stdin
from .textpage import extract
from .writer import Existing, build_article, free_path, relative, scan_articles, source_label

# Saved page source instead of the copied text: markup would leak into the article.
_HTML = re.compile(r"\s*(?:<!doctype html|<html[\s>]|<head[\s>]|<\?xml)", re.IGNORECASE)


@dataclass(frozen=True)
class IngestResult:
    status: str  # written, updated, unchanged, skipped, overwritten or failed
    source: str  # the source as the editor named it ("<stdin>" for standard input)
    article: str | None  # the article file written, kept or skipped
    message: str


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
            raw = read_stdin(stdin) if given == STDIN else read_file(item)
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
    source_file = source_label(label, path, config.root)
    source_hash = "sha256:" + hashlib.sha256(raw).hexdigest()
    # Standard input has no name to recognise it by; the same text is the same source.
    if path is None:
        previous = next((e for e in existing if e.front_matter.get("source_hash") == source_hash), None)
    else:
        previous = next((e for e in existing if e.front_matter.get("source_file") == source_file), None)
    same_source = previous is not None and previous.front_matter.get("source_hash") == source_hash
    hand_edited = previous is not None and previous.edited_by_hand
    if same_source and not force:
        return IngestResult("unchanged", label, relative(previous.path, config.root), "source unchanged since it was ingested")
    if hand_edited and not force:
        return IngestResult(
            "skipped", label, relative(previous.path, config.root),
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
        target, slug = free_path(out_dir, slugify(extraction.title) or "article", taken)
        article_id = f"urn:uuid:{uuid.uuid4()}"
        first_added = added
    content = build_article(
        extraction, config, source_file=source_file, source_hash=source_hash,
        article_id=article_id, added=first_added, slug=slug,
        previous=previous.front_matter if previous is not None else None,
    )
    note = f"to review: {', '.join(extraction.review)}" if extraction.review else ""
    rel = relative(target, config.root)
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
