"""The only code that writes the site: inside the output folder, all or nothing, only what changed.

Files arrive as they are rendered and go into a temporary folder beside the
output, never into the output itself, so a build that fails while rendering or
writing leaves the output untouched (and memory holds one page at a time, not the
site). A first build's folder is then renamed into place. Later builds stage only
the files whose bytes changed and move each into place with an atomic rename: a
reader or a sync tool never sees a half-written file, and files that did not
change keep their bytes, inode and mtime, so rsync and static hosts see only real
changes.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from . import urls
from .cache import CACHE_DIR, FileStamp, stamp
from .errors import Problem, SiteError


@dataclass(frozen=True)
class WriteReport:
    written: tuple[str, ...]
    unchanged: int
    removed: tuple[str, ...]
    stamps: dict[str, FileStamp]  # every output file as it now stands


def _same_bytes(path: Path, was: FileStamp, data: bytes) -> bool:
    """Whether the file (whose stamp is `was`) already holds exactly `data`."""
    try:
        return was[0] == len(data) and path.read_bytes() == data
    except OSError:
        return False


class _Staging:
    """A temporary folder beside the output that receives files as they come."""

    def __init__(self, out: Path):
        self.folder = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
        self.prefix = str(self.folder) + os.sep
        self.made: set[str] = set()

    def put(self, rel: str, data: bytes) -> None:
        # `rel` passed urls.is_contained (relative, no '..'), and nothing in this fresh
        # folder is a link, so the path cannot leave it: no realpath per file needed.
        parent, _, _name = rel.rpartition("/")
        if parent and parent not in self.made:
            os.makedirs(self.prefix + parent, exist_ok=True)
            self.made.add(parent)
        with open(self.prefix + rel, "wb") as handle:
            handle.write(data)


def _existing_files(out: Path) -> set[str]:
    """Files a build may remove: not hidden ones (.git of a gh-pages worktree, .well-known, .nojekyll)."""
    found = set()
    for folder, dirs, names in os.walk(out):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        rel = Path(folder).relative_to(out).as_posix()
        found.update(name if rel == "." else f"{rel}/{name}" for name in names if not name.startswith("."))
    return found


def check_output_folder(out: Path, root: Path) -> list[Problem]:
    """A build makes its output folder hold exactly the site: it must not be, hold or lie in the sources."""
    out, root = out.resolve(), root.resolve()
    if out == root or root.is_relative_to(out):
        return [Problem(str(out), None, f"holds the site's sources ({root / 'config.yaml'}), which a build would delete: use an output folder of its own, such as --out public")]
    for name in ("content", "themes", CACHE_DIR):
        if out.is_relative_to(root / name):
            return [Problem(str(out), None, f"is inside the site's {name}/ folder: use an output folder of its own, such as --out public")]
    return []


def _remove_empty_dirs(out: Path, paths: list[str]) -> None:
    for folder in sorted({(out / p).parent for p in paths}, key=lambda f: -len(f.parts)):
        while folder != out and folder.is_relative_to(out):
            try:
                folder.rmdir()
            except OSError:
                break
            folder = folder.parent


def write_site(out: Path, outputs: Iterable[tuple[str, bytes | None]] | Mapping[str, bytes], previous: set[str] | None = None) -> WriteReport:
    """Make `out` hold exactly the given outputs; `None` as data means "kept": unchanged since the last build.

    `previous` lists what the last build wrote, so stale files can be removed
    without walking the tree; without it the tree is walked.
    """
    if isinstance(outputs, Mapping):
        outputs = outputs.items()
    try:
        return _write_site(out.resolve(), outputs, previous)
    except OSError as exc:  # permissions, a full disk, a name the file system refuses
        where = f" ({exc.filename})" if exc.filename else ""
        raise SiteError([Problem(str(out), None, f"cannot be written: {exc.strerror or exc}{where}; check the folder's permissions and free space")]) from None


def _write_site(out: Path, outputs: Iterable[tuple[str, bytes | None]], previous: set[str] | None) -> WriteReport:
    if out.exists() and not out.is_dir():
        raise SiteError([Problem(str(out), None, "the output path exists and is not a folder: choose another --out")])
    out.parent.mkdir(parents=True, exist_ok=True)
    fresh = not out.exists() or not any(out.iterdir())
    staging = _Staging(out)
    current: set[str] = set()
    changed: list[str] = []
    stamps: dict[str, FileStamp] = {}
    unchanged = 0
    try:
        for rel, data in outputs:
            if not urls.is_contained(rel):
                raise SiteError([Problem(rel, None, "would be written outside the output folder: refused")])
            current.add(rel)
            if data is None:
                unchanged += 1
                continue
            was = None if fresh else stamp(out / rel)
            if was is None or not _same_bytes(out / rel, was, data):
                staging.put(rel, data)
                changed.append(rel)
            else:
                unchanged += 1
                stamps[rel] = was
        if fresh:
            if out.exists():
                out.rmdir()
            os.rename(staging.folder, out)
            return WriteReport(tuple(sorted(changed)), 0, (), {p: stamp(out / p) for p in changed})
        for rel in changed:
            target = out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.is_dir():
                shutil.rmtree(target)
            os.replace(staging.folder / rel, target)
            stamps[rel] = stamp(target)
        before = previous if previous is not None else _existing_files(out)
        hidden = lambda p: any(part.startswith(".") for part in p.split("/"))
        stale = sorted(p for p in before - current if urls.is_contained(p) and not hidden(p) and (out / p).is_file())
        for rel in stale:
            (out / rel).unlink()
        _remove_empty_dirs(out, stale)
    finally:
        shutil.rmtree(staging.folder, ignore_errors=True)
    return WriteReport(tuple(sorted(changed)), unchanged, tuple(stale), stamps)
