"""One build, as a straight line of stages: config, load, render bodies, assemble, render, write."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from .body import render_body
from .config import load_config
from .load import load_articles
from .model import Config, RenderedArticle, Site
from .render import render_site, static_files
from .write import WriteReport, write_site


@dataclass(frozen=True)
class BuildReport:
    articles: int
    pages: int
    feeds: int
    seconds: float
    write: WriteReport
    review: tuple[tuple[str, tuple[str, ...]], ...]  # (file, open review items)
    derived_ids: tuple[str, ...]  # files with no id of their own


def assemble_site(config: Config, items: list[RenderedArticle]) -> Site:
    """Order the digest and index it by topic (only topics that have articles)."""
    ordered = tuple(sorted(items, key=lambda r: r.article.sort_key))
    topic_articles: dict[str, list[str]] = {}
    for item in ordered:
        for tag in item.article.tags:
            topic_articles.setdefault(tag, []).append(item.article.slug)
    return Site(config=config, articles=ordered, topic_articles={k: tuple(v) for k, v in topic_articles.items()})


def build(config_path: Path, out: Path, *, drafts: bool = False) -> BuildReport:
    started = time.perf_counter()
    config = load_config(config_path)
    articles = load_articles(config, drafts=drafts)
    site = assemble_site(config, [render_body(a, config) for a in articles])
    files = render_site(site)
    files.update(static_files(config))
    report = write_site(files, out)
    feeds = sum(1 for p in files if p.endswith(("feed.xml", "atom.xml", "feed.json")))
    pages = sum(1 for p in files if p.endswith(".html"))
    return BuildReport(
        articles=len(articles),
        pages=pages,
        feeds=feeds,
        seconds=time.perf_counter() - started,
        write=report,
        review=tuple((a.source_path, a.review) for a in articles if a.review),
        derived_ids=tuple(a.source_path for a in articles if a.id_derived),
    )
