"""The plain data every stage passes along: frozen dataclasses, no I/O.

Relations are by key (a topic holds article slugs, an article holds topic slugs),
so stages can run per article in parallel and be cached by content hash.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from pathlib import Path

from .periods import Period
from .text import html_to_text


@dataclass(frozen=True)
class Boundary:
    """Where a topic ends and a sibling topic begins, as config.yaml writes it.

    When a story reaches both, this topic stands beside `sibling` only if one of the
    `keep_if` phrases occurs, or none of the `keep_without` phrases does (a strike in a story
    that names no union is not a union's), or (unless `own_evidence` is off) it has enough
    evidence of its own, outside the headline, dek and paragraphs that are more about the
    sibling; `rule` says why, in the editor's words.
    """

    sibling: str
    rule: str
    keep_if: tuple[str, ...] = ()
    own_evidence: bool = True
    keep_without: tuple[str, ...] = ()


@dataclass(frozen=True)
class Topic:
    """What an article is about (never the look: that is a theme)."""

    slug: str
    name: str
    description: str
    # (phrase, weight) pairs an editor reads and adjusts in config.yaml.
    signals: tuple[tuple[str, float], ...] = ()
    boundaries: tuple[Boundary, ...] = ()


@dataclass(frozen=True)
class Tagging:
    """How strongly evidence must speak before a topic is assigned."""

    threshold: float = 4.0
    title_weight: float = 3.0
    dek_weight: float = 2.0
    # The work context: an article scoring below work_threshold on these (phrase, weight)
    # pairs is not about work and gets no topics. None: the list in generator/topics.py.
    work_threshold: float = 2.0
    work_signals: tuple[tuple[str, float], ...] | None = None


@dataclass(frozen=True)
class IssueSettings:
    """How the digest is cut into issues (config.yaml `issues:`)."""

    period: str = "week"  # "week" (ISO, Monday to Sunday) or "month"
    starts: date | None = None  # the first issue is the period holding this day; earlier stories are in none


@dataclass(frozen=True)
class EmailSettings:
    """How issues are sent (config.yaml `email:`). The password is never here: only its variable's name."""

    sender: str  # the From address, 'Name <address>' or 'address'
    list_unsubscribe: tuple[str, ...]  # mailto: and https: URLs for the List-Unsubscribe header
    smtp_host: str | None = None
    smtp_port: int = 587
    starttls: bool = True
    username: str | None = None
    password_env: str = "LABOR_DIGEST_SMTP_PASSWORD"


@dataclass(frozen=True)
class Config:
    root: Path  # the folder config.yaml lives in; content and themes are found from here
    title: str
    description: str
    base_url: str  # always ends with "/"
    language: str
    timezone: str
    per_page: int
    theme: str | None
    republish: str  # "excerpt" or "full"
    excerpt_words: int
    feed_items: int
    related_items: int
    topics: tuple[Topic, ...]
    tagging: Tagging = field(default_factory=Tagging)
    author: str | None = None
    issues: IssueSettings = field(default_factory=IssueSettings)
    # Not part of the site: left out of repr and comparison, so the build cache (keyed by them) survives a change.
    email: EmailSettings | None = field(default=None, repr=False, compare=False)

    @cached_property
    def base_path(self) -> str:
        """The path part of base_url ("/" or "/digest/"): every internal link starts with it (worked out
        once: every link on every page asks)."""
        from urllib.parse import urlsplit

        return urlsplit(self.base_url).path or "/"

    @cached_property
    def topics_by_slug(self) -> dict[str, Topic]:
        return {t.slug: t for t in self.topics}

    @cached_property
    def topic_names(self) -> dict[str, str]:
        """Topic slug -> the name readers see."""
        return {t.slug: t.name for t in self.topics}


@dataclass(frozen=True)
class Article:
    source_path: str  # relative to the site root, for messages and sorting ties
    id: str
    title: str
    slug: str
    date: datetime | None  # original publication time, aware; None when the page showed none
    added: datetime  # when it entered the digest, aware
    body_md: str
    summary: str
    dek: str | None = None
    updated: datetime | None = None
    authors: tuple[str, ...] = ()
    publication: str | None = None
    section: str | None = None
    source_url: str | None = None
    tags: tuple[str, ...] = ()
    draft: bool = False
    republish: str = "excerpt"
    review: tuple[str, ...] = ()
    id_derived: bool = False  # True when the front matter had no id and one was derived
    content_hash: str = ""  # hash of the file's text: the article's cache key

    @property
    def sort_date(self) -> datetime:
        """Orders the digest: the original date, else the day it was added."""
        return self.date or self.added

    @cached_property
    def sort_key(self) -> tuple:
        # Newest first, ties broken by slug so output never depends on file order.
        return (-self.sort_date.timestamp(), self.slug)


@dataclass(frozen=True)
class SearchEntry:
    """What an article gives the search index, made once with its body (see search.py)."""

    terms: str  # its index terms, one per line
    scores: bytes  # each term's score, an array("I") as bytes
    doc_z: bytes  # zlib of its document file (JSON): what a result shows


@dataclass(frozen=True)
class RenderedArticle:
    """An article after Markdown: the HTML its page publishes (sanitised).

    The HTML is kept compressed: the build cache holds one of these per article,
    tens of thousands of them, and most builds never look at most bodies.
    """

    article: Article
    html_z: bytes  # zlib of exactly what the page shows: the full body, or the excerpt and its read-more line
    body_length: int  # characters of html before the read-more line
    is_excerpt: bool
    word_count: int
    card: str = ""  # the article's entry in listings (HTML), rendered once with the theme
    search: SearchEntry | None = None  # made with the body when the article is prepared

    @classmethod
    def from_html(cls, article: Article, body: str, read_more: str, *, is_excerpt: bool, word_count: int) -> RenderedArticle:
        html = body + read_more
        return cls(article, zlib.compress(html.encode("utf-8"), 1), len(body), is_excerpt, word_count)

    @property
    def html(self) -> str:
        return zlib.decompress(self.html_z).decode("utf-8")

    @property
    def full_text(self) -> str:
        """Plain text of what is published (without the read-more line), for search."""
        return html_to_text(self.html[: self.body_length])

    @property
    def key(self) -> str:
        """Changes whenever anything shown of this article can change (with the site key)."""
        return self.article.content_hash


@dataclass(frozen=True)
class IssueNote:
    """The editor's part of an issue (content/issues/2026-W49.md): a title, lead stories, a note."""

    source_path: str
    period: str  # the period's key, from the file name
    title: str | None
    lead: tuple[str, ...]  # slugs of the stories to put first
    body_md: str
    closed: datetime | None  # set by `digest issue --close`: the issue ended early, at this moment
    content_hash: str
    lead_line: int | None = None  # for messages about a lead that is not in the issue


@dataclass(frozen=True)
class IssueSection:
    """The stories of one topic in an issue, or (topic None) "Also in this issue"."""

    topic: str | None
    slugs: tuple[str, ...]


@dataclass(frozen=True)
class Issue:
    """One period's stories, by the day they entered the digest (`added`), grouped by topic."""

    period: Period
    title: str  # the editor's, else the period's plain title
    lead: tuple[str, ...]  # shown first, in the editor's order
    sections: tuple[IssueSection, ...]  # topics in config order, then the untagged; each story once
    note_html: str  # sanitised HTML of the editor's note ("" without one)
    in_progress: bool  # not over yet (and not closed early): never in the feed, never sent
    closes: datetime  # when it ended (or will): the period's end, or the editor's early close
    topic_count: int  # topics of its stories' first tags (a lead story's too)
    note_hash: str = ""

    @property
    def slugs(self) -> tuple[str, ...]:
        return self.lead + tuple(s for section in self.sections for s in section.slugs)

    @property
    def story_count(self) -> int:
        return len(self.lead) + sum(len(section.slugs) for section in self.sections)

    @property
    def shown_title(self) -> str:
        return self.period.so_far_title if self.in_progress else self.title

    @cached_property
    def link_key(self) -> tuple:
        """What a link to the issue shows (a page key's part): its title, its count, whether it is in progress
        (asked by every article page's key, so worked out once)."""
        return (self.period.key, self.shown_title, self.count_text)

    @property
    def count_text(self) -> str:
        """'12 stories, 5 topics'."""
        stories = f"{self.story_count} {'story' if self.story_count == 1 else 'stories'}"
        return stories + (f", {self.topic_count} {'topic' if self.topic_count == 1 else 'topics'}" if self.topic_count else "")


@dataclass(frozen=True)
class Site:
    config: Config
    articles: tuple[RenderedArticle, ...]  # newest first
    topic_articles: dict[str, tuple[str, ...]]  # topic slug -> article slugs, newest first; only topics in use
    issues: tuple[Issue, ...] = ()  # newest first; the one in progress (if any) first

    def __hash__(self) -> int:  # dict field: identity hash is enough
        return id(self)

    @cached_property
    def position(self) -> dict[str, int]:
        """Article file -> its place in `articles` (made once per site: the preview asks it on every edit)."""
        return {item.article.source_path: at for at, item in enumerate(self.articles)}

