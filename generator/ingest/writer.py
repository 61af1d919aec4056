"""The one writer: an Extraction, from any reader, becomes an article file.

Never loses an editor's work: an article edited by hand since ingest wrote it
(its fingerprint no longer matches its `ingest_hash`) is recognised here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..frontmatter import dump, fingerprint, split
from ..model import Config
from ..retag import tag_fields
from ..topics import assign_topics
from .extraction import Extraction
from .sources import STDIN_LABEL


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


def source_label(given: str, path: Path | None, root: Path) -> str:
    """`source_file`: the path from the site root when inside it, else as given."""
    return STDIN_LABEL if path is None else relative(path, root, outside=given)


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


def free_path(out_dir: Path, base: str, taken: set[str]) -> tuple[Path, str | None]:
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


def relative(path: Path, root: Path, outside: str | None = None) -> str:
    """The path from the site root; outside it, `outside` (or the path as it is)."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path) if outside is None else outside
