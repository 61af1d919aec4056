"""Every output of a site, and the one place that decides which of them an edit touches.

An output kind is a function `kind(pages) -> iterable of (output path, bytes | None)`:
it gives each of its outputs a key covering all the output shows, through
`Pages.page` or `Pages.keep_if_unchanged`, and makes only the outputs whose key
differs from the last build's (None for the others). A new kind (issue pages and
their feeds, say) is one more function in OUTPUT_KINDS, with its own keys; the
build, the preview and anything that renders the site in memory pick it up here.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import jinja2

from .feeds import feed_files
from .issue_pages import issue_feed_files, issue_pages
from .model import Site
from .pages import Output, Pages, Reuse, make_environment
from .render import article_pages, listing_pages, service_files
from .search import search_files

OutputKind = Callable[[Pages], Iterable[Output]]

# In the order they are made: pages first, so the search index comes last.
OUTPUT_KINDS: tuple[OutputKind, ...] = (article_pages, listing_pages, issue_pages, service_files, feed_files, issue_feed_files, search_files)


@dataclass
class RenderResult:
    """The site's outputs as they are rendered, one at a time, so memory holds one page, not the site.

    `outputs` yields (path, bytes), or (path, None) for a page the previous build
    already wrote identically; once it is consumed, `keys` holds every output's key.
    """

    outputs: Iterator[Output]
    keys: dict[str, str]


def render_site(site: Site, env: jinja2.Environment | None = None, reuse: Reuse | None = None,
                memo: dict[str, Any] | None = None, kinds: tuple[OutputKind, ...] = OUTPUT_KINDS) -> RenderResult:
    """Every output of the site; the ones `reuse` says the previous build wrote identically are kept.

    `memo` is what the kinds remember between builds (the build cache keeps it)."""
    pages = Pages(site, env or make_environment(site.config), reuse, memo)

    def outputs() -> Iterator[Output]:
        seen: set[str] = set()
        for path, data in itertools.chain.from_iterable(kind(pages) for kind in kinds):
            if path in seen:
                raise AssertionError(f"two outputs at {path}: a bug in urls.py, please report it")
            seen.add(path)
            yield path, data

    return RenderResult(outputs=outputs(), keys=pages.keys)
