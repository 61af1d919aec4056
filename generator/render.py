"""Site to files: every page, feed and listing as {output path: bytes}, no disk writes.

Templates come from a search path (the user's theme, then the default theme, plus a
`default/` prefix so an override can extend the template it replaces), autoescape
HTML and XML, and fail on any undefined name so a template mistake names itself.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2

from . import urls
from .body import credit
from .cache import digest
from .errors import Problem, SiteError
from .model import Config, RenderedArticle, Site
from .parallel import map_in_parallel

DEFAULT_THEME = Path(__file__).resolve().parent.parent / "themes" / "default"


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


_card_template: tuple[Config, jinja2.Template] | None = None


def render_card(item: RenderedArticle, config: Config) -> str:
    """An article's entry in listings, rendered once (on a worker, then cached) and reused by every listing."""
    global _card_template
    try:
        if _card_template is None or _card_template[0] is not config:  # one lookup per build, not per card
            _card_template = (config, make_environment(config).get_template("card.html"))
        return _card_template[1].render(item=item, config=config, topic_names=config.topic_names)
    except jinja2.TemplateError as exc:
        raise template_error(exc, "card.html") from None


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
    """Holds the environment and the shared context; each method renders one kind of page.

    Every page gets a key: a hash of everything it shows (its articles' content
    hashes, its neighbours, its page numbers) on top of the site key (code, config,
    theme). When `reuse(path, key)` says the previous build wrote that exact page
    and the file is intact, the page is not rendered again.
    """

    def __init__(self, site: Site, env: jinja2.Environment, reuse: Callable[[str, str], bool] | None = None):
        self.site = site
        self.env = env
        self.config = site.config
        self.reuse = reuse or (lambda path, key: False)
        self.by_slug = {r.article.slug: r for r in site.articles}
        self.key_of = {r.article.slug: r.key for r in site.articles}
        self.topics = [t for t in self.config.topics if t.slug in site.topic_articles]
        self.topic_position = {tag: {slug: i for i, slug in enumerate(slugs)} for tag, slugs in site.topic_articles.items()}
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
        self.keys: dict[str, str] = {}
        self._topic_items: dict[str, list[RenderedArticle]] = {}

    def page(self, template: str, url: str, key: tuple = (), **context: Any) -> tuple[str, bytes | None]:
        """(output path, bytes), or (output path, None) when the previous build's file still holds."""
        path = urls.output_path(url)
        if self.keep_if_unchanged(template, url, key):
            return path, None
        return path, self.render(template, url, context)

    def keep_if_unchanged(self, template: str, url: str, key: tuple) -> bool:
        path = urls.output_path(url)
        page_key = digest(template, url, key)
        self.keys[path] = page_key
        return self.reuse(path, page_key)

    def render(self, template: str, url: str, context: dict[str, Any]) -> bytes:
        try:
            html = self.env.get_template(template).render(**self.common, page_url=url, **context)
        except jinja2.TemplateError as exc:
            raise template_error(exc, template) from None
        return html.encode("utf-8")

    def topic_items(self, slug: str) -> list[RenderedArticle]:
        if slug not in self._topic_items:  # listings and feeds both walk each topic: look it up once
            self._topic_items[slug] = [self.by_slug[s] for s in self.site.topic_articles.get(slug, ())]
        return self._topic_items[slug]

    def related_windows(self, item: RenderedArticle) -> list[list[str]]:
        """Per topic of the article, the stories around it in time: where related stories come from."""
        limit = self.config.related_items
        windows = []
        for tag in item.article.tags if limit else ():
            slugs = self.site.topic_articles.get(tag, ())
            at = self.topic_position[tag][item.article.slug]
            windows.append([s for s in slugs[max(0, at - limit) : at + limit + 1] if s != item.article.slug])
        return windows

    def related(self, item: RenderedArticle) -> list[RenderedArticle]:
        """Stories sharing the most topics with this one, from near it in time, newest first.

        Candidates come from a window around the article in each of its topics, so
        adding a story changes only its neighbours' pages, not every page of the topic.
        """
        shared: dict[str, int] = {}
        for window in self.related_windows(item):
            for slug in window:
                shared[slug] = shared.get(slug, 0) + 1
        here = item.article.sort_key[0]
        ranked = sorted(shared, key=lambda s: (-shared[s], abs(self.by_slug[s].article.sort_key[0] - here), s))
        return sorted((self.by_slug[s] for s in ranked[: self.config.related_items]), key=lambda r: r.article.sort_key)

    def neighbours(self, index: int) -> tuple[RenderedArticle, RenderedArticle | None, RenderedArticle | None]:
        """The index-th article, and the newer and older ones beside it."""
        items = self.site.articles
        return items[index], items[index - 1] if index > 0 else None, items[index + 1] if index + 1 < len(items) else None

    def article_key(self, index: int) -> tuple[str, tuple]:
        """(url, key) of the index-th article's page. The key holds the stories its related
        list is chosen from, not the list itself: as exact, and cheaper to know for every page."""
        item, newer, older = self.neighbours(index)
        key_of = self.key_of
        windows = tuple(tuple(key_of[s] for s in window) for window in self.related_windows(item))
        return urls.article(item.article.slug), (item.key, newer and newer.key, older and older.key, windows)

    def render_article(self, index: int) -> tuple[str, bytes]:
        item, newer, older = self.neighbours(index)
        url = urls.article(item.article.slug)
        context = {"item": item, "newer": newer, "older": older, "related": self.related(item)}
        return urls.output_path(url), self.render("article.html", url, context)

    def article_pages(self) -> Iterable[tuple[str, bytes | None]]:
        """Article pages; the ones to render are spread over all cores when there are many."""
        todo: list[int] = []
        for index in range(len(self.site.articles)):
            url, key = self.article_key(index)
            if self.keep_if_unchanged("article.html", url, key):
                yield urls.output_path(url), None
            else:
                todo.append(index)
        yield from map_in_parallel(self.render_article, todo, batch=64, min_items=400)

    def listing_pages(self) -> Iterable[tuple[str, bytes | None]]:
        config = self.config
        for page in paginate(self.site.articles, config.per_page, urls.home):
            panel = self.topic_panel_key if page.number == 1 else ()
            yield self.page("index.html", page.url, (page_key(page), panel), page=page)
        for topic in self.topics:
            items = self.topic_items(topic.slug)
            for page in paginate(items, config.per_page, lambda n, s=topic.slug: urls.topic(s, n)):
                yield self.page("topic.html", page.url, (topic.slug, len(items), page_key(page)), topic=topic, page=page)
        yield self.page("topics.html", urls.topics_index(), self.topic_panel_key)
        months: dict[str, list[RenderedArticle]] = {}
        tz = ZoneInfo(config.timezone)
        for item in self.site.articles:  # by the month the story's page shows, not the month in its own offset
            months.setdefault(urls.archive_month(shown_time(item.article.sort_date, tz)), []).append(item)
        month_list = [(url, shown_time(items[0].article.sort_date, tz), len(items)) for url, items in months.items()]
        yield self.page("archive.html", urls.archive_index(), tuple((u, d.isoformat(), n) for u, d, n in month_list), months=month_list)
        for url, items in months.items():
            yield self.page("archive_month.html", url, tuple(i.key for i in items), month=shown_time(items[0].article.sort_date, tz), items=items)
        yield self.page("404.html", "404.html")
        yield self.page("search.html", urls.search())

    def search_files(self, memo: dict | None = None) -> Iterable[tuple[str, bytes | None]]:
        """The search index. A document whose article is unchanged is not made again; an index
        file whose bytes are unchanged is left alone; memo carries postings between builds."""
        from .search import build_search_index

        kept: list[str] = []

        def unchanged(path: str, key: tuple) -> bool:
            if self.keep_if_unchanged("search", path, key):
                kept.append(path)
                return True
            return False

        files = build_search_index(self.site, unchanged, memo)
        yield from ((path, None) for path in kept)
        for path, data in files.items():
            if path in self.keys:  # a document: keyed by its article when it was asked about
                yield path, data
            else:
                yield path, None if self.keep_if_unchanged("search", path, (hashlib.blake2b(data, digest_size=16).hexdigest(),)) else data

    def service_files(self) -> Iterable[tuple[str, bytes | None]]:
        pages = [urls.home(), urls.topics_index(), urls.archive_index()]
        pages += [urls.topic(t.slug) for t in self.topics]
        pages += [urls.article(r.article.slug) for r in self.site.articles]
        lastmod = {urls.article(r.article.slug): (r.article.updated or r.article.sort_date) for r in self.site.articles}
        key = (tuple(pages), tuple(d.isoformat() for d in lastmod.values()))
        yield self.page("sitemap.xml", "sitemap.xml", key, pages=pages, lastmod=lastmod)
        yield self.page("robots.txt", "robots.txt")


def page_key(page: Page) -> tuple:
    return (page.number, page.count, tuple(item.key for item in page.items))


@dataclass
class RenderResult:
    """The site's outputs as they are rendered, one at a time, so memory holds one page, not the site.

    `outputs` yields (path, bytes), or (path, None) for a page the previous build
    already wrote identically; once it is consumed, `keys` holds every page's key.
    """

    outputs: Iterator[tuple[str, bytes | None]]
    keys: dict[str, str]


def render_site(site: Site, env: jinja2.Environment | None = None, reuse: Callable[[str, str], bool] | None = None,
                search_memo: dict | None = None) -> RenderResult:
    """Every page and feed of the site; pages the previous build already wrote identically are kept."""
    from .feeds import render_feeds

    renderer = Renderer(site, env or make_environment(site.config), reuse)

    def outputs() -> Iterator[tuple[str, bytes | None]]:
        seen: set[str] = set()
        for path, data in itertools.chain(renderer.article_pages(), renderer.listing_pages(), renderer.service_files(),
                                          render_feeds(renderer), renderer.search_files(search_memo)):
            if path in seen:
                raise AssertionError(f"two outputs at {path}: a bug in urls.py, please report it")
            seen.add(path)
            yield path, data

    return RenderResult(outputs=outputs(), keys=renderer.keys)


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
