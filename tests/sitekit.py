"""Build small fixture sites in a temp folder and read them back as a reader would."""

from __future__ import annotations

import contextlib
import io
import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path

from conftest import all_files
from conftest import make_site as write_files

from generator.cli import main

CONFIG = """\
title: Test Digest
description: A digest for tests.
base_url: {base_url}
timezone: America/New_York
per_page: 2
republish: {republish}
topics:
  - slug: return-to-office
    name: Return to office
    description: Office mandates.
    signals: {{return to office: 4}}
  - slug: unions
    name: Unions
    description: Organizing and bargaining.
    signals: {{union: 2}}
"""


def article(title: str, date: str = "2024-09-17T18:10:00-04:00", tags: str = "[return-to-office]", body: str = "Workers said the policy was unfair.", **extra: str) -> str:
    lines = [f"title: {title!r}", f"date: {date}", f"tags: {tags}"] + [f"{k}: {v}" for k, v in extra.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + textwrap.dedent(body).strip() + "\n"


def make_site(root: Path, files: dict[str, str] | None = None, *, base_url: str = "https://example.org/", republish: str = "full") -> Path:
    """Write a site (a default config.yaml plus the given files) under root; returns root."""
    files = dict(files or {})
    files.setdefault("config.yaml", CONFIG.format(base_url=base_url, republish=republish))
    return write_files(root, files)


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


def digest(*args: str) -> Run:
    """Run the real CLI in-process and capture what it prints."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return Run(code, out.getvalue(), err.getvalue())


def build(root: Path, out: Path | None = None, *extra: str) -> Run:
    out = out or root / "public"
    return digest("build", "--config", str(root / "config.yaml"), "--out", str(out), *extra)


tree = all_files  # every file under a folder by relative path, for byte-for-byte comparisons


def cold_tree(root: Path, tmp_path: Path) -> dict[str, bytes]:
    """Every file of a build of root from scratch (no cache), into tmp_path/cold-out: what a cached build,
    or the preview, must match byte for byte."""
    out = tmp_path / "cold-out"
    shutil.rmtree(out, ignore_errors=True)
    result = build(root, out, "--no-cache")
    assert result.code == 0, result.err
    return tree(out)
