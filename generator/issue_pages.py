"""The issues on the site: issues/ (every issue), issues/<period>/ (one), and the issues feeds.

Two output kinds (see outputs.py). Each page's key holds what it shows: the issue's
title, note, state and stories (by their articles' keys) and its neighbours, so an
edit remakes only the issues it shows up in, and a build with nothing new remakes
none. The feeds carry one item per closed issue, the whole issue as its content,
with the same permanence rules as the article feeds: an id that never changes (made
from the period's name alone: a new address, title or story leaves it as it was) and
dates with their offset, taken from when the issue closed, never from the clock.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from . import urls
from .feed_parts import Feed, absolutize, feed_context, issues_feed, json_feed_document
from .model import Issue
from .pages import Output, Pages

CONTENT_TEMPLATE = "_issue_content.html"


def issue_id(issue: Issue) -> str:
    """The issue's permanent feed id: the same for as long as the digest cuts issues this way."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"labor-digest:issues/{issue.period.key}").urn


def content_key(pages: Pages, issue: Issue) -> tuple:
    """Everything an issue's stories and note show."""
    key_of = pages.key_of
    return (issue.link_key, issue.title, issue.note_hash, issue.lead, tuple((s.topic, tuple(key_of[slug] for slug in s.slugs)) for s in issue.sections),
            tuple(key_of[slug] for slug in issue.lead), issue.closes.isoformat())


def stories_of(pages: Pages, issues: Iterable[Issue]) -> list:
    """The stories the issues show (for Pages: what an edit of them touches)."""
    return [pages.by_slug[slug] for issue in issues for slug in issue.slugs]


def issue_pages(pages: Pages) -> Iterable[Output]:
    """issues/ and one page per issue, each with its older and newer neighbours."""
    issues = pages.site.issues
    if pages.wants_url(urls.issues_index()):  # links to every issue: titles and counts, no story
        yield pages.page("issues.html", urls.issues_index(), tuple(i.link_key + (i.period.span_text,) for i in issues), (), issues=issues)
    for index, issue in enumerate(issues):
        url = urls.issue(issue.period.key)
        if not pages.wants_url(url):
            continue
        newer = issues[index - 1] if index > 0 else None
        older = issues[index + 1] if index + 1 < len(issues) else None
        key = (content_key(pages, issue), newer and newer.link_key, older and older.link_key)
        yield pages.page("issue.html", url, key, stories_of(pages, [issue]), issue=issue, newer=newer, older=older, stories=pages.by_slug)


@dataclass(frozen=True)
class IssueFeedItem:
    id: str
    title: str
    url: str  # absolute
    summary: str
    content: str  # the whole issue, every URL absolute
    published: datetime
    updated: datetime


def feed_item(pages: Pages, issue: Issue) -> IssueFeedItem:
    page_url = urls.issue(issue.period.key)
    url = urls.absolute(pages.config.base_url, page_url)
    html = pages.render_text(CONTENT_TEMPLATE, page_url, {"issue": issue, "stories": pages.by_slug})
    changed = [a.updated for a in (pages.by_slug[s].article for s in issue.slugs) if a.updated]
    return IssueFeedItem(
        id=issue_id(issue),
        title=issue.title,
        url=url,
        summary=f"{issue.period.span_text}: {issue.count_text}",
        content=absolutize(html, url),
        published=issue.closes,
        updated=max([issue.closes, *changed]),
    )


def json_issue_feed(feed: Feed, pages: Pages) -> bytes:
    items = [{"id": entry.id, "url": entry.url, "title": entry.title, "summary": entry.summary, "content_html": entry.content,
              "date_published": entry.published.isoformat(), "date_modified": entry.updated.isoformat()} for entry in feed.items]
    return json_feed_document(feed, pages.config, items)


def closed_issues(issues: Sequence[Issue], limit: int) -> list[Issue]:
    """The newest closed issues: an issue in progress is never in a feed."""
    return [i for i in issues if not i.in_progress][:limit]


def issue_feed_files(pages: Pages) -> Iterable[Output]:
    """issues/feed.xml, issues/atom.xml and issues/feed.json.

    The preview keeps each issue's item by its content key, so an edit remakes the item
    of the one issue it shows up in, not twenty."""
    paths = {kind: urls.issues_feed(kind) for kind in ("rss", "atom", "json")}
    if not any(pages.wants(path) for path in paths.values()):
        return
    chosen = closed_issues(pages.site.issues, pages.config.feed_items)
    keys = [content_key(pages, issue) for issue in chosen]
    key = tuple(keys)
    shows = stories_of(pages, chosen)
    kept = {kind: pages.keep_if_unchanged(f"issues-{kind}", path, key, shows) for kind, path in paths.items()}
    if all(kept.values()):
        yield from ((path, None) for path in paths.values())
        return
    known = pages.recall("issue_feed_items", in_place=False) or {}
    items = [known.get(k) or feed_item(pages, issue) for k, issue in zip(keys, chosen)]
    pages.remember("issue_feed_items", dict(zip(keys, items)))
    feed = issues_feed(pages.config, items, max((i.updated for i in items), default=None))
    yield paths["rss"], None if kept["rss"] else pages.render("issues_rss.xml", paths["rss"], feed_context(feed))
    yield paths["atom"], None if kept["atom"] else pages.render("issues_atom.xml", paths["atom"], feed_context(feed))
    yield paths["json"], None if kept["json"] else json_issue_feed(feed, pages)
