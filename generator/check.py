"""`digest check`: everything a build would refuse, and what a reader would hit, without writing the site.

Zola's `zola check` is the model. The check runs the build's own stages (config,
articles through the build cache, the assembled site) and so reports every config
and content error exactly as a build does; then what a build lets through but a
reader would notice: review items left open and articles with no link to their
original. Errors block publishing; warnings block it only with --strict.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .build import assemble_site, prepare_articles, site_key
from .cache import CACHE_DIR, BuildCache, stamp
from .config import Override, read_config
from .errors import Problem, SiteError
from .frontmatter import key_line
from .issues import read_notes
from .load import list_article_files
from .model import RenderedArticle
from .periods import current_time


@dataclass(frozen=True)
class CheckReport:
    articles: int  # articles the site would publish
    errors: tuple[Problem, ...]  # what a build refuses, or a reader would hit as broken
    warnings: tuple[Problem, ...]  # what an editor should still look at
    notes: tuple[Problem, ...]  # the build's notes, for the record
    seconds: float
    complete: bool  # False when config or content errors stopped the check before the site was assembled

    def blocks(self, strict: bool) -> bool:
        """Whether this site should not be published (warnings count with --strict)."""
        return bool(self.errors or (strict and self.warnings))


def check(config_path: Path, *, drafts: bool = False, use_cache: bool = True, overrides: Sequence[Override] = ()) -> CheckReport:
    """Check the site at config_path; nothing is written but the build cache (when used)."""
    started = time.perf_counter()
    try:
        return _check(config_path, drafts=drafts, use_cache=use_cache, overrides=overrides, started=started)
    finally:
        gc.unfreeze()  # the cached articles, frozen while they were loaded (see BuildCache.load_articles)


def _check(config_path: Path, *, drafts: bool, use_cache: bool, overrides: Sequence[Override], started: float) -> CheckReport:
    config, errors = read_config(config_path, overrides)

    def stopped() -> CheckReport:
        return CheckReport(0, tuple(SiteError(errors).problems), (), (), time.perf_counter() - started, complete=False)

    if config is None:
        return stopped()
    cache_dir = config.root / CACHE_DIR
    key = site_key(config)
    cache = BuildCache.load(cache_dir, key) if use_cache else BuildCache(site_key=key)
    files = list_article_files(config)
    stamps = {rel: stamp(path) for rel, path in files}
    if use_cache:
        cache.load_articles(cache_dir)
    notes, note_problems = read_notes(config)
    errors += note_problems
    try:
        # The build's own stage, so every content error reads exactly as a build reports it.
        items = prepare_articles(config, cache, lambda stage, done, total: None, files, stamps)
    except SiteError as exc:
        errors += exc.problems
    if errors:
        return stopped()
    try:
        site = assemble_site(config, [i for i in items if drafts or not i.article.draft], notes, current_time())
    except SiteError as exc:  # an issue's lead story that is not in it
        errors += exc.problems
        return stopped()
    warnings = reader_warnings(site.articles, config.root)
    notes = [Problem(i.article.source_path, None, "no 'id:'; its feed id is derived from the file name and changes if the file is renamed")
             for i in site.articles if i.article.id_derived]
    if use_cache and cache.dirty:
        cache.save(cache_dir)  # the articles prepared here: the next build need not prepare them again
    return CheckReport(len(site.articles), (), tuple(SiteError(warnings).problems), tuple(notes),
                       time.perf_counter() - started, complete=True)


def reader_warnings(items: Sequence[RenderedArticle], root: Path) -> list[Problem]:
    """Open review items (at the line of 'review:') and articles with no link to their original."""
    warnings = []
    for item in items:
        article = item.article
        if article.review:
            try:
                line = key_line((root / article.source_path).read_text(encoding="utf-8"), "review")
            except (OSError, UnicodeDecodeError):  # gone or changed since it was read: the file alone then
                line = None
            warnings.append(Problem(article.source_path, line, f"open review items: check {', '.join(article.review)}, then remove them from 'review:'"))
        if not article.source_url:
            warnings.append(Problem(article.source_path, None, "no 'source_url': readers cannot reach the original story; add 'source_url: https://...'"))
    return warnings
