"""What every feed the site makes is made of: its head, the JSON Feed document, text for RSS, absolute URLs.

Below the output kinds that make feeds (feeds.py for the digest's and each topic's
stories, issue_pages.py for the issues) and the issue email, which all import it:
one kind never imports another's parts back.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape, unescape
from typing import Any
from urllib.parse import urljoin

from markupsafe import Markup

from . import urls
from .model import Config, Topic


@dataclass(frozen=True)
class Feed:
    title: str
    description: str
    home_url: str  # absolute
    rss_url: str
    atom_url: str
    json_url: str
    items: Sequence[Any]  # FeedItem; in the issues feed, issue_pages.IssueFeedItem
    updated: datetime | None
    topic: Topic | None


def issues_feed(config: Config, items: Sequence[Any] = (), updated: datetime | None = None) -> Feed:
    """The issues feed: one item per closed issue (made in issue_pages.py), listed in the OPML with the others."""
    return Feed(
        title=f"{config.title}: issues",
        description=f"Every {config.issues.period}ly issue of {config.title}: its stories, by topic",
        home_url=urls.absolute(config.base_url, urls.issues_index()),
        rss_url=urls.absolute(config.base_url, urls.issues_feed("rss")),
        atom_url=urls.absolute(config.base_url, urls.issues_feed("atom")),
        json_url=urls.absolute(config.base_url, urls.issues_feed("json")),
        items=items,
        updated=updated,
        topic=None,
    )


def json_feed_document(feed: Feed, config: Config, items: list[dict[str, Any]]) -> bytes:
    """JSON Feed 1.1: the feed's own fields, then its items as given (the article feeds' and the issues feed's)."""
    data = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": feed.title,
        "home_page_url": feed.home_url,
        "feed_url": feed.json_url,
        "description": feed.description,
        "language": config.language,
        "authors": [{"name": config.author or config.title, "url": config.base_url}],
        "items": items,
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def feed_context(feed: Feed) -> dict[str, Any]:
    """What a feed template is given: the feed, and the two ways it writes text."""
    return {"feed": feed, "rss_text": rss_text, "html_text": html_text}


def rss_text(text: str) -> Markup:
    """Plain text for an RSS element readers may take for HTML (title, creator, category).

    The RSS Profile's advice: '&', '<' and '>' as hexadecimal character references,
    which readers (and the W3C validator) take to mean "this is text, not markup".
    """
    return Markup(text.replace("&", "&#x26;").replace("<", "&#x3C;").replace(">", "&#x3E;"))


def html_text(text: str) -> str:
    """Plain text for an element whose content is HTML (an RSS item's description).

    Escaped once here as HTML and once more by the template as XML, so a summary
    that reads '<script>' arrives in a reader as those characters, never as a tag.
    """
    return escape(text, quote=False)


# A start tag of sanitised HTML (attribute values always in double quotes), and a URL attribute in it.
# Only tags are rewritten: text such as a code sample showing '<a href="/x">' (escaped as '&lt;a href=...')
# is left as it reads on the page.
_START_TAG = re.compile(r'<[a-zA-Z][^\s/>]*(?:\s+[^\s"\'=/>]+(?:="[^"]*")?)*\s*/?>')
_URL_ATTR = re.compile(r'(\s(?:href|src)=)"([^"]*)"')


def absolutize(html: str, page_url: str) -> str:
    """Make every link and image URL in an HTML fragment absolute (feed readers need it)."""

    def fix_url(attr: re.Match) -> str:
        return f'{attr.group(1)}"{escape(urljoin(page_url, unescape(attr.group(2))), quote=True)}"'

    def fix_tag(tag: re.Match) -> str:
        return _URL_ATTR.sub(fix_url, tag.group(0))

    return _START_TAG.sub(fix_tag, html)
