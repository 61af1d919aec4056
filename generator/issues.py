"""Issues: the digest cut into weeks (or months) by the day each story entered it.

An issue holds the stories `added` in its period (so an old story ingested late still
reaches readers once, with its own date shown), grouped by topic in the configured
order, each story once, under its first topic; untagged stories close it under "Also
in this issue". The editor may add content/issues/<period>.md: a title, `lead:`
stories to put first, a note in Markdown, and `closed:` when the issue ended early.
The period that is not over yet is the issue in progress: on the site as "This week
so far", never in the issues feed, never sent.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from .body import markdown_to_html
from .errors import Problem, suggest
from .frontmatter import key_line, split
from .load import parse_date
from .model import Article, Config, Issue, IssueNote, IssueSection
from .periods import Period, following, parse_period, period_of, period_of_day
from .text import xml_safe

ISSUES_DIR = "content/issues"
NOTE_KEYS = ("title", "lead", "closed")


def list_note_files(config: Config) -> list[tuple[str, str]]:
    """(path relative to the site root, path) of every issue note, sorted."""
    folder = os.path.join(str(config.root), *ISSUES_DIR.split("/"))
    try:
        names = sorted(e.name for e in os.scandir(folder) if e.is_file() and e.name.endswith(".md") and not e.name.startswith("."))
    except (FileNotFoundError, NotADirectoryError):
        return []
    return [(f"{ISSUES_DIR}/{name}", os.path.join(folder, name)) for name in names]


def parse_note(rel: str, text: str, config: Config) -> IssueNote | list[Problem]:
    """One note file, checked: its name is a period, its keys are known, its dates are real."""
    tz = ZoneInfo(config.timezone)
    text = xml_safe(text)
    problems: list[Problem] = []
    stem = rel.rsplit("/", 1)[-1].removesuffix(".md")
    period: Period | None = None
    try:
        period = parse_period(stem, config.issues.period, tz)
    except ValueError as exc:
        problems.append(Problem(rel, None, f"an issue file is named after its {config.issues.period}: {exc}; rename the file"))
    if period and period.key != stem:
        problems.append(Problem(rel, None, f"rename the file to {period.key}.md, the way issues are named"))
    first = first_issue(config, tz)
    if period and first and period < first:
        problems.append(Problem(rel, None, f"{period.key} is before the first issue (issues.starts: {config.issues.starts}): delete the file, or set an earlier issues.starts"))
    if text.lstrip("\ufeff").startswith("---"):
        data, body, _line, split_problems = split(text, rel)
        problems += split_problems
    else:  # a note with nothing but Markdown is a note too
        data, body = {}, text
    values: dict[str, Any] = {}
    for key, value in data.items():
        line = key_line(text, str(key))
        if key not in NOTE_KEYS:
            problems.append(Problem(rel, line, f"unknown key '{key}'{suggest(str(key), NOTE_KEYS) or '; an issue file may have ' + ', '.join(NOTE_KEYS)}"))
        elif value is None:
            continue
        elif key == "title":
            if not isinstance(value, (str, int, float)) or isinstance(value, bool) or not str(value).strip():
                problems.append(Problem(rel, line, "'title' must be text on one line, in quotes if it has a ':'"))
            else:
                values["title"] = str(value).strip()
        elif key == "lead":
            lead = [value] if isinstance(value, str) else value
            if not isinstance(lead, list) or not all(isinstance(s, str) and s.strip() for s in lead):
                problems.append(Problem(rel, line, "'lead' must be a list of article slugs, like 'lead: [nurses-strike, port-deal]'"))
            else:
                values["lead"] = tuple(dict.fromkeys(s.strip() for s in lead))
        elif key == "closed":
            try:
                values["closed"] = parse_date(value, tz)
            except (ValueError, TypeError):
                problems.append(Problem(rel, line, f"'closed' must be a date and time like 2026-12-03T14:00:00-05:00, not {str(value)!r}"))
                continue
            if period and not period.start <= values["closed"] < period.end:
                problems.append(Problem(rel, line, f"'closed' is {values['closed'].isoformat()}, outside {period.key} "
                                                   f"({period.start.date()} to {period.last_day}): fix the date, or delete the line"))
    if problems or period is None:
        return problems
    return IssueNote(
        source_path=rel,
        period=period.key,
        title=values.get("title"),
        lead=values.get("lead", ()),
        body_md=body.strip(),
        closed=values.get("closed"),
        content_hash=hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest(),
        lead_line=key_line(text, "lead"),
    )


def read_notes(config: Config) -> tuple[list[IssueNote], list[Problem]]:
    """Every note under content/issues/, and every problem with them."""
    notes: list[IssueNote] = []
    problems: list[Problem] = []
    for rel, path in list_note_files(config):
        try:
            text = Path(path).read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            problems.append(Problem(rel, None, f"is not UTF-8 text (byte {exc.start}): save it as UTF-8"))
            continue
        except OSError as exc:
            problems.append(Problem(rel, None, f"cannot be read: {exc.strerror}"))
            continue
        parsed = parse_note(rel, text, config)
        if isinstance(parsed, list):
            problems += parsed
        else:
            notes.append(parsed)
    return notes, problems


def first_issue(config: Config, tz: ZoneInfo) -> Period | None:
    """The period of the first issue (the one holding issues.starts); None when every period has one."""
    return period_of_day(config.issues.starts, config.issues.period, tz) if config.issues.starts else None


def assemble_issues(articles: Sequence[Article], notes: Sequence[IssueNote], config: Config, now: datetime) -> tuple[tuple[Issue, ...], list[Problem]]:
    """Every issue that has stories, newest first, and the problems with the notes' lead stories.

    `articles` are the site's, newest first; `now` decides which issue is still in progress.
    """
    tz = ZoneInfo(config.timezone)
    kind = config.issues.period
    first = first_issue(config, tz)
    notes_by_period = {note.period: note for note in notes}
    periods: dict[str, Period] = {}
    members: dict[str, list[Article]] = {}
    issue_of: dict[str, str] = {}
    for article in articles:
        period = period_of(article.added, kind, tz)
        note = notes_by_period.get(period.key)
        if note and note.closed and article.added >= note.closed:
            period = following(period, tz)  # closed early: what came after goes to the next issue
        if first and period < first:
            continue
        periods.setdefault(period.key, period)
        members.setdefault(period.key, []).append(article)
        issue_of[article.slug] = period.key
    problems = _lead_problems(notes, issue_of, {a.slug for a in articles})
    issues = [
        _issue(periods[key], members[key], notes_by_period.get(key), config, now)
        for key in sorted(periods, key=lambda k: periods[k].start, reverse=True)
    ]
    return tuple(issues), problems


def _lead_problems(notes: Sequence[IssueNote], issue_of: dict[str, str], slugs: set[str]) -> list[Problem]:
    problems = []
    for note in notes:
        for slug in note.lead:
            if slug not in slugs:
                problems.append(Problem(note.source_path, note.lead_line, f"lead '{slug}' is not an article{suggest(slug, slugs)}: "
                                                                          "use the slug of one of the issue's stories (its page is articles/<slug>/)"))
            elif issue_of.get(slug) != note.period:
                where = f"in {issue_of[slug]}" if slug in issue_of else "in no issue"
                problems.append(Problem(note.source_path, note.lead_line, f"lead '{slug}' is {where}, not in {note.period}: "
                                                                          "lead stories come from the issue's own stories"))
    return problems


def _issue(period: Period, stories: list[Article], note: IssueNote | None, config: Config, now: datetime) -> Issue:
    lead = tuple(s for s in (note.lead if note else ()) if any(a.slug == s for a in stories))
    rest = [a for a in stories if a.slug not in lead]
    by_topic: dict[str | None, list[str]] = {}
    for article in rest:
        by_topic.setdefault(article.tags[0] if article.tags else None, []).append(article.slug)
    order = [t.slug for t in config.topics] + [None]
    sections = tuple(IssueSection(topic, tuple(by_topic[topic])) for topic in order if topic in by_topic)
    closes = note.closed if note and note.closed else period.end
    return Issue(
        period=period,
        title=note.title if note and note.title else period.plain_title,
        lead=lead,
        sections=sections,
        note_html=markdown_to_html(note.body_md) if note and note.body_md else "",
        in_progress=now < closes,
        closes=closes,
        topic_count=len({a.tags[0] for a in stories if a.tags}),
        note_hash=note.content_hash if note else "",
    )

