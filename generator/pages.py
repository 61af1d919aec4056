"""What every kind of output is made with: the theme, dates as pages show them, pagination,
the site's listings, and the page key that says whether an output must be made again.

This module sits below every renderer (`render` for HTML pages, `feeds`, `search`, and any
kind added later): they all import it, it imports none of them, so the build side has one
order and no circle.

Templates come from a search path (the user's theme, then the default theme, plus a
`default/` prefix so an override can extend the template it replaces), autoescape HTML
and XML, and fail on any undefined name so a template mistake names itself.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from markupsafe import Markup

from . import urls
from .body import credit
from .cache import digest
from .errors import Problem, SiteError
from .model import Config, Issue, RenderedArticle, Site

DEFAULT_THEME = Path(__file__).resolve().parent.parent / "themes" / "default"

Output = tuple[str, bytes | None]  # (output path, bytes), or None: the last build's file still holds
Reuse = Callable[[str, str], bool]  # (output path, page key) -> whether the last build's file still holds


# -- the theme --------------------------------------------------------------------------------


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
    env.extend(site_root=config.root)  # template mistakes name their file from the site's folder
    return env


def render_template(env: jinja2.Environment, name: str, context: dict[str, Any]) -> str:
    """A template rendered with `context`; any mistake in it is a SiteError naming the file and line it is at."""
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateError as exc:
        raise template_error(exc, name, env) from None


def template_error(exc: jinja2.TemplateError, template: str, env: jinja2.Environment) -> SiteError:
    """A template mistake, named by the file and line it is at.

    A syntax error carries them. A mistake found while rendering (a name the page is not
    given, a key a mapping lacks) does not, but Jinja points the traceback's frames at the
    templates' own lines, and the innermost is where it happened: in base.html, say, not
    in the article.html that extends it. Without either, the template being rendered."""
    filename, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if filename is None:
        tb = exc.__traceback__
        while tb is not None:
            if tb.tb_frame.f_globals.get("__jinja_exception__") is exc:  # a frame Jinja made for a template line
                filename, line = tb.tb_frame.f_code.co_filename, tb.tb_lineno
            tb = tb.tb_next
    if filename is None:
        where = f"template {getattr(exc, 'name', None) or template}"
    else:
        path, root = Path(filename), env.site_root  # type: ignore[attr-defined]
        where = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    return SiteError([Problem(where, line, f"{type(exc).__name__}: {exc.message}")])


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


# -- what pages show ----------------------------------------------------------------------------


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
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=None)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


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


@dataclass(frozen=True)
class Page:
    """One numbered page of a listing."""

    number: int
    count: int
    items: Sequence[RenderedArticle]
    url: str
    prev_url: str | None
    next_url: str | None


def paginate(items: Sequence[RenderedArticle], per_page: int, url_for: Callable[[int], str],
             only: Callable[[str], bool] | None = None) -> list[Page]:
    """The pages of a listing; with `only`, just the pages whose URL it accepts."""
    count = max(1, math.ceil(len(items) / per_page))
    numbers = range(1, count + 1) if only is None else [n for n in range(1, count + 1) if only(url_for(n))]
    return [
        Page(
            number=n,
            count=count,
            items=items[(n - 1) * per_page : n * per_page],
            url=url_for(n),
            prev_url=url_for(n - 1) if n > 1 else None,
            next_url=url_for(n + 1) if n < count else None,
        )
        for n in numbers
    ]


def page_key(page: Page) -> tuple:
    """What a listing page shows: its place among the pages and its stories."""
    return (page.number, page.count, tuple(item.key for item in page.items))


# -- making outputs -----------------------------------------------------------------------------

Slot = Hashable  # what an output is, apart from its path (an article page's slot is its article file)


@dataclass
class OutputIndex:
    """Every output of the last pass: its path, its key and the articles it shows.

    The preview keeps one between changes: an edit that leaves the site's order
    alone touches only the outputs that show the edited articles (see outputs.py).
    An output that does not say what it shows is taken to show every article.
    """

    keys: dict[str, tuple] = field(default_factory=dict)  # output path -> key (as the kind made it: no hash)
    paths: dict[Slot, str] = field(default_factory=dict)  # slot -> output path
    owners: dict[str, Slot] = field(default_factory=dict)  # output path -> slot
    shows: dict[Slot, frozenset[str] | None] = field(default_factory=dict)  # slot -> article files (None: all)
    by_article: dict[str, set[Slot]] = field(default_factory=dict)  # article file -> slots that show it
    always: set[Slot] = field(default_factory=set)  # slots that show every article
    # What output kinds work out for the next pass (the preview's alone: a build never saves it).
    memo: dict[str, Any] = field(default_factory=dict)

    def touched(self, articles: Iterable[str]) -> set[Slot]:
        """The slots an edit of these article files can change."""
        slots = set(self.always)
        for rel in articles:
            slots.update(self.by_article.get(rel, ()))
        return slots

    def record(self, slot: Slot, path: str, key: tuple, shows: frozenset[str] | None) -> None:
        self.forget(slot)
        self.paths[slot] = path
        self.owners[path] = slot
        self.keys[path] = key
        self.shows[slot] = shows
        if shows is None:
            self.always.add(slot)
        else:
            for rel in shows:
                self.by_article.setdefault(rel, set()).add(slot)

    def forget(self, slot: Slot) -> None:
        shows = self.shows.pop(slot, None)
        if slot in self.always:
            self.always.discard(slot)
        for rel in shows or ():
            slots = self.by_article.get(rel)
            if slots is not None:
                slots.discard(slot)
                if not slots:
                    del self.by_article[rel]
        path = self.paths.pop(slot, None)
        if path is not None and self.owners.get(path) == slot:  # not if another output has just taken the path
            del self.owners[path]
            self.keys.pop(path, None)


class TopicItems(Sequence[RenderedArticle]):
    """A topic's stories, looked up as they are read: a feed reads twenty, an edit's pass a page or two."""

    def __init__(self, slugs: Sequence[str], by_slug: dict[str, RenderedArticle]):
        self.slugs = slugs
        self.by_slug = by_slug

    def __len__(self) -> int:
        return len(self.slugs)

    def __getitem__(self, at):  # type: ignore[override]
        if isinstance(at, slice):
            return [self.by_slug[s] for s in self.slugs[at]]
        return self.by_slug[self.slugs[at]]


def topic_shown(slug: str) -> str:
    """What an output that shows a topic's list of stories (its pages, its feeds, its count)
    lists in `shows`: a story joining or leaving the topic touches it."""
    return f"topic:{slug}"


def _not_given(name: str) -> jinja2.StrictUndefined:
    return jinja2.StrictUndefined(name=name, hint=(
        f"'{name}' (the topic panel) is given only to index.html's first page and to topics.html, whose page keys cover it: "
        "on another page it would go stale when a topic's stories change; show the panel there, or list config.topics"))


# The topic panel (the topics in use, their counts, their latest stories) changes with any story that joins
# a topic or leads one, and only two outputs' keys say so. Every other output is given these in its place,
# so a theme that shows the panel elsewhere fails the build, naming its line, rather than go stale.
PANEL_NOT_GIVEN = {name: _not_given(name) for name in ("site_topics", "topic_counts", "topic_latest")}


class OwnTopicCount(dict):
    """topic_counts as a topic's pages are given it: their key covers their own topic's count, not the others'."""

    def __missing__(self, slug: str) -> jinja2.StrictUndefined:
        return jinja2.StrictUndefined(name=slug, hint=(
            f"topic.html is given the count of its own topic only, which its page key covers, not of '{slug}'"))


class Pages:
    """The site's lookups, the theme and the page keys: what every output kind makes its files with.

    Every output gets a key: a hash of everything it shows (its articles' content
    hashes, its neighbours, its page numbers) on top of the site key (code, config,
    theme). When `reuse(path, key)` says the previous build wrote that exact file
    and it is intact, the output is not made again. A kind keeps what it wants to
    remember between builds (search postings, say) under its name in `memo`.

    With an `index` (the preview's), each output also records what it shows, and its
    key as it is (no hash): the next pass compares against `previous` (the index of
    the pass before; the disk cache's `reuse` is for a build). With `edited` too (a
    pass that keeps every story's place, see outputs.edit_in_place: the article files
    whose stories changed, and the topics they joined or left), only the outputs that
    show them are asked about: `wants(slot)` is False for the others, which a kind may
    then skip without working out their keys (their files stand as they are); a kind
    that never asks is asked about in full, and an output the last pass did not have is
    always asked about. Such a pass keeps every story's place and dates, so a kind may
    also keep what it worked out from them (by position) with remember().
    """

    def __init__(self, site: Site, env: jinja2.Environment, reuse: Reuse | None = None, memo: dict[str, Any] | None = None,
                 index: OutputIndex | None = None, edited: set[str] | None = None, previous: OutputIndex | None = None,
                 wanted: set[Slot] | None = None):
        self.site = site
        self.env = env
        self.config = site.config
        self.reuse = reuse or (lambda path, key: False)
        self.memo = memo if memo is not None else {}
        self.index = index
        self.previous = previous
        self.edited = edited if index is not None else None
        if wanted is None and index is not None and edited is not None:
            wanted = index.touched(edited)
        self.wanted = wanted
        self.by_slug, self.key_of, self.issue_of = self._lookups()
        self.topics = [t for t in self.config.topics if t.slug in site.topic_articles]
        self.topic_latest = {slug: self.by_slug[s[0]] for slug, s in site.topic_articles.items()}
        topic_counts = {slug: len(s) for slug, s in site.topic_articles.items()}
        self.topic_panel_key = tuple((t.slug, topic_counts[t.slug], self.topic_latest[t.slug].key) for t in self.topics)
        self.every_topic = [topic_shown(t.slug) for t in self.topics]
        # Only for the outputs whose keys hold topic_panel_key (see render.listing_pages).
        self.panel = {"site_topics": self.topics, "topic_counts": topic_counts, "topic_latest": self.topic_latest}
        self.common = {"config": self.config, "topic_names": self.config.topic_names, **PANEL_NOT_GIVEN}
        self.keys: dict[str, str] = {}
        self.asked: set[Slot] = set()
        self._topic_items: dict[str, TopicItems] = {}

    def _lookups(self) -> tuple[dict[str, RenderedArticle], dict[str, str], dict[str, Issue]]:
        """Stories by slug, their keys by slug, and the issue each story appeared in. A pass in
        place takes the last pass's and changes the edited stories' entries, not ten thousand."""
        site = self.site
        last = self.recall("lookups")
        if last is None:
            by_slug = {r.article.slug: r for r in site.articles}
            key_of = {slug: r.key for slug, r in by_slug.items()}
            issue_of = {slug: issue for issue in site.issues for slug in issue.slugs}
        else:
            old_site, by_slug, key_of, issue_of = last
            position = site.position
            by_slug, key_of = dict(by_slug), dict(key_of)
            changed = [at for at in map(position.get, self.edited or ()) if at is not None and old_site.articles[at] is not site.articles[at]]
            for at in changed:  # every old slug out first: one story may take the slug another gave up
                del by_slug[old_site.articles[at].article.slug], key_of[old_site.articles[at].article.slug]
            for at in changed:
                new = site.articles[at]
                by_slug[new.article.slug], key_of[new.article.slug] = new, new.key
            if site.issues is not old_site.issues:
                issue_of = dict(issue_of)
                pairs = [(old, new) for old, new in zip(old_site.issues, site.issues) if old is not new]
                for old_issue, _new in pairs:
                    for slug in old_issue.slugs:
                        issue_of.pop(slug, None)
                for _old, new_issue in pairs:
                    issue_of.update((slug, new_issue) for slug in new_issue.slugs)
        self.remember("lookups", (site, by_slug, key_of, issue_of))
        return by_slug, key_of, issue_of

    def topic_items(self, slug: str) -> TopicItems:
        """A topic's stories, newest first."""
        if slug not in self._topic_items:
            self._topic_items[slug] = TopicItems(self.site.topic_articles.get(slug, ()), self.by_slug)
        return self._topic_items[slug]

    def wants(self, slot: Slot) -> bool:
        """Whether this pass asks about the output: False only for outputs an edit cannot touch."""
        return self.wanted is None or slot in self.wanted or (self.index is not None and slot not in self.index.paths)

    def wants_url(self, url: str) -> bool:
        """wants() for an output whose slot is its path."""
        return self.wants(urls.output_path(url))

    def recall(self, name: str, *, in_place: bool = True) -> Any:
        """What a kind remembered in the preview's last pass (None in a build). With `in_place`
        (things worked out from the stories' places), only in a pass that keeps those places."""
        if self.index is None or (in_place and self.edited is None):
            return None
        return self.index.memo.get(name)

    def remember(self, name: str, value: Any) -> None:
        """Keep value for recall() in the preview's next pass (a build has no use for it)."""
        if self.index is not None:
            self.index.memo[name] = value

    def stands(self, slot: Slot) -> Output:
        """The output at slot, asked about in a pass with `edited`, stands as the last pass left it
        (its kind knows it did not change): (its path, None), to be yielded like any kept output."""
        assert self.index is not None
        self.asked.add(slot)
        return self.index.paths[slot], None

    def page(self, template: str, url: str, key: tuple = (), shows: Iterable[RenderedArticle | str] | None = None,
             slot: Slot = None, **context: Any) -> Output:
        """One output from a template: (output path, bytes), or (output path, None) when the previous build's file still holds."""
        path = urls.output_path(url)
        if self.keep_if_unchanged(template, url, key, shows, slot):
            return path, None
        return path, self.render(template, url, context)

    def keep_if_unchanged(self, kind: str, url: str, key: tuple, shows: Iterable[RenderedArticle | str] | None = None,
                          slot: Slot = None) -> bool:
        """Record the output's key; True when the previous build's file at its path still holds.

        `kind` names what makes the output (its template, or 'search'): the same key
        from another maker is another output. `shows` lists the articles the output
        shows, and topic_shown() for a topic whose list of stories it shows (None: it may
        show anything); `slot` names the output when its path can change with an edit
        (an article page's path follows its title), else its path is used."""
        path = urls.output_path(url)
        index = self.index
        raw = (kind, url, key)
        if index is not None and self.previous is not None:  # the preview: keys compared as they are
            kept = self.previous.keys.get(path) == raw
        else:
            page_key = digest(*raw)
            kept = self.reuse(path, page_key)
            self.keys[path] = page_key
        if index is not None:
            slot = path if slot is None else slot
            self.asked.add(slot)
            index.record(slot, path, raw, None if shows is None else
                         frozenset(x if isinstance(x, str) else x.article.source_path for x in shows))
        return kept

    def render(self, template: str, url: str, context: dict[str, Any]) -> bytes:
        return self.render_text(template, url, context).encode("utf-8")

    def render_text(self, template: str, url: str, context: dict[str, Any]) -> str:
        """A template as the page at `url` shows it: with what every output is given, and `context`."""
        return render_template(self.env, template, {**self.common, "page_url": url, **context})
