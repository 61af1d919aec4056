"""`digest check`: everything a build would refuse, and what a reader would hit, without writing the site.

Zola's `zola check` is the model. The check runs the build's own stages (config,
articles through the build cache, the assembled site, every output kind with the
theme's templates) and so reports every config, content and template error exactly
as a build does; then what a build lets through but a reader would hit: internal
links that lead nowhere (in the theme and in article bodies), feeds a validator
would reject, review items left open, articles with no link to their original.
Errors block publishing; warnings block it only with --strict.

It is fast on a large digest because it makes almost nothing: what it learns of
each output (its links and ids, a feed's problems) is kept in the build cache by
the output's key, and an output the last build wrote with the same key is read
back from the output folder instead of being made again. So after a build, or
after the last check, only the outputs an edit changed are looked at.
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import urls
from .build import open_cache, read_site, theme_environment
from .cache import CACHE_DIR, BuildCache, read_value, stamp, write_value
from .config import Override, read_config
from .errors import Problem, SiteError, suggest
from .feedcheck import output_problems, readable, rule_of
from .frontmatter import key_line
from .links import OUTSIDE, LinkReader, PageLinks, shown
from .load import DERIVED_ID_NOTE, list_article_files
from .model import Config, RenderedArticle, Site
from .outputs import OUTPUT_KINDS, render_site
from .pages import make_environment, static_files
from .parallel import map_in_parallel
from .periods import current_time
from .search import search_files

FACTS_FILE = "check.pickle"
# The search index is left out: its files hold no links a reader follows, and it is the costliest kind to make.
CHECKED_KINDS = tuple(kind for kind in OUTPUT_KINDS if kind is not search_files)

Facts = PageLinks | tuple[str, ...]  # an HTML page's links and ids, or what a validator would reject in another output


@dataclass(frozen=True)
class CheckReport:
    articles: int  # articles the site would publish
    outputs: int  # pages, feeds and files checked
    errors: tuple[Problem, ...]  # what a build refuses, or a reader would hit as broken
    warnings: tuple[Problem, ...]  # what an editor should still look at
    notes: tuple[Problem, ...]  # the build's notes, for the record
    seconds: float
    complete: bool  # False when config or content errors stopped the check before the site was assembled

    def blocks(self, strict: bool) -> bool:
        """Whether this site should not be published (warnings count with --strict)."""
        return bool(self.errors or (strict and self.warnings))


def check(config_path: Path, *, drafts: bool = False, use_cache: bool = True, overrides: Sequence[Override] = ()) -> CheckReport:
    """Check the site at config_path; nothing is written but what it learned, in the build cache's folder."""
    started = time.perf_counter()
    try:
        return _check(config_path, drafts=drafts, use_cache=use_cache, overrides=overrides, started=started)
    finally:
        gc.unfreeze()  # the cached articles, frozen while they were loaded (see BuildCache.load_articles)


def _check(config_path: Path, *, drafts: bool, use_cache: bool, overrides: Sequence[Override], started: float) -> CheckReport:
    make_environment.cache_clear()  # the theme as it is now, as a build reads it
    config, config_problems = read_config(config_path, overrides)

    def stopped(errors: list[Problem]) -> CheckReport:
        return CheckReport(0, 0, tuple(SiteError(errors).problems), (), (), time.perf_counter() - started, complete=False)

    if config is None:
        return stopped(config_problems)
    cache_dir = config.root / CACHE_DIR
    cache = open_cache(config, use_cache)
    key = cache.site_key
    files = list_article_files(config)
    if use_cache:
        cache.load_articles(cache_dir)
    try:
        # The build's own stages, so every config, content and issue error reads exactly as a build reports it.
        site, _items, _notes = read_site(config, cache, files, {rel: stamp(path) for rel, path in files}, drafts=drafts, now=current_time(),
                                         problems=config_problems)
    except SiteError as exc:
        return stopped(exc.problems)
    known = read_value(cache_dir / FACTS_FILE) if use_cache else None
    facts: dict[str, tuple[str, Facts]] = known[1] if isinstance(known, tuple) and known[0] == key else {}
    try:
        learned = learn_outputs(site, cache, facts, cache_dir if use_cache else None)
    except SiteError as exc:  # a template mistake, named as the build names it
        return CheckReport(len(site.articles), 0, tuple(exc.problems), (), (), time.perf_counter() - started, complete=False)
    outputs = {path: fact for path, (_key, fact) in facts.items()}
    errors, warnings = output_findings(site, outputs, set(outputs) | set(static_files(config)))
    warnings += reader_warnings(site.articles, config.root)
    notes = [Problem(i.article.source_path, None, DERIVED_ID_NOTE) for i in site.articles if i.article.id_derived]
    if use_cache:
        if cache.dirty and cache.summary is None:
            # No build has filled the cache for these settings: the articles prepared here (all of them)
            # spare the next check and build that work. After a build, the few an edit changed are not
            # worth rewriting the build's cache for; the next build prepares them.
            cache.save(cache_dir)
        if learned:
            write_value(cache_dir / FACTS_FILE, (key, facts))
    return CheckReport(len(site.articles), len(outputs), tuple(SiteError(errors).problems), tuple(SiteError(warnings).problems),
                       tuple(notes), time.perf_counter() - started, complete=True)


def learn_outputs(site: Site, cache: BuildCache, facts: dict[str, tuple[str, Facts]], cache_dir: Path | None) -> bool:
    """Bring `facts` up to date with every output of the site (by path: key, facts); True when anything was learned.

    The outputs run through the build's own kinds. One whose key is in `facts` is not
    made; one the last build wrote with the same key, and whose file is intact, is read
    back from the output folder; the others are made in memory, as a build makes them."""
    config = site.config
    summary = cache.summary or {}
    out_prefix = summary["out"] + os.sep if summary.get("out") else None
    from_disk: list[str] = []

    def reuse(path: str, page_key: str) -> bool:
        entry = facts.get(path)
        if entry is not None and entry[0] == page_key:
            return True
        if out_prefix and cache.wrote(out_prefix, path, page_key):
            from_disk.append(path)
            return True
        return False

    rendered = render_site(site, theme_environment(config, cache_dir is not None), reuse=reuse, memo=cache.extra, kinds=CHECKED_KINDS)
    reader = LinkReader(config.base_url)
    fresh: dict[str, Facts] = {}
    paths = []
    for path, data in rendered.outputs:
        paths.append(path)
        if data is not None:
            fresh[path] = output_facts(reader, path, data)
    if from_disk:
        def read_back(path: str) -> Facts:  # on a worker when there are many (forked: the closure is there)
            return output_facts(reader, path, Path(out_prefix + path).read_bytes())

        for path, fact in zip(from_disk, map_in_parallel(read_back, from_disk, batch=200, min_items=1000)):
            fresh[path] = reader.share(fact) if isinstance(fact, PageLinks) else fact
    gone = facts.keys() - set(paths)
    for path in gone:
        del facts[path]
    for path, fact in fresh.items():
        facts[path] = (rendered.keys[path], fact)
    return bool(fresh or gone)


def output_facts(reader: LinkReader, path: str, data: bytes) -> Facts:
    if path.endswith(".html"):
        return reader.read(path, data)
    return tuple(output_problems(path, data))


def output_findings(site: Site, outputs: dict[str, Facts], published: set[str]) -> tuple[list[Problem], list[Problem]]:
    """(errors, warnings) about the outputs: feeds a validator would reject, links that lead nowhere.

    A broken link in an article's body is reported at its line in the article's file;
    one the theme's templates make is reported once, with the number of pages it is on."""
    errors = feed_findings(outputs)
    warnings: list[Problem] = []
    verdicts: dict[str, tuple[bool, str] | None] = {}
    hints = Hints(published)
    article_at = {urls.output_path(urls.article(i.article.slug)): i for i in site.articles}
    reader = LinkReader(site.config.base_url)
    theme: dict[tuple[str, bool, str], list[str]] = {}
    bodies: dict[tuple[str, str], tuple[bool, str]] = {}
    for path, fact in outputs.items():
        if not isinstance(fact, PageLinks):
            continue
        body_links: set[str] | None = None
        for raw, target in fact.links:
            if target not in verdicts:
                verdicts[target] = link_verdict(target, outputs, published, site.config, hints)
            verdict = verdicts[target]
            if verdict is None:
                continue
            item = article_at.get(path)
            if item is not None and body_links is None:
                body_links = {link for link, _target in reader.read(path, item.html).links}
            if item is not None and raw in body_links:
                bodies[(item.article.source_path, raw)] = verdict
            else:
                theme.setdefault((raw, *verdict), []).append(path)
    for (source, raw), (blocking, message) in sorted(bodies.items()):
        problem = Problem(source, line_of(site.config.root / source, raw), f"link '{raw}' {message}")
        (errors if blocking else warnings).append(problem)
    for (raw, blocking, message), pages in sorted(theme.items()):
        where = f"on {len(pages)} pages, such as {min(pages)}" if len(pages) > 1 else f"on {pages[0]}"
        (errors if blocking else warnings).append(Problem("the theme's templates", None, f"link '{raw}' {where}, {message}"))
    return errors, warnings


class Hints:
    """' (did you mean ...?)' for a missing page, among the pages of its folder whose name starts with
    the same two characters: difflib over all 11,000 pages of a large digest takes a second per link."""

    def __init__(self, published: set[str]):
        self.published = published
        self.groups: dict[tuple[str, str], list[str]] | None = None

    @staticmethod
    def group(page: str) -> tuple[str, str]:
        parent, _, name = page.rstrip("/").rpartition("/")
        return parent, name[:2]

    def __call__(self, missing: str) -> str:
        if self.groups is None:  # made only when a link is broken
            self.groups = {}
            for path in sorted(self.published):
                if path.endswith("index.html"):
                    self.groups.setdefault(self.group(shown(path)), []).append(shown(path))
        return suggest(missing, self.groups.get(self.group(missing), []))


def feed_findings(outputs: dict[str, Facts]) -> list[Problem]:
    """What a validator would reject, one line per mistake: a mistake in a feed template shows in every
    item of every feed it makes, so the first place is named and the others counted."""
    by_rule: dict[str, list[tuple[str, str]]] = {}
    for path, fact in sorted(outputs.items()):
        for message in fact if isinstance(fact, tuple) else ():
            by_rule.setdefault(rule_of(message), []).append((path, message))
    problems = []
    for places in by_rule.values():
        path, message = places[0]
        here = sum(1 for p, _m in places if p == path) - 1
        elsewhere = len({p for p, _m in places}) - 1
        more = [f"{here} more time{'s' if here != 1 else ''} in this file" if here else "",
                f"in {elsewhere} more file{'s' if elsewhere != 1 else ''}" if elsewhere else ""]
        more_text = " and ".join(m for m in more if m)
        problems.append(Problem(path, None, readable(message) + (f" (also {more_text})" if more_text else "")))
    return problems


def link_verdict(target: str, outputs: dict[str, Facts], published: set[str], config: Config, hint: Callable[[str], str]) -> tuple[bool, str] | None:
    """None when a link's target is fine, else (blocks publishing, what is wrong)."""
    if target.startswith(OUTSIDE):
        return False, f"leaves the site: /{target[len(OUTSIDE):]} is outside {config.base_url}, which this build does not make"
    path, _, fragment = target.partition("#")
    if path not in published and urls.output_path(path + "/") not in published:  # hosts serve 'x/index.html' at 'x' too
        page = path.endswith("index.html") or "." not in path.rpartition("/")[2]  # a page is worth a suggestion, a missing file rarely
        return True, f"leads to nothing: the site has no {shown(path)}{hint(shown(path)) if page else ''}"
    fact = outputs.get(path) or outputs.get(urls.output_path(path + "/"))
    if fragment and isinstance(fact, PageLinks) and fragment not in fact.ids:
        return False, f"leads to {shown(path)}, which has no element with id '{fragment}'"
    return None


def line_of(source: Path, raw: str) -> int | None:
    """The line of an article's file that holds a link, as written in Markdown."""
    try:
        lines = source.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    for number, line in enumerate(lines, start=1):
        if raw in line:
            return number
    return None


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
