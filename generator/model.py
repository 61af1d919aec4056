"""The plain data every stage passes along: frozen dataclasses, no I/O.

Relations are by key (a topic holds article slugs, an article holds topic slugs),
so stages can run per article in parallel and be cached by content hash.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path

from .text import html_to_text


@dataclass(frozen=True)
class Topic:
    """What an article is about (never the look: that is a theme)."""

    slug: str
    name: str
    description: str
    # (phrase, weight) pairs an editor reads and adjusts in config.yaml.
    signals: tuple[tuple[str, float], ...] = ()


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

    @property
    def base_path(self) -> str:
        """The path part of base_url ("/" or "/digest/"): every internal link starts with it."""
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
class Site:
    config: Config
    articles: tuple[RenderedArticle, ...]  # newest first
    topic_articles: dict[str, tuple[str, ...]]  # topic slug -> article slugs, newest first; only topics in use

    def __hash__(self) -> int:  # dict field: identity hash is enough
        return id(self)

