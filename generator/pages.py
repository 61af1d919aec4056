"""What every kind of output is made with: the theme, dates as pages show them, pagination,
the site's listings, and the page key that says whether an output must be made again.

This module sits below every renderer (`render` for HTML pages, `feeds`, `search`, and any
kind added later): they all import it, it imports none of them, so the build side has one
order and no circle.

Templates come from a search path (the user's theme, then the default theme, plus a
`default/` prefix so an override can extend the template it replaces), autoescape HTML
and XML, and fail on any undefined name so a template mistake names itself.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from markupsafe import Markup

from . import urls
from .body import credit
from .cache import digest
from .errors import Problem, SiteError
from .model import Config, RenderedArticle, Site

DEFAULT_THEME = Path(__file__).resolve().parent.parent / "themes" / "default"

Output = tuple[str, bytes | None]  # (output path, bytes), or None: the last build's file still holds
Reuse = Callable[[str, str], bool]  # (output path, page key) -> whether the last build's file still holds


# -- the theme --------------------------------------------------------------------------------


def theme_dirs(config: Config) -> list[Path]:
    """The theme search path: the user's theme first, then the default one."""
    dirs = []
    if config.theme and config.theme != "default":
        dirs.append(config.root / "themes" / config.theme)
    local_default = config.root / "themes" / "default"
    dirs.append(local_default if local_default.is_dir() else DEFAULT_THEME)
    return dirs


@functools.lru_cache(maxsize=4)
def make_environment(config: Config, compiled: Path | None = None) -> jinja2.Environment:
    """The theme's templates; `compiled` is a folder that keeps them compiled between builds
    (Jinja's bytecode cache, keyed by each template's source, so an edited one is compiled again)."""
    dirs = theme_dirs(config)
    loader = jinja2.ChoiceLoader(
        [jinja2.FileSystemLoader([str(d / "templates") for d in dirs]),
         jinja2.PrefixLoader({"default": jinja2.FileSystemLoader(str(dirs[-1] / "templates"))})]
    )
    env = jinja2.Environment(
        loader=loader,
        autoescape=jinja2.select_autoescape(["html", "xml", "opml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(compiled)) if compiled else None,
        auto_reload=False,  # templates do not change during a build; each build makes its environment anew
    )
    tz = ZoneInfo(config.timezone)
    env.filters.update(
        href=lambda url: urls.href(config.base_path, url),
        absolute=lambda url: urls.absolute(config.base_url, url),
        readable_date=lambda d: readable_date(d, tz),
        iso=lambda d: d.isoformat(),
        rfc822=lambda d: format_datetime(d),
        jsonld=jsonld,
        month_name=lambda d: f"{d:%B %Y}",
    )
    env.globals.update(
        urls=urls,
        credit=credit,
        config_epoch=datetime(1970, 1, 1, tzinfo=UTC),
        news_article_jsonld=lambda item, url: news_article_jsonld(item, url, config),
    )
    return env


def template_error(exc: jinja2.TemplateError, template: str) -> SiteError:
    """A template mistake, named with its file and line."""
    name = getattr(exc, "name", None) or template
    return SiteError([Problem(f"template {name}", getattr(exc, "lineno", None), f"{type(exc).__name__}: {exc.message}")])


def static_files(config: Config) -> dict[str, bytes]:
    """Theme static files; the user's theme overrides the default file by file."""
    files: dict[str, bytes] = {}
    for theme in reversed(theme_dirs(config)):
        folder = theme / "static"
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    files[urls.static(path.relative_to(folder).as_posix())] = path.read_bytes()
    return files


# -- what pages show ----------------------------------------------------------------------------


def shown_time(when: datetime, tz: ZoneInfo) -> datetime:
    """The time as pages show it: in the site's time zone, unless only the day is known."""
    return when.astimezone(tz) if (when.hour, when.minute, when.second) != (0, 0, 0) else when


def readable_date(when: datetime, tz: ZoneInfo) -> str:
    """'September 17, 2024' or, when the time is known, 'September 17, 2024, 6:10 PM EDT'."""
    local = shown_time(when, tz)
    text = f"{local:%B} {local.day}, {local.year}"
    if (when.hour, when.minute, when.second) != (0, 0, 0):
        hour = local.hour % 12 or 12
        text += f", {hour}:{local.minute:02d} {'AM' if local.hour < 12 else 'PM'} {local.tzname()}"
    return text


def jsonld(data: Any) -> str:
    """JSON for a <script> block: '<' escaped so scraped text cannot close the script."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=None)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def news_article_jsonld(item: RenderedArticle, page_url: str, config: Config) -> dict[str, Any]:
    """schema.org NewsArticle for search engines and link previews."""
    a = item.article
    names = config.topic_names
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a.title,
        "description": a.summary,
        "datePublished": a.sort_date.isoformat(),
        "dateModified": (a.updated or a.sort_date).isoformat(),
        "url": urls.absolute(config.base_url, page_url),
        "mainEntityOfPage": urls.absolute(config.base_url, page_url),
        "publisher": {"@type": "Organization", "name": credit(a) or config.title},
        "isAccessibleForFree": True,
    }
    if a.authors:
        data["author"] = [{"@type": "Person", "name": name} for name in a.authors]
    section = a.section or (names.get(a.tags[0]) if a.tags else None)
    if section:
        data["articleSection"] = section
    if a.tags:
        data["keywords"] = [names[t] for t in a.tags if t in names]
    if a.source_url:
        data["isBasedOn"] = a.source_url
    return data


@dataclass(frozen=True)
class Page:
    """One numbered page of a listing."""

    number: int
    count: int
    items: Sequence[RenderedArticle]
    url: str
    prev_url: str | None
    next_url: str | None


def paginate(items: Sequence[RenderedArticle], per_page: int, url_for: Callable[[int], str]) -> list[Page]:
    count = max(1, math.ceil(len(items) / per_page))
    return [
        Page(
            number=n,
            count=count,
            items=items[(n - 1) * per_page : n * per_page],
            url=url_for(n),
            prev_url=url_for(n - 1) if n > 1 else None,
            next_url=url_for(n + 1) if n < count else None,
        )
        for n in range(1, count + 1)
    ]


def page_key(page: Page) -> tuple:
    """What a listing page shows: its place among the pages and its stories."""
    return (page.number, page.count, tuple(item.key for item in page.items))


# -- making outputs -----------------------------------------------------------------------------


class Pages:
    """The site's lookups, the theme and the page keys: what every output kind makes its files with.

    Every output gets a key: a hash of everything it shows (its articles' content
    hashes, its neighbours, its page numbers) on top of the site key (code, config,
    theme). When `reuse(path, key)` says the previous build wrote that exact file
    and it is intact, the output is not made again. A kind keeps what it wants to
    remember between builds (search postings, say) under its name in `memo`.
    """

    def __init__(self, site: Site, env: jinja2.Environment, reuse: Reuse | None = None, memo: dict[str, Any] | None = None):
        self.site = site
        self.env = env
        self.config = site.config
        self.reuse = reuse or (lambda path, key: False)
        self.memo = memo if memo is not None else {}
        self.by_slug = {r.article.slug: r for r in site.articles}
        self.key_of = {r.article.slug: r.key for r in site.articles}
        self.topics = [t for t in self.config.topics if t.slug in site.topic_articles]
        topic_latest = {slug: self.by_slug[s[0]] for slug, s in site.topic_articles.items()}
        topic_counts = {slug: len(s) for slug, s in site.topic_articles.items()}
        self.topic_panel_key = tuple((t.slug, topic_counts[t.slug], topic_latest[t.slug].key) for t in self.topics)
        self.common = {
            "config": self.config,
            "site_topics": self.topics,
            "topic_names": self.config.topic_names,
            "topic_counts": topic_counts,
            "topic_latest": topic_latest,
        }
        self.issue_of = {slug: issue for issue in site.issues for slug in issue.slugs}  # the issue each story appeared in
        self.keys: dict[str, str] = {}
        self._topic_items: dict[str, list[RenderedArticle]] = {}

    def topic_items(self, slug: str) -> list[RenderedArticle]:
        """A topic's stories, newest first."""
        if slug not in self._topic_items:  # listings and feeds both walk each topic: look it up once
            self._topic_items[slug] = [self.by_slug[s] for s in self.site.topic_articles.get(slug, ())]
        return self._topic_items[slug]

    def page(self, template: str, url: str, key: tuple = (), **context: Any) -> Output:
        """One output from a template: (output path, bytes), or (output path, None) when the previous build's file still holds."""
        path = urls.output_path(url)
        if self.keep_if_unchanged(template, url, key):
            return path, None
        return path, self.render(template, url, context)

    def keep_if_unchanged(self, kind: str, url: str, key: tuple) -> bool:
        """Record the output's key; True when the previous build's file at its path still holds.

        `kind` names what makes the output (its template, or 'search'): the same key
        from another maker is another output."""
        path = urls.output_path(url)
        page_key = digest(kind, url, key)
        self.keys[path] = page_key
        return self.reuse(path, page_key)

    def render(self, template: str, url: str, context: dict[str, Any]) -> bytes:
        try:
            html = self.env.get_template(template).render(**self.common, page_url=url, **context)
        except jinja2.TemplateError as exc:
            raise template_error(exc, template) from None
        return html.encode("utf-8")
