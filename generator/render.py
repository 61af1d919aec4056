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
from .pages import Output, Pages, make_environment, page_key, paginate, shown_time, template_error
from .parallel import map_in_parallel

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


class ArticlePages:
    """Article pages: each with its newer and older neighbours and its related stories."""

    def __init__(self, pages: Pages):
        self.pages = pages
        self.site = pages.site
        self.by_slug = pages.by_slug
        self.limit = pages.config.related_items
        self.topic_position = {tag: {slug: i for i, slug in enumerate(slugs)} for tag, slugs in self.site.topic_articles.items()}

    def related_windows(self, item: RenderedArticle) -> list[list[str]]:
        """Per topic of the article, the stories around it in time: where related stories come from."""
        limit = self.limit
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
        return sorted((self.by_slug[s] for s in ranked[: self.limit]), key=lambda r: r.article.sort_key)

    def neighbours(self, index: int) -> tuple[RenderedArticle, RenderedArticle | None, RenderedArticle | None]:
        """The index-th article, and the newer and older ones beside it."""
        items = self.site.articles
        return items[index], items[index - 1] if index > 0 else None, items[index + 1] if index + 1 < len(items) else None

    def key(self, index: int) -> tuple[str, tuple]:
        """(url, key) of the index-th article's page. The key holds the stories its related
        list is chosen from, not the list itself: as exact, and cheaper to know for every page."""
        item, newer, older = self.neighbours(index)
        key_of = self.pages.key_of
        windows = tuple(tuple(key_of[s] for s in window) for window in self.related_windows(item))
        issue = self.pages.issue_of.get(item.article.slug)
        return urls.article(item.article.slug), (item.key, newer and newer.key, older and older.key, windows, issue and issue.link_key)

    def render(self, index: int) -> tuple[str, bytes]:
        item, newer, older = self.neighbours(index)
        url = urls.article(item.article.slug)
        context = {"item": item, "newer": newer, "older": older, "related": self.related(item), "issue": self.pages.issue_of.get(item.article.slug)}
        return urls.output_path(url), self.pages.render("article.html", url, context)

    def outputs(self) -> Iterable[Output]:
        """Article pages; the ones to render are spread over all cores when there are many."""
        todo: list[int] = []
        for index in range(len(self.site.articles)):
            url, key = self.key(index)
            if self.pages.keep_if_unchanged("article.html", url, key):
                yield urls.output_path(url), None
            else:
                todo.append(index)
        yield from map_in_parallel(self.render, todo, batch=64, min_items=400)


def article_pages(pages: Pages) -> Iterable[Output]:
    return ArticlePages(pages).outputs()


def listing_pages(pages: Pages) -> Iterable[Output]:
    """The home page and its older pages, each topic's pages, the topics index, the archive."""
    config, site = pages.config, pages.site
    in_progress = next((i for i in site.issues if i.in_progress), None)
    latest = next((i for i in site.issues if not i.in_progress), None)
    for page in paginate(site.articles, config.per_page, urls.home):
        panel = (pages.topic_panel_key, in_progress and in_progress.link_key, latest and latest.link_key) if page.number == 1 else ()
        yield pages.page("index.html", page.url, (page_key(page), panel), page=page, latest_issue=latest, issue_in_progress=in_progress)
    for topic in pages.topics:
        items = pages.topic_items(topic.slug)
        for page in paginate(items, config.per_page, lambda n, s=topic.slug: urls.topic(s, n)):
            yield pages.page("topic.html", page.url, (topic.slug, len(items), page_key(page)), topic=topic, page=page)
    yield pages.page("topics.html", urls.topics_index(), pages.topic_panel_key)
    months: dict[str, list[RenderedArticle]] = {}
    tz = ZoneInfo(config.timezone)
    for item in site.articles:  # by the month the story's page shows, not the month in its own offset
        months.setdefault(urls.archive_month(shown_time(item.article.sort_date, tz)), []).append(item)
    month_list = [(url, shown_time(items[0].article.sort_date, tz), len(items)) for url, items in months.items()]
    yield pages.page("archive.html", urls.archive_index(), tuple((u, d.isoformat(), n) for u, d, n in month_list), months=month_list)
    for url, items in months.items():
        yield pages.page("archive_month.html", url, tuple(i.key for i in items), month=shown_time(items[0].article.sort_date, tz), items=items)
    yield pages.page("404.html", "404.html")
    yield pages.page("search.html", urls.search())


def service_files(pages: Pages) -> Iterable[Output]:
    """The sitemap and robots.txt."""
    site = pages.site
    listed = [urls.home(), urls.topics_index(), urls.archive_index(), urls.issues_index()]
    listed += [urls.topic(t.slug) for t in pages.topics]
    listed += [urls.issue(i.period.key) for i in site.issues]
    listed += [urls.article(r.article.slug) for r in site.articles]
    lastmod = {urls.article(r.article.slug): (r.article.updated or r.article.sort_date) for r in site.articles}
    key = (tuple(listed), tuple(d.isoformat() for d in lastmod.values()))
    yield pages.page("sitemap.xml", "sitemap.xml", key, pages=listed, lastmod=lastmod)
    yield pages.page("robots.txt", "robots.txt")
