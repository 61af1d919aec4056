"""Every output of a site, and the one place that decides which of them an edit touches.

An output kind is a function `kind(pages) -> iterable of (output path, bytes | None)`:
it gives each of its outputs a key covering all the output shows, through
`Pages.page` or `Pages.keep_if_unchanged`, and makes only the outputs whose key
differs from the last build's (None for the others). A new kind is one more
function in OUTPUT_KINDS, with its own keys (as the issue pages and their feeds
were); the build, the preview and `digest check` pick it up here.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import jinja2

from .feeds import feed_files
from .issue_pages import issue_feed_files, issue_pages
from .model import Article, Issue, RenderedArticle, Site
from .pages import Output, OutputIndex, Pages, Reuse, Slot, make_environment, topic_shown
from .render import article_pages, listing_pages, service_files
from .search import search_files

OutputKind = Callable[[Pages], Iterable[Output]]

# In the order they are made: pages first, so the search index comes last.
OUTPUT_KINDS: tuple[OutputKind, ...] = (article_pages, listing_pages, issue_pages, service_files, feed_files, issue_feed_files, search_files)


@dataclass
class RenderResult:
    """The site's outputs as they are rendered, one at a time, so memory holds one page, not the site.

    `outputs` yields (path, bytes), or (path, None) for a page the previous build
    already wrote identically; once it is consumed, `keys` holds every output's key as
    the build cache keeps them (hashed; the preview keeps its own, as made, in its index).
    """

    outputs: Iterator[Output]
    keys: dict[str, str]


def render_site(site: Site, env: jinja2.Environment | None = None, reuse: Reuse | None = None,
                memo: dict[str, Any] | None = None, kinds: tuple[OutputKind, ...] = OUTPUT_KINDS,
                index: OutputIndex | None = None, edited: set[str] | None = None, previous: OutputIndex | None = None,
                wanted: set[Slot] | None = None) -> RenderResult:
    """Every output of the site; the ones `reuse` says the previous build wrote identically are kept.

    `memo` is what the kinds remember between builds (the build cache keeps it).
    With an `index`, every output records what it shows there, and `previous` (an
    index) is what keys are compared with; with `edited` too (what an edit in place
    changed: see edit_in_place), the pass asks only about the outputs that show it
    (or `wanted`, a part of those) and the index keeps the rest as they were; an output
    asked about that no kind made any more is dropped from it."""
    pages = Pages(site, env or make_environment(site.config), reuse, memo, index, edited, previous, wanted)
    wanted = pages.wanted

    def outputs() -> Iterator[Output]:
        seen: set[str] = set()
        for path, data in itertools.chain.from_iterable(kind(pages) for kind in kinds):
            if path in seen:
                raise AssertionError(f"two outputs at {path}: a bug in urls.py, please report it")
            seen.add(path)
            yield path, data
        if index is not None and wanted is not None:
            for slot in wanted - pages.asked:
                index.forget(slot)

    return RenderResult(outputs=outputs(), keys=pages.keys)


# -- what an edit touches -----------------------------------------------------------------------


def _dates(article: Article) -> tuple[str | None, ...]:
    # With their offsets: the same instant written in another offset is shown differently.
    return tuple(d.isoformat() if d else None for d in (article.date, article.added, article.updated))


def edit_in_place(site: Site, changes: dict[str, RenderedArticle | None]) -> tuple[Site, set[str]] | None:
    """The site after an edit that keeps every story where it was, and what else the edit
    touched (the topics stories joined or left, as topic_shown() names them); None when
    the edit does not keep the stories' places.

    `changes` maps an article file to its new version, or to None when the site no
    longer shows it (deleted, or a draft). An edit keeps its place when the story stays
    in the site, keeps its dates (so every listing, month and issue holds the same
    stories in the same order) and sorts between the same neighbours (a new title may
    give it a new URL); it may join or leave topics that other stories keep in use.
    Then the outputs it can change are exactly those that show the story or those
    topics: `OutputIndex.touched(files and topics)`. Its issue keeps it too (issues are
    cut by the day a story was added and grouped by its first topic, which must stay).
    Anything else (a story added, removed or moved) needs every output asked about."""
    position = site.position
    articles = list(site.articles)
    edits: list[tuple[Article, Article]] = []
    for rel, new in changes.items():
        at = position.get(rel)
        if at is None or new is None:
            if at is None and new is None:
                continue  # neither shown before nor now (a draft edited)
            return None
        old = articles[at].article
        if _dates(new.article) != _dates(old) or new.article.draft != old.draft:
            return None
        if site.issues and new.article.tags[:1] != old.tags[:1]:
            return None  # its issue lists it under another topic: the issues are cut again
        articles[at] = new
        edits.append((old, new.article))
    for rel in changes:
        at = position.get(rel)
        if at is None:
            continue
        key = articles[at].article.sort_key
        if (at > 0 and not articles[at - 1].article.sort_key < key) or (at + 1 < len(articles) and not key < articles[at + 1].article.sort_key):
            return None
    topic_articles, issues = site.topic_articles, site.issues
    topics: set[str] = set()
    renamed = {old.slug: new.slug for old, new in edits if old.slug != new.slug}
    if renamed or any(old.tags != new.tags for old, new in edits):
        if any(slug in issue.lead for slug in renamed for issue in issues):
            return None  # an editor's note names the story by its old slug: the issues are cut again (and say so)
        lists = {tag: list(slugs) for tag, slugs in topic_articles.items()}
        if any(tag not in lists for _old, new in edits for tag in new.tags):
            return None  # a topic comes into use: new pages, feeds and links everywhere
        for old, _new in edits:  # every old slug out first, so that only new ones are placed among
            for tag in old.tags:
                lists[tag].remove(old.slug)
        at_of = {item.article.slug: at for at, item in enumerate(articles)}
        for old, new in edits:
            for tag in new.tags:
                slugs = lists[tag]
                slugs.insert(bisect.bisect_left(slugs, at_of[new.slug], key=at_of.__getitem__), new.slug)
            topics.update(topic_shown(tag) for tag in set(old.tags) ^ set(new.tags))
        if not all(lists.values()):
            return None  # a topic goes out of use
        topic_articles = {tag: tuple(slugs) for tag, slugs in lists.items()}
        issues = tuple(_renamed(issue, renamed) for issue in issues) if renamed else issues
    edited = Site(config=site.config, articles=tuple(articles), topic_articles=topic_articles, issues=issues)
    edited.__dict__["position"] = position  # every story kept its place
    return edited, topics


def _renamed(issue: Issue, renamed: dict[str, str]) -> Issue:
    """The issue with its stories' new slugs, in their places."""
    if not any(slug in renamed for section in issue.sections for slug in section.slugs):
        return issue
    sections = tuple(dataclasses.replace(s, slugs=tuple(renamed.get(slug, slug) for slug in s.slugs)) for s in issue.sections)
    return dataclasses.replace(issue, sections=sections)
