"""The build cache: what the last build knew, so the next one redoes only what changed.

It lives in `.digest-cache/` beside config.yaml; deleting it at any time is safe
(the next build is simply cold), and `digest build --no-cache` ignores it. Entries
are keyed by content: an article by the hash of its file (after a cheap check of
size and mtime), a page by the hash of everything that went into it. A cached
build is byte-identical to a cold one because every key covers all its inputs,
including the code, the config and the theme (`site_key`).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import RenderedArticle

FORMAT = 2
CACHE_DIR = ".digest-cache"


def digest(*parts: Any) -> str:
    """A stable hash of plain values (str, int, float, None, tuples of them)."""
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


@dataclass(frozen=True)
class FileStamp:
    size: int
    mtime_ns: int


@dataclass
class BuildCache:
    """Mutable while one build runs; saved at the end of a successful build."""

    site_key: str = ""
    # article file (relative) -> (stamp, content hash, rendered article)
    articles: dict[str, tuple[FileStamp, str, RenderedArticle]] = field(default_factory=dict)
    # output path -> (page key, stamp of the file written)
    pages: dict[str, tuple[str, FileStamp]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)  # stage-specific data (e.g. search postings)
    dirty: bool = False  # set when this build learned something the next one needs: then it is saved

    @classmethod
    def load(cls, folder: Path, site_key: str) -> BuildCache:
        try:
            with open(folder / "build.pickle", "rb") as handle:
                fmt, cache = pickle.load(handle)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
            return cls(site_key=site_key, dirty=True)
        if fmt != FORMAT or not isinstance(cache, cls):
            return cls(site_key=site_key, dirty=True)
        if cache.site_key != site_key:
            # Code, config or theme changed: rendered pages are stale, parsed articles may be too.
            return cls(site_key=site_key, dirty=True)
        return cache

    def save(self, folder: Path) -> None:
        self.dirty = False
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".build-", dir=folder)
        with os.fdopen(fd, "wb") as handle:
            pickle.dump((FORMAT, self), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, folder / "build.pickle")
        tag = folder / "CACHEDIR.TAG"
        if not tag.exists():
            tag.write_text("Signature: 8a477f597d28d172789f06886806bc55\n# Labor Digest build cache: safe to delete.\n")


def stamp(path: str | Path) -> FileStamp | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return FileStamp(st.st_size, st.st_mtime_ns)
