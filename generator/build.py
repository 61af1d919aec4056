"""One build, as a straight line of stages: config, load, render bodies, assemble, render, write.

Per-article work (read, parse, Markdown, sanitise) runs on all cores and is cached
by content; pages are rendered only when their inputs changed (see cache.py).
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import itertools
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2

from . import __version__
from .body import render_body
from .cache import CACHE_DIR, BuildCache, FileStamp, stamp
from .config import Override, read_config
from .errors import Problem, SiteError
from .issues import assemble_issues, list_note_files, read_notes
from .load import find_collisions, holds_content, list_article_files, load_article
from .model import Config, IssueNote, RenderedArticle, Site
from .outputs import render_site
from .pages import OutputIndex, make_environment, static_files, theme_dirs
from .parallel import map_in_parallel
from .periods import current_time
from .render import render_card
from .search import article_entry
from .write import WriteReport, check_output_folder, write_site

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass(frozen=True)
class BuildReport:
    articles: int
    pages: int
    feeds: int
    seconds: float
    write: WriteReport
    review: tuple[tuple[str, tuple[str, ...]], ...]  # (file, open review items)
    derived_ids: tuple[str, ...]  # files with no id of their own


def assemble_site(config: Config, items: list[RenderedArticle], notes: list[IssueNote] | None = None, now: datetime | None = None,
                  *, drafts: bool = False) -> Site:
    """Order the digest (drafts only with `drafts`), index it by topic (only topics that have articles)
    and, given the time, cut it into issues."""
    ordered = tuple(sorted((i for i in items if drafts or not i.article.draft), key=lambda r: r.article.sort_key))
    topic_articles: dict[str, list[str]] = {}
    for item in ordered:
        for tag in item.article.tags:
            topic_articles.setdefault(tag, []).append(item.article.slug)
    issues: tuple = ()
    if now is not None:
        issues, problems = assemble_issues([i.article for i in ordered], notes or [], config, now)
        if problems:
            raise SiteError(problems)
    return Site(config=config, articles=ordered, topic_articles={k: tuple(v) for k, v in topic_articles.items()}, issues=issues)


def site_key(config: Config) -> str:
    """Everything every page depends on: this code, the settings and the theme files."""
    code = sorted(Path(__file__).parent.glob("*.py"))
    theme = sorted(p for d in theme_dirs(config) if d.is_dir() for p in d.rglob("*") if p.is_file())
    h = hashlib.blake2b(digest_size=16)
    h.update(__version__.encode())
    h.update(repr(dataclasses.replace(config, root=Path("."))).encode())
    for path in code + theme:
        h.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def open_cache(config: Config, use_cache: bool) -> BuildCache:
    """The last build's cache, if it was made by this code with these settings and theme (else an
    empty one); without `use_cache`, an empty one. Its articles are read by load_articles."""
    key = site_key(config)
    return BuildCache.load(config.root / CACHE_DIR, key) if use_cache else BuildCache(site_key=key)


def theme_environment(config: Config, use_cache: bool) -> jinja2.Environment:
    """The theme's templates; with the cache, kept compiled in its folder between builds."""
    compiled = None
    if use_cache:
        compiled = config.root / CACHE_DIR / "templates"
        compiled.mkdir(parents=True, exist_ok=True)
    return make_environment(config, compiled)


def prepare_article(job: tuple[str, Path, Config]) -> RenderedArticle | list[Problem]:
    """Read, check and render one article, with its card and search entry (runs in a worker process)."""
    rel, path, config = job
    article = load_article(rel, path, config)
    if isinstance(article, list):
        return article
    rendered = render_body(article, config)
    # The Markdown source is not needed past this point: drop it to keep the cache small.
    return dataclasses.replace(rendered, article=dataclasses.replace(article, body_md=""), card=render_card(rendered, config),
                               search=article_entry(rendered, config))


def prepare_articles(config: Config, cache: BuildCache, progress: Progress, files: list[tuple[str, Path]],
                     stamps: dict[str, FileStamp | None]) -> list[RenderedArticle]:
    """Every article, from the cache when its file is unchanged; all problems raised together."""
    ready: dict[str, RenderedArticle] = {}
    todo: list[tuple[str, Path, Config]] = []
    restamped: set[str] = set()  # same text, new mtime: kept, and saved with the new stamp
    for rel, path in files:
        cached = cache.articles.get(rel)
        if cached and cached[0] == stamps[rel]:
            ready[rel] = cached[2]
        elif cached and holds_content(path, cached[1], rel if cached[2].article.id_derived else None):
            ready[rel] = cached[2]
            restamped.add(rel)
        else:
            todo.append((rel, path, config))
    problems: list[Problem] = []
    for done, (job, result) in enumerate(zip(todo, map_in_parallel(prepare_article, todo)), start=1):
        if done % 200 == 0 or done == len(todo):
            progress("articles", done, len(todo))
        rel = job[0]
        if isinstance(result, list):
            problems.extend(result)
        else:
            ready[rel] = result
    # The cache keeps articles without their search entries: those are half its size, and
    # a rebuild needs them only for the few blocks of the index an edit touches (made again then).
    articles = {rel: (stamps[rel], item.key, item if item.search is None else dataclasses.replace(item, search=None))
                for rel, item in ready.items() if stamps[rel]}
    cache.mark_changed({job[0] for job in todo} | restamped | (articles.keys() ^ cache.articles.keys()))
    cache.articles = articles
    items = [ready[rel] for rel, _path in files if rel in ready]
    problems.extend(find_collisions([i.article for i in items]))
    if problems:
        raise SiteError(problems)
    return items


def read_site(config: Config, cache: BuildCache, files: list[tuple[str, Path]], stamps: dict[str, FileStamp | None], *, drafts: bool,
              now: datetime, progress: Progress | None = None, problems: Sequence[Problem] = ()) -> tuple[Site, list[RenderedArticle], list[IssueNote]]:
    """The issue notes and the articles read and checked (from the cache where their files are
    unchanged), and the site they make: (site, every article, drafts too; notes).

    Every problem is raised at once, the ones given in `problems` (config.yaml's, say) too:
    the articles are checked even then, so that one run reports every mistake."""
    notes, note_problems = read_notes(config)
    problems = [*problems, *note_problems]
    try:
        items = prepare_articles(config, cache, progress or (lambda stage, done, total: None), files, stamps)
    except SiteError as exc:
        raise SiteError([*problems, *exc.problems]) from None
    if problems:
        raise SiteError(problems)
    return assemble_site(config, items, notes, now, drafts=drafts), items, notes


def build(config_path: Path, out: Path, *, drafts: bool = False, use_cache: bool = True, progress: Progress | None = None,
          overrides: Sequence[Override] = ()) -> BuildReport:
    """Build the site at config_path into out; a SiteError lists every problem found."""
    try:
        return _build(config_path, out, drafts=drafts, use_cache=use_cache, progress=progress, overrides=overrides)[0]
    finally:
        gc.unfreeze()  # the cached articles (frozen while the build ran) can be collected again


@dataclass
class SiteState:
    """What a build knows once it is done, kept in memory by the preview (resident.py) to
    redo only what an edit touches: the settings, the theme, every article as prepared,
    the issue notes, the site, every output's key and what it shows, and what the output
    kinds remember."""

    config: Config
    env: jinja2.Environment
    items: dict[str, RenderedArticle]  # article file -> prepared article (drafts too)
    stamps: dict[str, FileStamp | None]  # article file -> stamp when it was read
    notes: list[IssueNote]
    site: Site
    index: OutputIndex
    memo: dict[str, Any]
    static: frozenset[str]  # output paths of the theme's static files


def build_state(config_path: Path, out: Path, *, drafts: bool = False) -> tuple[BuildReport, SiteState]:
    """A build (with the cache) that also returns its state, for the preview to keep."""
    report, state = _build(config_path, out, drafts=drafts, use_cache=True, progress=None, overrides=(), keep=True)
    assert state is not None
    return report, state


def _build(config_path: Path, out: Path, *, drafts: bool, use_cache: bool, progress: Progress | None,
           overrides: Sequence[Override], keep: bool = False) -> tuple[BuildReport, SiteState | None]:
    started = time.perf_counter()
    out = out.resolve()
    make_environment.cache_clear()  # a new build reads the templates again (the preview server builds many times)
    config, config_problems = read_config(config_path, overrides)
    if config is None:
        raise SiteError(config_problems)
    config_problems += check_output_folder(out, config.root)
    cache_dir = config.root / CACHE_DIR
    cache = open_cache(config, use_cache)
    files = list_article_files(config)
    now = current_time()
    stamps = {rel: stamp(path) for rel, path in files + list_note_files(config)}  # issue notes are sources too
    if use_cache and not config_problems:
        unchanged = None if keep else nothing_to_do(cache, stamps, out, drafts, started, now)
        if unchanged:
            return unchanged, None
        cache.load_articles(cache_dir)
    site, items, notes = read_site(config, cache, files, stamps, drafts=drafts, now=now, progress=progress, problems=config_problems)
    out_prefix = str(out) + os.sep
    env = theme_environment(config, use_cache)
    index = OutputIndex() if keep else None
    rendered = render_site(site, env, reuse=lambda path, page_key: cache.wrote(out_prefix, path, page_key), memo=cache.extra, index=index)
    outputs: list[str] = []
    static = static_files(config)

    def stream():
        for path, data in itertools.chain(rendered.outputs, static.items()):
            outputs.append(path)
            yield path, data

    report = write_site(out, stream(), previous=set(cache.pages) if cache.pages else None)
    pages = {path: (rendered.keys.get(path, ""), report.stamps.get(path) or cache.pages[path][1]) for path in outputs}
    summary = {
        "out": str(out),
        "drafts": drafts,
        "articles": len(site.articles),
        "pages": sum(1 for p in outputs if p.endswith(".html")),
        "feeds": sum(1 for p in outputs if p.endswith(("feed.xml", "atom.xml", "feed.json"))),
        "review": tuple((i.article.source_path, i.article.review) for i in site.articles if i.article.review),
        "derived_ids": tuple(i.article.source_path for i in site.articles if i.article.id_derived),
        # When the first issue in progress closes: from then on, the same sources make other pages.
        "issues_until": min((i.closes.timestamp() for i in site.issues if i.in_progress), default=None),
    }
    if (pages, stamps, summary) != (cache.pages, cache.sources, cache.summary):
        cache.pages, cache.sources, cache.summary, cache.dirty = pages, stamps, summary, True
    if use_cache and cache.dirty:
        cache.save(cache_dir)
    state = None
    if index is not None:
        state = SiteState(config=config, env=env, items={i.article.source_path: i for i in items}, stamps=stamps, notes=notes,
                          site=site, index=index, memo=cache.extra, static=frozenset(static))
    return _report(summary, report, started), state


def nothing_to_do(cache: BuildCache, stamps: dict[str, FileStamp | None], out: Path, drafts: bool, started: float,
                  now: datetime) -> BuildReport | None:
    """The last build's report when it had the same code, config and theme (the cache's key),
    read article and issue files with the same stamps, no issue it showed in progress has
    closed since, and its output is intact: a build with nothing to do reads no article.
    None when anything differs: then the build runs. `out` is resolved."""
    summary = cache.summary
    if summary is None or summary["drafts"] != drafts or summary["out"] != str(out) or cache.sources != stamps:
        return None
    if summary.get("issues_until") is not None and now.timestamp() >= summary["issues_until"]:
        return None
    prefix = str(out) + os.sep
    if any(stamp(prefix + path) != written for path, (_key, written) in cache.pages.items()):
        return None
    return _report(summary, WriteReport((), len(cache.pages), (), {}), started)


def _report(summary: dict, write: WriteReport, started: float) -> BuildReport:
    return BuildReport(articles=summary["articles"], pages=summary["pages"], feeds=summary["feeds"],
                       seconds=time.perf_counter() - started, write=write, review=summary["review"],
                       derived_ids=summary["derived_ids"])
