"""The only code that writes the site: atomically, inside the output folder, only what changed.

A new tree is assembled in a temporary folder beside the output: files whose bytes
are unchanged are hard-linked from the current output (same inode and mtime, so
rsync and static hosts see no change), the rest are written. The new tree is then
swapped in with two renames; a failure before that leaves the old output untouched.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import urls
from .errors import Problem, SiteError


@dataclass(frozen=True)
class WriteReport:
    written: int
    unchanged: int
    removed: int


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def write_site(files: dict[str, bytes], out: Path) -> WriteReport:
    bad = [p for p in files if not urls.is_contained(p)]
    if bad:
        raise SiteError([Problem(p, None, "would be written outside the output folder: refused") for p in sorted(bad)])
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.exists() and not out.is_dir():
        raise SiteError([Problem(str(out), None, "the output path exists and is not a folder: choose another --out")])
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    written = unchanged = 0
    try:
        made_dirs: set[Path] = set()
        for rel in sorted(files):
            data = files[rel]
            target = (staging / rel).resolve()
            if not target.is_relative_to(staging):
                raise SiteError([Problem(rel, None, "would be written outside the output folder: refused")])
            if target.parent not in made_dirs:
                target.parent.mkdir(parents=True, exist_ok=True)
                made_dirs.add(target.parent)
            old = out / rel
            if _same_bytes(old, data):
                try:
                    os.link(old, target)
                    unchanged += 1
                    continue
                except OSError:
                    pass
            target.write_bytes(data)
            written += 1
        old_files = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()} if out.is_dir() else set()
        removed = len(old_files - set(files))
        retired = None
        if out.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
            os.rename(out, retired / "site")
        os.rename(staging, out)
        if retired:
            shutil.rmtree(retired, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return WriteReport(written=written, unchanged=unchanged, removed=removed)
