"""RSS 2.0, Atom 1.0 and JSON Feed 1.1 for the digest and for each topic, plus OPML.

Feeds are templates like any page (autoescaped XML), carry the same HTML the
article page publishes with every URL made absolute, and take their dates from
the items, never from the clock, so two builds give identical bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape

from . import urls
from .body import credit
from .feed_parts import Feed, absolutize, feed_context, issues_feed, json_feed_document
from .model import RenderedArticle, Topic
from .pages import Output, Pages, topic_shown


@dataclass(frozen=True)
class FeedItem:
    item: RenderedArticle
    url: str  # absolute
    content: str  # absolute-URL HTML, with the original credited
    published: datetime
    updated: datetime
    credit: str | None


def feed_item(pages: Pages, item: RenderedArticle) -> FeedItem:
    article = item.article
    page_url = urls.absolute(pages.config.base_url, urls.article(article.slug))
    outlet = credit(article)
    content = item.html
    if outlet:
        name = escape(outlet)
        origin = f'<a href="{escape(article.source_url, quote=True)}">{name}</a>' if article.source_url else name
        content = f"<p>Originally published by {origin}.</p>\n" + content
    return FeedItem(
        item=item,
        url=page_url,
        content=absolutize(content, page_url),
        published=article.sort_date,
        updated=max(article.updated or article.sort_date, article.sort_date),
        credit=outlet,
    )


def build_feed(pages: Pages, items: Sequence[FeedItem], topic: Topic | None) -> Feed:
    config = pages.config
    chosen = list(items[: config.feed_items])
    return Feed(
        title=f"{config.title}: {topic.name}" if topic else config.title,
        description=(topic.description or f"{topic.name} in {config.title}") if topic else (config.description or config.title),
        home_url=urls.absolute(config.base_url, urls.topic(topic.slug) if topic else urls.home()),
        rss_url=urls.absolute(config.base_url, urls.feed("rss", topic.slug if topic else None)),
        atom_url=urls.absolute(config.base_url, urls.feed("atom", topic.slug if topic else None)),
        json_url=urls.absolute(config.base_url, urls.feed("json", topic.slug if topic else None)),
        items=chosen,
        updated=max((i.updated for i in chosen), default=None),
        topic=topic,
    )


def json_feed(feed: Feed, pages: Pages) -> bytes:
    names = pages.config.topic_names
    items = []
    for entry in feed.items:
        article = entry.item.article
        item = {
            "id": article.id,
            "url": entry.url,
            "title": article.title,
            "content_html": entry.content,
            "date_published": entry.published.isoformat(),
            "date_modified": entry.updated.isoformat(),
            "tags": [names[t] for t in article.tags if t in names],
        }
        if article.summary:
            item["summary"] = article.summary
        if article.source_url:
            item["external_url"] = article.source_url
        if article.authors:
            item["authors"] = [{"name": a} for a in article.authors]
        items.append(item)
    return json_feed_document(feed, pages.config, items)


FORMATS = (("rss", "rss.xml"), ("atom", "atom.xml"), ("json", "feed.json"))


def feed_files(pages: Pages) -> Iterable[Output]:
    """The digest's feeds and each topic's, in three formats, and the OPML list of them.

    A feed's key is its stories' keys, known without making its entries: the entries
    (every item's HTML with its URLs made absolute) are made only for a feed that
    changed, and kept for the next pass (the preview's) by the story's key."""
    limit = pages.config.feed_items
    kept: dict[tuple[str, str], FeedItem] = pages.recall("feed_items", in_place=False) or {}
    made: dict[tuple[str, str], FeedItem] = {}

    def entry(item: RenderedArticle) -> FeedItem:
        at = (item.key, item.article.source_path)
        found = made.get(at) or kept.get(at)
        if found is None:
            found = feed_item(pages, item)
        made[at] = found
        return found

    def feed(topic: Topic | None, articles: Sequence[RenderedArticle]) -> Feed:
        return build_feed(pages, [entry(item) for item in articles], topic)

    sources: list[tuple[Topic | None, Sequence[RenderedArticle]]] = [(None, pages.site.articles[:limit])]
    sources += [(t, pages.topic_items(t.slug)[:limit]) for t in pages.topics]
    for topic, articles in sources:
        slug = topic.slug if topic else None
        key = (slug, tuple(item.key for item in articles))
        made_feed: Feed | None = None
        for kind, template in FORMATS:
            url = urls.feed(kind, slug)
            if not pages.wants(url):
                continue
            if pages.keep_if_unchanged(template, url, key, [*articles, *([topic_shown(slug)] if slug else [])]):
                yield url, None
                continue
            made_feed = made_feed or feed(topic, articles)
            if kind == "json":
                yield url, json_feed(made_feed, pages)
            else:
                yield url, pages.render(template, url, feed_context(made_feed))
    opml = urls.opml()
    if pages.wants(opml):
        issues = issues_feed(pages.config)  # listed second, after the digest's own feed
        rss_urls = [urls.absolute(pages.config.base_url, urls.feed("rss", t.slug if t else None)) for t, _ in sources]
        if pages.keep_if_unchanged("feeds.opml", opml, (rss_urls[0], issues.rss_url, *rss_urls[1:]), pages.every_topic):
            yield opml, None
        else:
            feeds = [feed(t, articles) for t, articles in sources]
            yield opml, pages.render("feeds.opml", opml, {"feeds": [feeds[0], issues, *feeds[1:]]})
    current = {(item.key, item.article.source_path) for _topic, articles in sources for item in articles}
    pages.remember("feed_items", {at: made.get(at) or kept[at] for at in current if at in made or at in kept})
