"""The one place that maps a page to its URL and its output file.

URLs here are relative to the site root ("articles/slug/"); templates turn them
into site paths (with the base path of a subpath deployment) or absolute URLs.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote


def home(page: int = 1) -> str:
    return "" if page == 1 else f"page/{page}/"


def article(slug: str) -> str:
    return f"articles/{slug}/"


def topics_index() -> str:
    return "topics/"


def topic(slug: str, page: int = 1) -> str:
    return f"topics/{slug}/" if page == 1 else f"topics/{slug}/page/{page}/"


def archive_index() -> str:
    return "archive/"


def archive_month(when: datetime) -> str:
    return f"archive/{when.year:04d}/{when.month:02d}/"


def search() -> str:
    return "search/"


def feed(kind: str, topic_slug: str | None = None) -> str:
    """kind: 'rss', 'atom' or 'json'."""
    name = {"rss": "feed.xml", "atom": "atom.xml", "json": "feed.json"}[kind]
    return f"topics/{topic_slug}/{name}" if topic_slug else name


def issues_index() -> str:
    return "issues/"


def issue(key: str) -> str:
    """An issue by its period's name: issues/2026-W49/ (or issues/2026-12/ when issues are monthly)."""
    return f"issues/{key}/"


def issues_feed(kind: str) -> str:
    """kind: 'rss', 'atom' or 'json'; one item per closed issue."""
    return "issues/" + feed(kind)


def opml() -> str:
    return "topics/feeds.opml"


def static(name: str) -> str:
    return f"static/{name}"


def output_path(url: str) -> str:
    """File that serves a URL: pretty URLs end in '/' and are served by index.html."""
    return url + "index.html" if url == "" or url.endswith("/") else url


def url_of(path: str) -> str:
    """The URL an output file serves (output_path's inverse): articles/x/index.html serves articles/x/."""
    return path.removesuffix("index.html") if path == "index.html" or path.endswith("/index.html") else path


def href(base_path: str, url: str) -> str:
    """Link target inside the site, percent-encoded (slugs may hold non-ASCII letters)."""
    return base_path + quote(url, safe="/#?=&%")


def absolute(base_url: str, url: str) -> str:
    return base_url + quote(url, safe="/#?=&%")


def is_contained(path: str) -> bool:
    """True when a relative output path cannot leave the output folder."""
    return (
        bool(path)
        and not path.startswith("/")
        and ".." not in path.split("/")
        and "\\" not in path
        and "\x00" not in path
    )
