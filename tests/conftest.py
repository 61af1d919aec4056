"""Fixture sites: written into a temporary folder, built with the real CLI, read back as a reader would.

`make_site(tmp_path, {"config.yaml": ..., "content/articles/a.md": ...})` writes the files;
`build_site(site)` runs `digest build` in that folder and returns what it printed and where
the site went; `parse_html` and `internal_links` read pages with a WHATWG parser.
"""

from __future__ import annotations

import contextlib
import io
import textwrap
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import html5lib
import pytest

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_THEME = ROOT / "themes" / "default"

CONFIG = """\
title: Labor Digest
description: News about work and workers, by topic.
base_url: {base_url}
language: en
timezone: America/New_York
per_page: 2
feed_items: 20
excerpt_words: 120
topics:
  - slug: unions
    name: Unions
    description: Organizing and collective bargaining.
  - slug: return-to-office
    name: Return to office
    description: Mandates and pressure to work from the office.
  - slug: layoffs
    name: Layoffs
    description: Job cuts.
"""

LONG_BODY = "\n\n".join(
    f"Paragraph {n} of the story goes on about the strike and the workers who walked out of the plant on a cold morning." for n in range(1, 13)
)

# A small digest that exercises every kind of page: several months, pagination,
# topics in use and one unused (layoffs), a draft, an undated article, an excerpt and a full text.
ARTICLES = {
    "content/articles/nurses-strike.md": f"""\
---
title: Nurses strike over staffing
dek: Three hospitals walk out.
date: 2024-03-05T09:30:00-05:00
authors: [Ana Ruiz, Bo Chen]
publication: The Daily Worker
source_url: https://news.example.com/nurses-strike
tags: [unions]
id: urn:uuid:6a1c2b0e-0000-4000-8000-000000000001
---

{LONG_BODY}
""",
    "content/articles/rto-mandate.md": """\
---
title: Bank orders staff back to the office
date: 2024-02-20
publication: Office Times
source_url: https://www.office-times.example/rto
tags: [return-to-office, unions]
republish: full
id: urn:uuid:6a1c2b0e-0000-4000-8000-000000000002
---

The bank told staff to return **five days** a week. See [the memo](https://example.com/memo) and
[our earlier story](../nurses-strike-over-staffing/).

## What workers said

Workers were not pleased.
""",
    "content/articles/undated.md": """\
---
title: Warehouse union vote set
added: 2024-03-01
tags: [unions]
republish: full
id: urn:uuid:6a1c2b0e-0000-4000-8000-000000000003
---

A vote is set for next month.
""",
    "content/articles/old-news.md": """\
---
title: Old news from January
date: 2024-01-10T12:00:00Z
id: urn:uuid:6a1c2b0e-0000-4000-8000-000000000004
---

Nothing to see.
""",
    "content/articles/draft.md": """\
---
title: Unfinished draft
date: 2024-03-10
draft: true
tags: [layoffs]
id: urn:uuid:6a1c2b0e-0000-4000-8000-000000000005
---

Not ready.
""",
}


def make_site(root: Path, files: dict[str, str]) -> Path:
    """Write files (path relative to the site root -> text) and return the site root."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text) if text.startswith("\n") else text, encoding="utf-8")
    return root


def sample_files(base_url: str = "https://example.org/") -> dict[str, str]:
    return {"config.yaml": CONFIG.format(base_url=base_url), **ARTICLES}


@dataclass
class Built:
    code: int
    stdout: str
    stderr: str
    out: Path


def build_site(site: Path, out: Path | None = None, *args: str) -> Built:
    """Run `digest build` in the site folder (so messages name files as a user sees them)."""
    out = out or site.parent / f"{site.name}-out"
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.chdir(site), contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(["build", "--config", "config.yaml", "--out", str(out), *args])
    return Built(code, stdout.getvalue(), stderr.getvalue(), out)


@pytest.fixture
def sample_site(tmp_path: Path) -> Built:
    """The sample digest at a domain root, built."""
    site = make_site(tmp_path / "site", sample_files())
    built = build_site(site, tmp_path / "out")
    assert built.code == 0, built.stderr
    return built


def parse_html(path: Path) -> ET.Element:
    with open(path, "rb") as handle:
        return html5lib.parse(handle, namespaceHTMLElements=False)


def all_files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def snapshot(out: Path) -> dict[str, tuple[bytes, int]]:
    """Every file's bytes and mtime: proves a folder was left untouched."""
    return {p.relative_to(out).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(out.rglob("*")) if p.is_file()}


def page_url_of(rel: str) -> str:
    """The site-relative URL a file is served at ('articles/x/index.html' -> 'articles/x/')."""
    return rel.removesuffix("index.html")


def internal_links(out: Path, base_url: str) -> list[tuple[str, str, str]]:
    """(page, link as written, output file it must resolve to) for every link to this site."""
    base = urlsplit(base_url)
    found = []
    for path in sorted(out.rglob("*.html")):
        rel = path.relative_to(out).as_posix()
        page = urljoin(base_url, page_url_of(rel))
        for el in parse_html(path).iter():
            for attr in ("href", "src"):
                link = el.get(attr)
                if link is None or link.startswith(("mailto:", "#")):
                    continue
                target = urlsplit(urljoin(page, link))
                if (target.scheme, target.netloc) != (base.scheme, base.netloc):
                    continue
                if not target.path.startswith(base.path):  # this host, but outside the site
                    found.append((rel, link, "../" + target.path))
                    continue
                inside = unquote(target.path[len(base.path) :])
                found.append((rel, link, inside + "index.html" if inside == "" or inside.endswith("/") else inside))
    return found


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright, one per test module (see browserkit)."""
    from browserkit import chromium

    with chromium() as b:
        yield b
