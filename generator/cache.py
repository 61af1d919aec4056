"""The build cache: what the last build knew, so the next one redoes only what changed.

It lives in `.digest-cache/` beside config.yaml; deleting it at any time is safe
(the next build is simply cold), and `digest build --no-cache` ignores it. Entries
are keyed by content: an article by the hash of its file (after a cheap check of
size and mtime), a page by the hash of everything that went into it. A cached
build is byte-identical to a cold one because every key covers all its inputs,
including the code, the config and the theme (`site_key`).
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import tempfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import RenderedArticle

FORMAT = 7
CACHE_DIR = ".digest-cache"


def digest(*parts: Any) -> str:
    """A stable hash of plain values (str, int, float, None, tuples of them)."""
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


# A file's (size, mtime in ns): a plain tuple, as tens of thousands are loaded with the cache.
FileStamp = tuple[int, int]


ARTICLE_SHARDS = 16  # an edit rewrites the cached articles of one shard, not all of them


def article_shard(rel: str) -> int:
    return zlib.crc32(rel.encode("utf-8", "surrogatepass")) % ARTICLE_SHARDS


@dataclass
class BuildCache:
    """Mutable while one build runs; saved at the end of a successful build.

    Prepared articles are kept in shard files beside the rest (`articles-NN.pickle`),
    so saving after an edit rewrites one shard; an entry is trusted only while its
    file's stamp still matches, and a shard made under another site key is ignored.
    """

    site_key: str = ""
    # article file (relative) -> (stamp, content hash, rendered article)
    articles: dict[str, tuple[FileStamp, str, RenderedArticle]] = field(default_factory=dict)
    # output path -> (page key, stamp of the file written)
    pages: dict[str, tuple[str, FileStamp]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)  # stage-specific data (e.g. search postings)
    # What the last build read and told: every article file's stamp, and its report (see build.py)
    sources: dict[str, FileStamp | None] = field(default_factory=dict)
    summary: dict[str, Any] | None = None
    dirty: bool = False  # set when this build learned something the next one needs: then it is saved
    stale_shards: set[int] = field(default_factory=lambda: set(range(ARTICLE_SHARDS)))

    @classmethod
    def load(cls, folder: Path, site_key: str) -> BuildCache:
        """The last build's pages and sources; its articles are read by load_articles, when needed."""
        cache = read_value(folder / "build.pickle")
        if not isinstance(cache, cls) or cache.site_key != site_key:
            # Missing, damaged, or made for other code, config or theme: start cold.
            return cls(site_key=site_key, dirty=True)
        cache.articles, cache.stale_shards = {}, set(range(ARTICLE_SHARDS))
        return cache

    def load_articles(self, folder: Path) -> None:
        """Read the prepared articles. They live until the build ends: the cycle collector is
        kept off them (paused while they load, then frozen), or it would walk their hundreds
        of thousands of objects again and again, for a tenth of a rebuild's time."""
        if self.summary is None:  # a cold cache has no articles to read
            return
        collecting = gc.isenabled()
        gc.disable()
        try:
            for shard in range(ARTICLE_SHARDS):
                entries = read_value(folder / f"articles-{shard:02d}.pickle")
                if isinstance(entries, tuple) and len(entries) == 2 and entries[0] == self.site_key and isinstance(entries[1], dict):
                    self.articles.update(entries[1])
                    self.stale_shards.discard(shard)
        finally:
            gc.freeze()  # build.py unfreezes them when the build ends
            if collecting:
                gc.enable()

    def wrote(self, out_prefix: str, path: str, page_key: str) -> bool:
        """Whether the last build wrote the output at `path` (under `out_prefix`) from this page key,
        and its file still stands as written: then it need not be made again."""
        previous = self.pages.get(path)
        return previous is not None and previous[0] == page_key and previous[1] == stamp(out_prefix + path)

    def mark_changed(self, rels: set[str]) -> None:
        if rels:
            self.dirty = True
            self.stale_shards.update(article_shard(rel) for rel in rels)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        by_shard: dict[int, dict] = {shard: {} for shard in self.stale_shards}
        for rel, entry in self.articles.items():
            shard = article_shard(rel)
            if shard in by_shard:
                by_shard[shard][rel] = entry
        for shard, entries in sorted(by_shard.items()):
            write_value(folder / f"articles-{shard:02d}.pickle", (self.site_key, entries))
        rest = BuildCache(site_key=self.site_key, pages=self.pages, extra=self.extra, sources=self.sources, summary=self.summary)
        write_value(folder / "build.pickle", rest)
        self.dirty, self.stale_shards = False, set()
        tag = folder / "CACHEDIR.TAG"
        if not tag.exists():
            tag.write_text("Signature: 8a477f597d28d172789f06886806bc55\n# Labor Digest build cache: safe to delete.\n")


def read_value(path: Path) -> Any:
    """A value saved by write_value, or None when the file is missing, damaged or of another format."""
    try:
        with open(path, "rb") as handle:
            fmt, value = pickle.load(handle)
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
        return None
    return value if fmt == FORMAT else None


def write_value(path: Path, value: Any) -> None:
    """Save a value atomically (a reader never sees half a file)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(fd, "wb") as handle:
        pickle.dump((FORMAT, value), handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


def stamp(path: str | Path) -> FileStamp | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns)
