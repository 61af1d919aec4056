"""`digest issue` and `digest send`: one issue of the digest, closed early, written as email, or sent.

They read the same articles and notes a build reads and cut them into the same issues
(generator/issues.py), so what a reader gets by email is what the site shows under
issues/. Every check runs before anything is written or sent.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import make_msgid
from pathlib import Path
from zoneinfo import ZoneInfo

from .config import Override, load_config
from .errors import Problem, SiteError
from .frontmatter import FENCE, key_line, write_atomic
from .issue_email import email_message, render_issue_email, sender_domain
from .issue_send import SendReport, already_sent, check_recipients, password_for, read_record, reader_key, send_messages
from .issues import ISSUES_DIR, assemble_issues, parse_note, read_notes
from .load import find_collisions, list_article_files, load_article
from .model import Article, Config, EmailSettings, Issue, IssueNote
from .pages import make_environment, readable_date
from .parallel import map_in_parallel
from .periods import current_time, parse_period

EMAIL_FILES = ("issue.html", "issue.txt", "issue.eml")


@dataclass(frozen=True)
class Newsletter:
    config: Config
    articles: dict[str, Article]  # slug -> published article
    notes: dict[str, IssueNote]  # period key -> note
    issues: tuple[Issue, ...]  # newest first
    now: datetime


def load_newsletter(config_path: Path, now: datetime | None = None, overrides: Sequence[Override] = ()) -> Newsletter:
    """The site's articles and notes, checked as a build checks them, cut into issues; `overrides`
    are the settings given as they are to the build (the site's address from its host)."""
    config = load_config(config_path, overrides)
    problems: list[Problem] = []
    articles: list[Article] = []
    for result in map_in_parallel(lambda job: load_article(*job, config), list_article_files(config)):
        if isinstance(result, list):
            problems += result
        else:
            articles.append(result)
    problems += find_collisions(articles)
    notes, note_problems = read_notes(config)
    problems += note_problems
    published = sorted((a for a in articles if not a.draft), key=lambda a: a.sort_key)
    now = now or current_time()
    issues, lead_problems = assemble_issues(published, notes, config, now)
    if problems or lead_problems:
        raise SiteError(problems + lead_problems)
    return Newsletter(config, {a.slug: a for a in published}, {n.period: n for n in notes}, issues, now)


def _problem(command: str, message: str) -> SiteError:
    return SiteError([Problem(f"digest {command}", None, message)])


def choose_issue(letter: Newsletter, key: str | None, command: str, *, in_progress: bool = False) -> Issue:
    """The issue named by `key`; without one, the one in progress (`in_progress`) or the latest closed one."""
    config = letter.config
    if key is None:
        for issue in letter.issues:
            if issue.in_progress == in_progress:
                return issue
        if in_progress:
            raise _problem(command, "no issue is in progress (no story has been added since the last issue closed): nothing to close")
        if letter.issues:
            key = letter.issues[0].period.key
            raise _problem(command, f"no issue has closed yet: close the one in progress with 'digest issue {key} --close'")
        raise _problem(command, "there is no issue yet: an issue is made from the stories added in each " + config.issues.period)
    try:
        period = parse_period(key, config.issues.period, ZoneInfo(config.timezone))
    except ValueError as exc:
        raise _problem(command, str(exc)) from None
    for issue in letter.issues:
        if issue.period.key == period.key:
            return issue
    latest = ", ".join(i.period.key for i in letter.issues[:3])
    raise _problem(command, f"{period.key} has no stories, so there is no such issue" + (f" (the latest: {latest})" if latest else ""))


def close_issue(letter: Newsletter, issue: Issue) -> Newsletter:
    """End the issue in progress now: `closed:` goes into its note (made if need be); stories added later go to the next one.

    The note is written only when the issues it leads to have no problem (a lead story
    that would move to the next issue, say)."""
    config = letter.config
    if not issue.in_progress:
        return letter
    if letter.now < issue.period.start:
        raise _problem("issue", f"{issue.period.key} has not started yet: nothing to close")
    stamp = letter.now.astimezone(ZoneInfo(config.timezone)).replace(microsecond=0).isoformat()
    rel = f"{ISSUES_DIR}/{issue.period.key}.md"
    path = config.root / rel
    text = with_closed(path.read_text(encoding="utf-8") if issue.period.key in letter.notes else "", stamp)
    note = parse_note(rel, text, config)
    if isinstance(note, list):
        raise SiteError(note)
    notes = {**letter.notes, note.period: note}
    issues, problems = assemble_issues(list(letter.articles.values()), list(notes.values()), config, letter.now)
    if problems:
        raise SiteError(problems)
    write_atomic(path, text)
    return dataclasses.replace(letter, notes=notes, issues=issues)


def with_closed(text: str, stamp: str) -> str:
    """The note with `closed: <stamp>` in its front matter, the rest of the file exactly as the editor wrote it."""
    line = f"closed: {stamp}"
    if not text.lstrip("\ufeff").startswith("---"):
        return f"---\n{line}\n---\n" + (f"\n{text}" if text else "")
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    existing = key_line(text, "closed")
    if existing:
        lines[existing - 1] = line + newline
        return "".join(lines)
    closing = FENCE.search(text, text.index("\n") + 1)
    assert closing is not None  # a note that parsed has a closed front matter
    return text[: closing.start()] + line + newline + text[closing.start() :]


def status(issue: Issue, config: Config) -> str:
    """'2026-W49 Week of 30 November 2026: 12 stories, 5 topics (in progress until Sunday 6 December 2026)'."""
    if issue.in_progress:
        state = f"in progress until the end of {issue.period.last_day_text}"
    elif issue.closes < issue.period.end:
        state = "closed early, " + readable_date(issue.closes, ZoneInfo(config.timezone))
    else:
        state = f"ended {issue.period.last_day_text}"
    return f"{issue.period.key} {issue.title}: {issue.count_text} ({state})"


def email_settings(config: Config) -> EmailSettings:
    if config.email is None:
        raise SiteError([Problem("config.yaml", None, "has no 'email:' settings: add 'email: {from: ..., list_unsubscribe: ...}' "
                                                      "to make issues into email (see docs/issues.md)")])
    return config.email


def write_email_files(letter: Newsletter, issue: Issue, folder: Path) -> list[Path]:
    """issue.html, issue.txt and issue.eml in `folder`: all three made first, then moved in, so none is half-written."""
    config = letter.config
    email_settings(config)
    mail = render_issue_email(issue, letter.articles, config, make_environment(config))
    eml = email_message(mail, issue, config).as_bytes()
    if folder.exists() and not folder.is_dir():
        raise _problem("issue", f"--email {folder} is a file, not a folder: name a folder to write issue.html, issue.txt and issue.eml into")
    folder.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[str, Path]] = []
    try:
        for name, data in zip(EMAIL_FILES, (mail.html.encode("utf-8"), mail.text.encode("utf-8"), eml), strict=True):
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=folder)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.chmod(tmp, 0o644)
            staged.append((tmp, folder / name))
        for tmp, target in staged:
            os.replace(tmp, target)
    finally:
        for tmp, _target in staged:
            if os.path.exists(tmp):
                os.unlink(tmp)
    return [folder / name for name in EMAIL_FILES]


def send_issue(letter: Newsletter, issue: Issue, recipients: list[str], *, again: bool, on_sent: Callable[[str], None]) -> SendReport:
    """Send the issue to each address that has not had it (all of them with `again`); every check first."""
    config = letter.config
    key = issue.period.key
    if issue.in_progress:
        raise _problem("send", f"{key} is in progress until the end of {issue.period.last_day_text}: send it once the {issue.period.kind} "
                               f"is over, or close it now with 'digest issue {key} --close'")
    settings = email_settings(config)
    if not settings.smtp_host:
        raise SiteError([Problem("config.yaml", None, "email.smtp_host is not set: add the SMTP server to send through under 'email:' (see docs/issues.md)")])
    addresses = check_recipients(recipients)
    before = already_sent(read_record(config.root), key)
    skipped = tuple((a, before[reader_key(a)]) for a in addresses if reader_key(a) in before) if not again else ()
    todo = [a for a in addresses if again or reader_key(a) not in before]
    if not todo:
        return SendReport(sent=(), skipped=skipped)
    password = password_for(settings)
    mail = render_issue_email(issue, letter.articles, config, make_environment(config))
    domain = sender_domain(settings)

    def message_for(address: str):
        return email_message(mail, issue, config, to=address, date=current_time(), message_id=make_msgid(f"issue-{key}", domain=domain))

    report = send_messages(settings, password, key, todo, message_for, config.root, current_time, on_sent)
    return SendReport(sent=report.sent, skipped=skipped, failure=report.failure, not_sent=report.not_sent)
