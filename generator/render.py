"""Site to files: every page, feed and listing as {output path: bytes}, no disk writes.

Templates come from a search path (the user's theme, then the default theme, plus a
`default/` prefix so an override can extend the template it replaces), autoescape
HTML and XML, and fail on any undefined name so a template mistake names itself.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import format_datetime
from pathlib import Path
from typing import Any, Iterable, Sequence
from zoneinfo import ZoneInfo

import jinja2

from . import urls
from .body import credit
from .errors import Problem, SiteError
from .model import Config, RenderedArticle, Site

DEFAULT_THEME = Path(__file__).resolve().parent.parent / "themes" / "default"


def theme_dirs(config: Config) -> list[Path]:
    """The theme search path: the user's theme first, then the default one."""
    dirs = []
    if config.theme and config.theme != "default":
        dirs.append(config.root / "themes" / config.theme)
    local_default = config.root / "themes" / "default"
    dirs.append(local_default if local_default.is_dir() else DEFAULT_THEME)
    return dirs


def make_environment(config: Config) -> jinja2.Environment:
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
        config_epoch=datetime(1970, 1, 1, tzinfo=timezone.utc),
        news_article_jsonld=lambda item, url: news_article_jsonld(item, url, config),
    )
    return env


def news_article_jsonld(item: RenderedArticle, page_url: str, config: Config) -> dict[str, Any]:
    """schema.org NewsArticle for search engines and link previews."""
    a = item.article
    names = {t.slug: t.name for t in config.topics}
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


def readable_date(when: datetime, tz: ZoneInfo) -> str:
    """'September 17, 2024' or, when the time is known, 'September 17, 2024, 6:10 PM EDT'."""
    local = when.astimezone(tz) if (when.hour, when.minute, when.second) != (0, 0, 0) else when
    text = f"{local:%B} {local.day}, {local.year}"
    if (when.hour, when.minute, when.second) != (0, 0, 0):
        hour = local.hour % 12 or 12
        text += f", {hour}:{local.minute:02d} {'AM' if local.hour < 12 else 'PM'} {local.tzname()}"
    return text


def jsonld(data: Any) -> str:
    """JSON for a <script> block: '<' escaped so scraped text cannot close the script."""
    from markupsafe import Markup

    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=None)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


@dataclass(frozen=True)
class Page:
    """One numbered page of a listing."""

    number: int
    count: int
    items: Sequence[RenderedArticle]
    url: str
    prev_url: str | None
    next_url: str | None


def paginate(items: Sequence[RenderedArticle], per_page: int, url_for) -> list[Page]:
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


class Renderer:
    """Holds the environment and the shared context; each method renders one kind of page."""

    def __init__(self, site: Site, env: jinja2.Environment):
        self.site = site
        self.env = env
        self.config = site.config
        self.by_slug = {r.article.slug: r for r in site.articles}
        self.topics = [t for t in self.config.topics if t.slug in site.topic_articles]
        self.common = {
            "config": self.config,
            "site_topics": self.topics,
            "topic_names": {t.slug: t.name for t in self.config.topics},
            "topic_counts": {slug: len(s) for slug, s in site.topic_articles.items()},
            "topic_latest": {slug: self.by_slug[s[0]] for slug, s in site.topic_articles.items()},
        }

    def page(self, template: str, url: str, **context: Any) -> tuple[str, bytes]:
        try:
            html = self.env.get_template(template).render(**self.common, page_url=url, **context)
        except jinja2.TemplateError as exc:
            name = getattr(exc, "name", None) or template
            line = getattr(exc, "lineno", None)
            raise SiteError([Problem(f"template {name}", line, f"{type(exc).__name__}: {exc.message}")]) from None
        return urls.output_path(url), html.encode("utf-8")

    def topic_items(self, slug: str) -> list[RenderedArticle]:
        return [self.by_slug[s] for s in self.site.topic_articles.get(slug, ())]

    def related(self, item: RenderedArticle) -> list[RenderedArticle]:
        """Articles sharing the most topics, newest first among equals."""
        limit = self.config.related_items
        if not limit or not item.article.tags:
            return []
        scores: dict[str, int] = {}
        for tag in item.article.tags:
            for slug in self.site.topic_articles.get(tag, ())[: limit * 20]:
                if slug != item.article.slug:
                    scores[slug] = scores.get(slug, 0) + 1
        ranked = sorted(scores, key=lambda s: (-scores[s], self.by_slug[s].article.sort_key))
        return [self.by_slug[s] for s in ranked[:limit]]

    def article_pages(self) -> Iterable[tuple[str, bytes]]:
        items = self.site.articles
        for index, item in enumerate(items):
            yield self.page(
                "article.html",
                urls.article(item.article.slug),
                item=item,
                newer=items[index - 1] if index > 0 else None,
                older=items[index + 1] if index + 1 < len(items) else None,
                related=self.related(item),
            )

    def listing_pages(self) -> Iterable[tuple[str, bytes]]:
        config = self.config
        for page in paginate(self.site.articles, config.per_page, urls.home):
            yield self.page("index.html", page.url, page=page)
        for topic in self.topics:
            items = self.topic_items(topic.slug)
            for page in paginate(items, config.per_page, lambda n, s=topic.slug: urls.topic(s, n)):
                yield self.page("topic.html", page.url, topic=topic, page=page)
        yield self.page("topics.html", urls.topics_index())
        months: dict[str, list[RenderedArticle]] = {}
        for item in self.site.articles:
            months.setdefault(urls.archive_month(item.article.sort_date), []).append(item)
        yield self.page("archive.html", urls.archive_index(), months=[(url, items[0].article.sort_date, len(items)) for url, items in months.items()])
        for url, items in months.items():
            yield self.page("archive_month.html", url, month=items[0].article.sort_date, items=items)
        yield self.page("404.html", "404.html")

    def service_files(self) -> Iterable[tuple[str, bytes]]:
        pages = [urls.home(), urls.topics_index(), urls.archive_index()]
        pages += [urls.topic(t.slug) for t in self.topics]
        pages += [urls.article(r.article.slug) for r in self.site.articles]
        lastmod = {urls.article(r.article.slug): (r.article.updated or r.article.sort_date) for r in self.site.articles}
        yield self.page("sitemap.xml", "sitemap.xml", pages=pages, lastmod=lastmod)
        yield self.page("robots.txt", "robots.txt")


def render_site(site: Site, env: jinja2.Environment | None = None) -> dict[str, bytes]:
    """Every output file of the site except static theme files and feeds' extras."""
    from .feeds import render_feeds

    renderer = Renderer(site, env or make_environment(site.config))
    files: dict[str, bytes] = {}
    for path, data in (*renderer.article_pages(), *renderer.listing_pages(), *renderer.service_files(), *render_feeds(renderer)):
        if path in files:
            raise AssertionError(f"two outputs at {path}: a bug in urls.py, please report it")
        files[path] = data
    return files


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
