"""The site kept in memory by `digest serve`, so an edit costs what it touches, not the archive.

The first pass is a build (with the cache) that keeps what it made: every article as
prepared, the site, every output's key and the articles it shows (build.SiteState).
After that, a change is applied where it lands:

- article files: only those are read again; when the edit keeps every story in its
  place (outputs.edit_in_place), only the outputs that show the edited stories are
  asked about; otherwise every output is, against the keys in memory (no cache to load,
  no output to check on disk). Either way only the outputs whose key changed are made,
  and only the files whose bytes changed are written.
- a theme's static file: the static files are copied again.
- config.yaml or a template: a full build, as `digest build` does it.

An article that does not read (bad front matter, a date that cannot be, a slug another
story has) keeps its last good version in the site while its problems are reported;
so does the whole site when a full build fails. The output is, after every pass that
reports no problem, byte for byte what `digest build` would write from scratch.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import jinja2

from .build import SiteState, assemble_site, build_state, prepare_article
from .cache import FileStamp, stamp
from .errors import Problem, SiteError
from .issues import ISSUES_DIR, read_notes
from .load import ARTICLES_DIR, find_collisions, folder_name, is_article_name
from .model import RenderedArticle
from .outputs import edit_in_place, render_site
from .pages import OutputIndex, static_files, theme_dirs
from .periods import current_time
from .render import render_card
from .write import write_site


@dataclass(frozen=True)
class PassReport:
    """What one pass did: which output files it wrote or removed, and the problems still open."""

    kind: str  # "full"; "in place" or "reordered" (article files); "static"; or "none"
    written: tuple[str, ...]
    removed: tuple[str, ...]
    problems: tuple[Problem, ...]
    articles: int
    seconds: float
    build_error: str | None = None  # a full build that failed: the last good site stays

    @property
    def error(self) -> str | None:
        """Every open problem, one per line, as the page's overlay shows them; None when there are none."""
        lines = [self.build_error] if self.build_error else []
        lines += [str(p) for p in self.problems]
        return "\n".join(lines) or None


@dataclass
class ResidentSite:
    """A site in memory and its output folder, brought up to date by `update`."""

    config_path: Path
    out: Path
    drafts: bool = False
    state: SiteState | None = None
    invalid: dict[str, list[Problem]] = field(default_factory=dict)  # article file -> why its last good version stays
    build_error: str | None = None  # the last full build's problems, while it has not succeeded
    note_problems: list[Problem] = field(default_factory=list)  # the issue notes' (the last good ones stay)
    announce: Callable[[str], None] = lambda message: None  # told before a change starts a full build
    # Told the output files written so far, while a pass goes on (the edited stories' pages come first).
    early: Callable[[Iterable[str]], None] = lambda written: None
    _claimed: tuple[SiteState, dict[tuple[str, str], str]] | None = None

    def __post_init__(self) -> None:
        self.config_path = self.config_path.resolve()

    def update(self, changed: Iterable[Path] | None = None) -> PassReport:
        """Apply changed files (None: rebuild everything); never raises for a user's mistake.

        An empty `changed` only checks the clock: when the issue in progress has closed,
        the issues are cut again (serve.py calls it then)."""
        started = time.perf_counter()
        state = self.state
        paths = None if changed is None else [Path(p).resolve() for p in changed]
        plan = {"full"} if state is None or self.build_error or paths is None else self._classify(state, paths)
        if "full" in plan:
            if state is not None and paths is not None:
                why = next((p for p in paths if self._classify(state, [p]) == {"full"}), None)
                self.announce(f"{_shown(why, state.config.root)} changed: building the whole site" if why else
                              "the last build failed: building the whole site again")
            return self._full(started)
        assert state is not None and paths is not None
        root = state.config.root
        written: list[str] = []
        removed: list[str] = []
        kind = "none"
        articles = sorted({p.relative_to(root).as_posix() for p in paths if _is_article(p, root)} | set(self.invalid))
        try:
            if "static" in plan:
                kind = "static"
                static = static_files(state.config)
                report = write_site(self.out, static.items(), previous=set(state.static))
                state.static = frozenset(static)
                written += report.written
                removed += report.removed
            now = current_time()
            deadline = self.deadline()
            due = deadline is not None and now.timestamp() >= deadline
            if articles or "notes" in plan or due:
                kind, w, r = self._articles(state, articles, notes="notes" in plan, now=now, reissue=due)
                written += w
                removed += r
        except SiteError as exc:  # a template that fails on one story, a folder that cannot be written
            self.build_error = str(exc)  # the last good site stays; the next change builds it all again
        return self._report(kind, written, removed, started)

    def deadline(self) -> float | None:
        """When the site changes with no file changed (the issue in progress closes), as a timestamp."""
        if self.state is None:
            return None
        return min((i.closes.timestamp() for i in self.state.site.issues if i.in_progress), default=None)

    # -- the three kinds of pass -----------------------------------------------------------------

    def _full(self, started: float) -> PassReport:
        gc.unfreeze()
        try:
            report, state = build_state(self.config_path, self.out, drafts=self.drafts)
        except SiteError as exc:
            self.build_error = str(exc)
            return self._report("full", [], [], started)
        self.state, self.invalid, self.note_problems, self.build_error = state, {}, [], None
        self._claims(state)  # made now, not on the first edit
        _warm(state)
        # The site lives as long as the preview: keep the cycle collector off its objects.
        gc.collect()
        gc.freeze()
        return self._report("full", list(report.write.written), list(report.write.removed), started)

    def _articles(self, state: SiteState, rels: list[str], *, notes: bool, now: datetime, reissue: bool) -> tuple[str, list[str], list[str]]:
        """Read the changed article files (and issue notes) and make what they touch: (how, written, removed).
        The state changes only once the new site is made, so a problem leaves the last good one."""
        config = state.config
        read: dict[str, tuple[FileStamp, RenderedArticle] | None] = {}
        for rel in rels:
            path = config.root / rel
            seen = stamp(path)
            if seen is None:
                read[rel] = None
                continue
            if seen == state.stamps.get(rel) and rel not in self.invalid:
                continue  # an event without a change (a file saved with the same bytes and time)
            result = prepare_article((rel, path, config))
            if isinstance(result, list):
                self.invalid[rel] = result
                continue
            read[rel] = (seen, result)
        for rel in read:
            self.invalid.pop(rel, None)
        accepted = self._without_collisions(state, read)
        new_notes = state.notes
        if notes:
            found, self.note_problems = read_notes(config)
            if not self.note_problems and found != state.notes:
                new_notes, reissue = found, True
        if not accepted and not reissue:
            return "none", [], []
        items, stamps = dict(state.items), dict(state.stamps)
        changes: dict[str, RenderedArticle | None] = {}
        for rel, entry in accepted.items():
            if entry is None:
                items.pop(rel, None)
                stamps.pop(rel, None)
                changes[rel] = None
            else:
                stamps[rel], item = entry
                items[rel] = item
                changes[rel] = item if self.drafts or not item.article.draft else None
        in_place = None if reissue else edit_in_place(state.site, changes)
        old_index = state.index
        written: list[str] = []
        removed: list[str] = []
        if in_place is not None:
            site, topics = in_place
            edited = set(changes) | topics
            touched = old_index.touched(edited)
            # The edited stories' own pages first, and said at once: the page the editor looks at
            # does not wait for the pages that only link to it.
            first = {rel for rel, item in changes.items() if item is not None and rel in touched}
            for wanted in (first, touched - first) if first and touched - first else (touched,):
                rendered = render_site(site, state.env, memo=state.memo, index=old_index, edited=edited, previous=old_index,
                                       wanted=wanted)
                previous = {old_index.paths[slot] for slot in wanted if slot in old_index.paths}
                report = write_site(self.out, rendered.outputs, previous=previous)
                if wanted is first:
                    self.early(report.written)
                written += report.written
                removed += report.removed
            index = old_index
        else:
            site = assemble_site(config, list(items.values()), new_notes, now, drafts=self.drafts)
            index = OutputIndex(memo=old_index.memo)
            rendered = render_site(site, state.env, memo=state.memo, index=index, previous=old_index)
            report = write_site(self.out, rendered.outputs, previous=set(old_index.keys))
            written, removed = list(report.written), list(report.removed)
        self._claim(state, accepted)
        state.items, state.stamps, state.site, state.index, state.notes = items, stamps, site, index, new_notes
        return "in place" if index is old_index else "reordered", written, removed

    def _without_collisions(self, state: SiteState, read: dict[str, tuple[FileStamp, RenderedArticle] | None]
                            ) -> dict[str, tuple[FileStamp, RenderedArticle] | None]:
        """The changed files that can join the site: one whose slug or id another story has
        stays out (its last good version stays in) until the clash is resolved. Only the
        changed stories and the ones holding their slugs and ids are compared."""
        claims = self._claims(state)
        accepted = dict(read)
        while True:
            new = [entry[1] for entry in accepted.values() if entry is not None]
            holders = {claims.get(("slug", folder_name(i.article.slug))) for i in new} | {claims.get(("id", i.article.id)) for i in new}
            others = [state.items[rel].article for rel in holders if rel is not None and rel not in accepted]
            clashes = [p for p in find_collisions([i.article for i in new] + others) if p.path in accepted]
            if not clashes:
                break
            for problem in clashes:
                self.invalid.setdefault(problem.path, []).append(problem)
                accepted.pop(problem.path, None)
        return accepted

    def _claim(self, state: SiteState, accepted: dict[str, tuple[FileStamp, RenderedArticle] | None]) -> None:
        """Move the slugs and ids of the accepted files from their old versions to their new ones
        (called before the state takes the new versions)."""
        claims = self._claims(state)
        for rel in accepted:
            old = state.items.get(rel)
            if old is not None:
                claims.pop(("slug", folder_name(old.article.slug)), None)
                claims.pop(("id", old.article.id), None)
        for rel, entry in accepted.items():
            if entry is not None:
                article = entry[1].article
                claims[("slug", folder_name(article.slug))] = rel
                claims[("id", article.id)] = rel

    def _claims(self, state: SiteState) -> dict[tuple[str, str], str]:
        """Which story holds each URL folder and feed id (made once per full build)."""
        if self._claimed is None or self._claimed[0] is not state:
            claims = {}
            for rel, item in state.items.items():
                claims[("slug", folder_name(item.article.slug))] = rel
                claims[("id", item.article.id)] = rel
            self._claimed = (state, claims)
        return self._claimed[1]

    def _classify(self, state: SiteState, paths: list[Path]) -> set[str]:
        """'full' when a change can touch every page (config.yaml, a template, the theme's
        search path); 'static' for a theme's static file; 'articles', 'notes' (the issues')."""
        config = state.config
        root = config.root
        plan: set[str] = set()
        statics = [d / "static" for d in theme_dirs(config)]
        for path in paths:
            if path == self.config_path:
                return {"full"}
            if any(path.is_relative_to(folder) for folder in statics):
                plan.add("static")
            elif path.is_relative_to(root / "themes") or any(path.is_relative_to(d) for d in theme_dirs(config)):
                return {"full"}
            elif _is_article(path, root):
                plan.add("articles")
            elif path.suffix == ".md" and path.is_relative_to(root / ISSUES_DIR):
                plan.add("notes")
        return plan

    def _report(self, kind: str, written: list[str], removed: list[str], started: float) -> PassReport:
        problems = tuple(sorted([p for problems in self.invalid.values() for p in problems] + self.note_problems))
        return PassReport(kind=kind, written=tuple(sorted(written)), removed=tuple(sorted(removed)), problems=problems,
                          articles=len(self.state.site.articles) if self.state else 0,
                          seconds=time.perf_counter() - started, build_error=self.build_error)


def _warm(state: SiteState) -> None:
    """Compile every template now, so that the first edit does not wait for it."""
    env = state.env
    for name in env.list_templates(filter_func=lambda name: name.endswith((".html", ".xml", ".opml", ".txt"))):
        try:
            env.get_template(name)
        except jinja2.TemplateError:
            pass  # a template no page uses may be broken; the one that is used says so when it is
    item = next(iter(state.items.values()), None)
    if item is not None:
        try:
            render_card(item, state.config)  # the card template, compiled once per settings
        except SiteError:
            pass  # said when a story's card is made


def _shown(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def _is_article(path: Path, root: Path) -> bool:
    """The files load.list_article_files reads."""
    return is_article_name(path.name) and path.is_relative_to(root / ARTICLES_DIR)
