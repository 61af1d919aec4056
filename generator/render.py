"""The site's HTML pages: articles, listings (home, topics, archive) and the service files.

Each function is one kind of output (see outputs.py): it yields (output path, bytes),
or (output path, None) for a page the previous build already wrote identically.
Nothing here writes to disk.
"""

from __future__ import annotations

from collections.abc import Iterable
from zoneinfo import ZoneInfo

import jinja2

from . import urls
from .model import Config, RenderedArticle
from .pages import Output, OwnTopicCount, Pages, make_environment, page_key, paginate, render_template, shown_time, topic_shown
from .parallel import map_in_parallel

_card_environment: tuple[Config, jinja2.Environment] | None = None


def render_card(item: RenderedArticle, config: Config) -> str:
    """An article's entry in listings, rendered once (on a worker, then cached) and reused by every listing."""
    global _card_environment
    if _card_environment is None or _card_environment[0] is not config:  # one lookup per build, not per card
        _card_environment = (config, make_environment(config))
    return render_template(_card_environment[1], "card.html", {"item": item, "config": config, "topic_names": config.topic_names})


class ArticlePages:
    """Article pages: each with its newer and older neighbours and its related stories."""

    def __init__(self, pages: Pages):
        self.pages = pages
        self.site = pages.site
        self.by_slug = pages.by_slug
        self.limit = pages.config.related_items
        self.topic_position: dict[str, dict[str, int]] = {}  # per topic, made when first asked

    def related_windows(self, item: RenderedArticle) -> list[list[str]]:
        """Per topic of the article, the stories around it in time: where related stories come from."""
        limit = self.limit
        windows = []
        for tag in item.article.tags if limit else ():
            slugs = self.site.topic_articles.get(tag, ())
            if tag not in self.topic_position:
                self.topic_position[tag] = {slug: i for i, slug in enumerate(slugs)}
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
        return sorted((self.by_slug[s] for s in ranked[: self.limit]), key=lambda r: r.article.sort_key)

    def neighbours(self, index: int) -> tuple[RenderedArticle, RenderedArticle | None, RenderedArticle | None]:
        """The index-th article, and the newer and older ones beside it."""
        items = self.site.articles
        return items[index], items[index - 1] if index > 0 else None, items[index + 1] if index + 1 < len(items) else None

    def key(self, index: int) -> tuple[str, tuple, list[RenderedArticle]]:
        """(url, key, stories shown) of the index-th article's page. The key holds the stories its
        related list is chosen from, not the list itself: as exact, and cheaper to know for every page."""
        item, newer, older = self.neighbours(index)
        by_slug = self.by_slug
        windows = [[by_slug[s] for s in window] for window in self.related_windows(item)]
        shows = [item, *(n for n in (newer, older) if n is not None), *(r for window in windows for r in window),
                 *(topic_shown(tag) for tag in item.article.tags)]  # related stories come from its topics' lists
        issue = self.pages.issue_of.get(item.article.slug)
        key = (item.key, newer and newer.key, older and older.key, tuple(tuple(r.key for r in window) for window in windows),
               issue and issue.link_key)
        return urls.article(item.article.slug), key, shows

    def render(self, index: int) -> tuple[str, bytes]:
        item, newer, older = self.neighbours(index)
        url = urls.article(item.article.slug)
        context = {"item": item, "newer": newer, "older": older, "related": self.related(item), "issue": self.pages.issue_of.get(item.article.slug)}
        return urls.output_path(url), self.pages.render("article.html", url, context)

    def outputs(self) -> Iterable[Output]:
        """Article pages; the ones to render are spread over all cores when there are many.
        A page's slot is its article's file, so the page stays itself when a new title moves it."""
        todo: list[int] = []
        pages = self.pages
        articles = self.site.articles
        if pages.wanted is None:
            places: Iterable[int] = range(len(articles))
        else:  # a pass in place: only the wanted pages, found by their article files
            position = self.site.position
            places = sorted(position[slot] for slot in pages.wanted if isinstance(slot, str) and slot in position)
        for index in places:
            slot = articles[index].article.source_path
            url, key, shows = self.key(index)
            if pages.keep_if_unchanged("article.html", url, key, shows, slot):
                yield urls.output_path(url), None
            else:
                todo.append(index)
        yield from map_in_parallel(self.render, todo, batch=64, min_items=400)


def article_pages(pages: Pages) -> Iterable[Output]:
    return ArticlePages(pages).outputs()


def listing_pages(pages: Pages) -> Iterable[Output]:
    """The home page and its older pages, each topic's pages, the topics index, the archive."""
    config, site = pages.config, pages.site
    topic_latest = list(pages.topic_latest.values())
    in_progress = next((i for i in site.issues if i.in_progress), None)
    latest = next((i for i in site.issues if not i.in_progress), None)
    only = None if pages.wanted is None else pages.wants_url
    for page in paginate(site.articles, config.per_page, urls.home, only):
        panel = (pages.topic_panel_key, in_progress and in_progress.link_key, latest and latest.link_key) if page.number == 1 else ()
        shows = [*page.items, *topic_latest, *pages.every_topic] if page.number == 1 else page.items
        yield pages.page("index.html", page.url, (page_key(page), panel), shows, page=page, latest_issue=latest, issue_in_progress=in_progress,
                         **(pages.panel if page.number == 1 else {}))
    for topic in pages.topics:
        items = pages.topic_items(topic.slug)
        count = OwnTopicCount({topic.slug: len(items)})
        for page in paginate(items, config.per_page, lambda n, s=topic.slug: urls.topic(s, n), only):
            yield pages.page("topic.html", page.url, (topic.slug, len(items), page_key(page)), [*page.items, topic_shown(topic.slug)],
                             topic=topic, page=page, topic_counts=count)
    if pages.wants_url(urls.topics_index()):
        yield pages.page("topics.html", urls.topics_index(), pages.topic_panel_key, [*topic_latest, *pages.every_topic], **pages.panel)
    yield from archive_pages(pages)
    for url, template in (("404.html", "404.html"), (urls.search(), "search.html")):
        if pages.wants_url(url):
            yield pages.page(template, url, (), ())


def archive_pages(pages: Pages) -> Iterable[Output]:
    """The archive index and a page per month: the month each story's page shows, not the month in its own offset.

    A pass that keeps every story's place and dates (an edit in place, see outputs.py)
    keeps the last pass's months, which are positions in the site's order."""
    site = pages.site
    tz = ZoneInfo(pages.config.timezone)
    months: dict[str, list[int]] | None = pages.recall("archive")
    if months is None:
        months = {}
        for at, item in enumerate(site.articles):
            months.setdefault(urls.archive_month(shown_time(item.article.sort_date, tz)), []).append(at)
        pages.remember("archive", months)
    if pages.wants_url(urls.archive_index()):
        month_list = [(url, shown_time(site.articles[at[0]].article.sort_date, tz), len(at)) for url, at in months.items()]
        key = tuple((u, d.isoformat(), n) for u, d, n in month_list)
        yield pages.page("archive.html", urls.archive_index(), key, (), months=month_list)
    for url, at in months.items():
        if pages.wants_url(url):
            items = [site.articles[i] for i in at]
            month = shown_time(items[0].article.sort_date, tz)
            yield pages.page("archive_month.html", url, tuple(i.key for i in items), items, month=month, items=items)


def service_files(pages: Pages) -> Iterable[Output]:
    """The sitemap and robots.txt.

    The sitemap shows every story's URL and date. A pass that keeps every story's place
    (the preview's edit in place) looks at the edited stories' lines alone, and asks
    for no new sitemap when none of them changed."""
    site = pages.site
    if pages.wants("robots.txt"):
        yield pages.page("robots.txt", "robots.txt", (), ())
    if not pages.wants("sitemap.xml"):
        return
    fixed = [urls.home(), urls.topics_index(), urls.archive_index(), urls.issues_index(), *(urls.topic(t.slug) for t in pages.topics),
             *(urls.issue(i.period.key) for i in site.issues)]
    lines = pages.recall("sitemap")
    if lines is None:
        lines = [(urls.article(r.article.slug), (r.article.updated or r.article.sort_date).isoformat()) for r in site.articles]
    else:
        assert pages.edited is not None
        moved = False
        for rel in pages.edited:
            at = site.position.get(rel)
            if at is not None:
                a = site.articles[at].article
                line = (urls.article(a.slug), (a.updated or a.sort_date).isoformat())
                if line != lines[at]:
                    lines, moved = lines if moved else list(lines), True
                    lines[at] = line
        if not moved:
            yield pages.stands("sitemap.xml")
            lines = None
    if lines is not None:
        pages.remember("sitemap", lines)
        listed = fixed + [url for url, _when in lines]
        lastmod = {urls.article(r.article.slug): (r.article.updated or r.article.sort_date) for r in site.articles}
        key = (tuple(listed), tuple(when for _url, when in lines))
        yield pages.page("sitemap.xml", "sitemap.xml", key, None, pages=listed, lastmod=lastmod)
