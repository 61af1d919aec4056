"""config.yaml: read once, checked against a closed schema, turned into a frozen Config.

Every problem is collected with the line it stands on (from PyYAML's node marks)
and reported together; an unknown key is an error with a suggestion, never ignored.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from email.utils import getaddresses
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from .errors import Problem, SiteError, suggest
from .frontmatter import load_yaml
from .model import Boundary, Config, EmailSettings, IssueSettings, Tagging, Topic
from .periods import PERIOD_KINDS
from .topics import phrase_variants

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _lines(node: yaml.Node | None) -> dict[str, Any]:
    """Map each mapping key to (line, child line map) so messages can point at it."""
    out: dict[str, Any] = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            out[str(key.value)] = (key.start_mark.line + 1, _lines(value))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            out[str(index)] = (item.start_mark.line + 1, _lines(item))
    return out


class _Checker:
    """Reads values out of a mapping, recording a Problem for each mistake."""

    def __init__(self, path: str, problems: list[Problem]):
        self.path = path
        self.problems = problems
        self.misspelled: set[str] = set()  # keys reported as a typo: not reported again as missing

    def error(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def closed(self, data: dict, lines: dict, allowed: tuple[str, ...], where: str, scope: str = "") -> None:
        for key in data:
            if key not in allowed:
                match = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
                hint = f" (did you mean '{match[0]}'?)" if match else f"; allowed keys: {', '.join(allowed)}"
                self.misspelled.update(scope + m for m in match)
                self.error(lines.get(str(key), (None,))[0], f"unknown key '{key}'{' in ' + where if where else ''}{hint}")

    def get(
        self,
        data: dict,
        lines: dict,
        key: str,
        kind: type | tuple[type, ...],
        default: Any = None,
        *,
        required: bool = False,
        check: Callable[[Any], str | None] | None = None,
        where: str = "",
        parent_line: int | None = 1,
    ) -> Any:
        label = f"{where}{key}"
        if key not in data or data[key] is None:
            if required and label not in self.misspelled:
                self.error(parent_line, f"'{label}' is required: add '{key}: ...'")
            return default
        value = data[key]
        line = lines.get(key, (parent_line,))[0]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if isinstance(value, bool) and bool not in kinds or not isinstance(value, kinds):
            names = " or ".join({int: "a whole number", float: "a number", str: "text", list: "a list", dict: "a set of 'key: value' lines", bool: "true or false"}[k] for k in kinds)
            self.error(line, f"'{label}' must be {names}, not {value!r}")
            return default
        if check:
            message = check(value)
            if message:
                self.error(line, f"'{label}' {message}")
                return default
        return value


def _positive(value: int) -> str | None:
    return None if value >= 1 else "must be 1 or more"


def _check_base_url(value: str) -> str | None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        host = value.split("/")[0]
        if not parts.scheme and "." in host and " " not in value:
            return f"must start with https:// or http://, not {value!r} (did you mean 'https://{value.rstrip('/')}/'?)"
        return f"must be an absolute http(s) URL such as https://example.org/ or https://example.org/digest/, not {value!r}"
    if parts.query or parts.fragment:
        return "must not have a query or fragment"
    return None


def _check_timezone(value: str) -> str | None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return "is not a known time zone: use an IANA name such as 'America/New_York' or 'UTC'"
    return None


def _check_theme(root: Path) -> Callable[[str], str | None]:
    def check(value: str) -> str | None:
        if value == "default":
            return None
        if not re.fullmatch(r"[\w.-]+", value) or value in (".", ".."):
            return f"must be the name of a folder under themes/, not {value!r}"
        if not (root / "themes" / value).is_dir():
            found = sorted(p.name for p in (root / "themes").iterdir() if p.is_dir()) if (root / "themes").is_dir() else []
            return f"names a theme that does not exist: create themes/{value}/{suggest(value, found)}"
        return None

    return check


TOP_KEYS = (
    "title",
    "description",
    "base_url",
    "language",
    "timezone",
    "per_page",
    "theme",
    "republish",
    "excerpt_words",
    "feed_items",
    "related_items",
    "author",
    "tagging",
    "topics",
    "issues",
    "email",
)
TOPIC_KEYS = ("slug", "name", "description", "boundaries", "signals")
BOUNDARY_KEYS = ("with", "rule", "keep_if", "keep_without", "own_evidence")
TAGGING_KEYS = ("threshold", "title_weight", "dek_weight", "work_threshold", "work_signals")
ISSUES_KEYS = ("period", "starts")
EMAIL_KEYS = ("from", "list_unsubscribe", "smtp_host", "smtp_port", "starttls", "username", "password_env")


def _parse_topics(raw: Any, lines: dict, c: _Checker) -> tuple[Topic, ...]:
    if raw is None:
        return ()
    line = lines.get("topics", (None, {}))
    if not isinstance(raw, list):
        c.error(line[0], "'topics' must be a list of topics, each starting with '- slug: ...'")
        return ()
    topics: list[Topic] = []
    seen: dict[str, int] = {}
    pending: list[tuple[int, dict, dict, int, str]] = []
    for index, item in enumerate(raw):
        item_line, item_lines = line[1].get(str(index), (line[0], {}))
        if not isinstance(item, dict):
            c.error(item_line, "each topic must be a set of keys: slug, name, description, boundaries, signals")
            continue
        where = f"topics[{index}]."
        c.closed(item, item_lines, TOPIC_KEYS, "a topic", scope=where)
        slug = c.get(item, item_lines, "slug", str, required=True, where=where, parent_line=item_line,
                     check=lambda v: None if SLUG_RE.match(v) else "must be lower-case letters, digits and single hyphens, like 'return-to-office'")
        name = c.get(item, item_lines, "name", str, required=True, where=where, parent_line=item_line)
        description = c.get(item, item_lines, "description", str, "", where=where, parent_line=item_line)
        signals_raw = c.get(item, item_lines, "signals", dict, {}, where=where, parent_line=item_line)
        signals: list[tuple[str, float]] = []
        sig_lines = item_lines.get("signals", (item_line, {}))[1]
        for phrase, weight in signals_raw.items():
            if not isinstance(phrase, str) or not phrase.strip():
                c.error(sig_lines.get(str(phrase), (item_line,))[0], f"signal {phrase!r} of topic '{slug}' must be a word or phrase")
            elif isinstance(weight, bool) or not isinstance(weight, (int, float)):
                c.error(sig_lines.get(phrase, (item_line,))[0], f"signal '{phrase}' of topic '{slug}' needs a number as its weight, like '{phrase}: 2'")
            else:
                signals.append((phrase, float(weight)))
        if slug and name:
            if slug in seen:
                c.error(item_line, f"topic '{slug}' is defined twice (also on line {seen[slug]}): keep one")
                continue
            seen[slug] = item_line
            topics.append(Topic(slug=slug, name=name, description=description.strip(), signals=tuple(signals)))
            pending.append((len(topics) - 1, item, item_lines, item_line, where))
    # Boundaries name other topics, so they are read once every slug is known.
    for position, item, item_lines, item_line, where in pending:
        boundaries = _parse_boundaries(item, item_lines, item_line, where, topics[position].slug, list(seen), c)
        if boundaries:
            topics[position] = replace(topics[position], boundaries=boundaries)
    return tuple(topics)


def _parse_boundaries(item: dict, item_lines: dict, item_line: int, where: str, slug: str, slugs: list[str],
                      c: _Checker) -> tuple[Boundary, ...]:
    """A topic's `boundaries:`: each `with` a sibling topic, a `rule` in words, optional `keep_if` phrases."""
    raw = c.get(item, item_lines, "boundaries", list, [], where=where, parent_line=item_line)
    line, lines = item_lines.get("boundaries", (item_line, {}))
    out: list[Boundary] = []
    for index, entry in enumerate(raw):
        at, entry_lines = lines.get(str(index), (line, {}))
        label = f"{where}boundaries[{index}]."
        if not isinstance(entry, dict):
            c.error(at, f"each boundary of topic '{slug}' must be a set of keys: with, rule, keep_if, keep_without, own_evidence "
                        "(like '- with: unions')")
            continue
        c.closed(entry, entry_lines, BOUNDARY_KEYS, f"a boundary of topic '{slug}'", scope=label)
        sibling = c.get(entry, entry_lines, "with", str, None, required=True, where=label, parent_line=at)
        rule = c.get(entry, entry_lines, "rule", str, None, required=True, where=label, parent_line=at,
                     check=lambda v: None if v.strip() else "must say, in words, where the two topics part")
        keep_raw = c.get(entry, entry_lines, "keep_if", list, [], where=label, parent_line=at)
        own_evidence = c.get(entry, entry_lines, "own_evidence", bool, True, where=label, parent_line=at)
        with_line = entry_lines.get("with", (at,))[0]
        if sibling is not None:
            if sibling == slug:
                c.error(with_line, f"topic '{slug}' has a boundary with itself: 'with' names the sibling topic it parts from")
                continue
            if sibling not in slugs:
                c.error(with_line, f"boundary of topic '{slug}' names an unknown topic '{sibling}'{suggest(sibling, slugs)}: "
                                   "'with' takes the slug of another topic in this file")
                continue
            if any(b.sibling == sibling for b in out):
                c.error(with_line, f"topic '{slug}' has two boundaries with '{sibling}': keep one")
                continue
        phrases = _boundary_phrases(keep_raw, entry_lines, "keep_if", at, slug, c)
        without = _boundary_phrases(c.get(entry, entry_lines, "keep_without", list, [], where=label, parent_line=at),
                                    entry_lines, "keep_without", at, slug, c)
        if sibling is not None and not own_evidence and not phrases and not without:
            c.error(at, f"boundary of topic '{slug}' with '{sibling}' has own_evidence: false and no keep_if or keep_without "
                        f"phrases, so '{slug}' could never stand beside '{sibling}': add keep_if phrases or remove own_evidence")
            continue
        if sibling is not None and rule:
            out.append(Boundary(sibling, rule.strip(), tuple(phrases), own_evidence, tuple(without)))
    return tuple(out)


def _boundary_phrases(raw: list, entry_lines: dict, key: str, at: int, slug: str, c: _Checker) -> list[str]:
    """A boundary's keep_if or keep_without list: phrases as for signals, each checked."""
    line = entry_lines.get(key, (at, {}))
    phrases: list[str] = []
    for number, phrase in enumerate(raw):
        phrase_line = line[1].get(str(number), (line[0],))[0]
        if not isinstance(phrase, str) or not phrase.strip():
            c.error(phrase_line, f"{key} phrase {phrase!r} of topic '{slug}' must be a word or phrase (put quotes around a number: '{phrase}')")
        elif not phrase_variants(phrase):
            c.error(phrase_line, f"{key} phrase '{phrase}' of topic '{slug}' has no word to match: write the words themselves")
        else:
            phrases.append(phrase)
    return phrases


def _parse_tagging(raw: Any, lines: dict, c: _Checker) -> Tagging:
    if raw is None:
        return Tagging()
    line, sub = lines.get("tagging", (None, {}))
    if not isinstance(raw, dict):
        c.error(line, "'tagging' must be a set of keys: " + ", ".join(TAGGING_KEYS))
        return Tagging()
    c.closed(raw, sub, TAGGING_KEYS, "tagging")
    defaults = Tagging()
    values: dict[str, Any] = {
        key: float(c.get(raw, sub, key, (int, float), getattr(defaults, key), where="tagging.", parent_line=line))
        for key in TAGGING_KEYS
        if key != "work_signals"
    }
    work_raw = c.get(raw, sub, "work_signals", dict, None, where="tagging.", parent_line=line)
    if work_raw is not None:
        work_line, work_lines = sub.get("work_signals", (line, {}))
        signals: list[tuple[str, float]] = []
        for phrase, weight in work_raw.items():
            at = work_lines.get(str(phrase), (work_line,))[0]
            if not isinstance(phrase, str) or not phrase.strip():
                c.error(at, f"work signal {phrase!r} must be a word or phrase (quote numbers: '1099': 1)")
            elif isinstance(weight, bool) or not isinstance(weight, (int, float)):
                c.error(at, f"work signal '{phrase}' needs a number as its weight, like '{phrase}: 1'")
            else:
                signals.append((phrase, float(weight)))
        values["work_signals"] = tuple(signals)
    return Tagging(**values)


def _section(raw: Any, lines: dict, c: _Checker, name: str, keys: tuple[str, ...]) -> tuple[dict, int | None, dict] | None:
    """A nested table's (values, line, line map), its unknown keys reported; None when absent or not a table."""
    if raw is None:
        return None
    line, sub = lines.get(name, (None, {}))
    if not isinstance(raw, dict):
        c.error(line, f"'{name}' must be a set of keys: " + ", ".join(keys))
        return None
    c.closed(raw, sub, keys, name, scope=f"{name}.")
    return raw, line, sub


def _check_starts(value: str) -> str | None:
    try:
        date.fromisoformat(value.strip())
    except ValueError:
        return f"must be a date like 2026-11-30, not {value!r}"
    return None


def _parse_issues(raw: Any, lines: dict, c: _Checker) -> IssueSettings:
    section = _section(raw, lines, c, "issues", ISSUES_KEYS)
    if section is None:
        return IssueSettings()
    data, line, sub = section
    period = c.get(data, sub, "period", str, "week", where="issues.", parent_line=line,
                   check=lambda v: None if v in PERIOD_KINDS else "must be 'week' (ISO weeks, Monday to Sunday) or 'month'")
    starts = c.get(data, sub, "starts", (str, date), None, where="issues.", parent_line=line,
                   check=lambda v: None if isinstance(v, date) else _check_starts(v))
    return IssueSettings(period=period, starts=date.fromisoformat(starts.strip()) if isinstance(starts, str) else starts)


_ADDRESS = re.compile(r"^[^@\s<>()\[\],;:\"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")


def email_address(value: str) -> str | None:
    """The address in 'Name <address>' or 'address', or None when it is not one a server accepts."""
    pairs = getaddresses([value])
    if len(pairs) != 1 or not _ADDRESS.match(pairs[0][1]):
        return None
    return pairs[0][1]


def _check_sender(value: str) -> str | None:
    return None if email_address(value) else f"must be an address such as 'Labor Digest <digest@example.org>', not {value!r}"


def _check_unsubscribe(values: list) -> str | None:
    for value in values:
        if not isinstance(value, str) or not (value.startswith("mailto:") and email_address(value[7:].split("?")[0])
                                              or urlsplit(value).scheme == "https" and urlsplit(value).netloc):
            return f"must be mailto: or https: addresses readers can unsubscribe at, like 'mailto:leave@example.org', not {value!r}"
    return None


def _parse_email(raw: Any, lines: dict, c: _Checker) -> EmailSettings | None:
    section = _section({k: v for k, v in raw.items() if k != "password"} if isinstance(raw, dict) else raw, lines, c, "email", EMAIL_KEYS)
    if section is None:
        return None
    data, line, sub = section
    if "password" in raw:
        variable = data.get("password_env") or EmailSettings.password_env
        c.error(sub.get("password", (line,))[0],
                f"'email.password' must not be in config.yaml: remove it and put the password in the environment variable {variable}")

    def get(key: str, kind: type | tuple[type, ...], default: Any = None, **kw: Any) -> Any:
        return c.get(data, sub, key, kind, default, where="email.", parent_line=line, **kw)

    sender = get("from", str, required=True, check=_check_sender)
    unsubscribe = get("list_unsubscribe", (str, list), required=True)
    unsubscribe = [unsubscribe] if isinstance(unsubscribe, str) else unsubscribe
    if unsubscribe is not None:
        message = _check_unsubscribe(unsubscribe) if unsubscribe else "must name at least one mailto: or https: address"
        if message:
            c.error(sub.get("list_unsubscribe", (line,))[0], f"'email.list_unsubscribe' {message}")
    settings = EmailSettings(
        sender=sender or "",
        list_unsubscribe=tuple(unsubscribe or ()),
        smtp_host=get("smtp_host", str, None, check=lambda v: None if re.fullmatch(r"[A-Za-z0-9.:\[\]-]+", v) else f"must be a host name such as smtp.example.org, not {v!r}"),
        smtp_port=get("smtp_port", int, 587, check=lambda v: None if 1 <= v <= 65535 else "must be a port number from 1 to 65535"),
        starttls=get("starttls", bool, True),
        username=get("username", str, None),
        password_env=get("password_env", str, EmailSettings.password_env,
                         check=lambda v: None if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", v) else "must be the name of an environment variable, like LABOR_DIGEST_SMTP_PASSWORD"),
    )
    return settings


@dataclass(frozen=True)
class Override:
    """A setting given outside config.yaml, which wins over the file's value.

    A host knows the address the site will have (GitHub Pages tells its workflow, Netlify
    its build), so `digest build --base-url URL` or LABOR_DIGEST_BASE_URL sets it without
    editing config.yaml. It is checked like the file's key; a mistake names its `source`.
    """

    key: str  # one of OVERRIDABLE
    value: str
    source: str  # where it came from, for messages: '--base-url', 'LABOR_DIGEST_BASE_URL'


OVERRIDABLE = {"base_url": _check_base_url}


def _checked_overrides(overrides: Sequence[Override], problems: list[Problem]) -> dict[str, str]:
    """The valid overrides by key; a bad one is reported at its source."""
    values = {}
    for override in overrides:
        message = OVERRIDABLE[override.key](override.value)
        if message:
            problems.append(Problem(override.source, None, f"'{override.key}' {message}"))
        else:
            values[override.key] = override.value
    return values


def check_config(text: str, root: Path, path: str = "config.yaml", overrides: Sequence[Override] = ()) -> tuple[Config | None, list[Problem]]:
    """Check config text: (config, problems), the config built from the valid keys and defaults.

    A build goes on to check the articles with it, so one run reports the mistakes in
    config.yaml and in every article together; the config is None only when the file
    cannot be read as settings at all.
    """
    problems: list[Problem] = []
    data, yaml_problems = load_yaml(text, path)
    if yaml_problems:
        return None, yaml_problems
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return None, [Problem(path, 1, "must be a set of 'key: value' lines, starting with 'title: ...'")]
    try:
        lines = _lines(yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
    except yaml.YAMLError:
        lines = {}
    c = _Checker(path, problems)
    c.closed(data, lines, TOP_KEYS, "")
    title = c.get(data, lines, "title", str, required=True)
    overridden = _checked_overrides(overrides, problems)
    # The file's own value is checked even when overridden: the file must also build on its own.
    base_url = c.get(data, lines, "base_url", str, required=not any(o.key == "base_url" for o in overrides), check=_check_base_url)
    base_url = overridden.get("base_url", base_url)
    config = Config(
        root=root,
        title=title or "",
        description=c.get(data, lines, "description", str, ""),
        base_url=(base_url or "https://example.org/").rstrip("/") + "/",
        language=c.get(data, lines, "language", str, "en",
                       check=lambda v: None if re.match(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$", v) else "must be a language tag such as 'en' or 'en-US'"),
        timezone=c.get(data, lines, "timezone", str, "UTC", check=_check_timezone),
        per_page=c.get(data, lines, "per_page", int, 20, check=_positive),
        theme=c.get(data, lines, "theme", str, None, check=_check_theme(root)),
        republish=c.get(data, lines, "republish", str, "excerpt",
                        check=lambda v: None if v in ("excerpt", "full") else "must be 'excerpt' (the summary and an opening excerpt with a link to the original) or 'full'"),
        excerpt_words=c.get(data, lines, "excerpt_words", int, 120, check=_positive),
        feed_items=c.get(data, lines, "feed_items", int, 20, check=_positive),
        related_items=c.get(data, lines, "related_items", int, 4, check=lambda v: None if v >= 0 else "must be 0 or more"),
        author=c.get(data, lines, "author", str, None),
        tagging=_parse_tagging(data.get("tagging"), lines, c),
        topics=_parse_topics(data.get("topics"), lines, c),
        issues=_parse_issues(data.get("issues"), lines, c),
        email=_parse_email(data.get("email"), lines, c),
    )
    return config, problems


def parse_config(text: str, root: Path, path: str = "config.yaml") -> Config:
    """Check config text; raise SiteError listing every problem."""
    config, problems = check_config(text, root, path)
    if problems or config is None:
        raise SiteError(problems)
    return config


def read_config(path: Path, overrides: Sequence[Override] = ()) -> tuple[Config | None, list[Problem]]:
    """Read config.yaml from disk (the only I/O here): (config, problems), as check_config."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, [Problem(str(path), None, "not found: run digest from the folder that holds config.yaml, or pass --config PATH")]
    except UnicodeDecodeError as exc:
        return None, [Problem(str(path), None, f"is not UTF-8 text ({exc.reason}): save it as UTF-8")]
    except OSError as exc:  # a folder, no permission
        return None, [Problem(str(path), None, f"cannot be read: {exc.strerror}: pass the settings file with --config PATH")]
    return check_config(text, path.parent.resolve(), str(path), overrides)


def load_config(path: Path, overrides: Sequence[Override] = ()) -> Config:
    """Read and check config.yaml; raise SiteError listing every problem."""
    config, problems = read_config(path, overrides)
    if problems or config is None:
        raise SiteError(problems)
    return config
