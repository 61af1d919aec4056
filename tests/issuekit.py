"""A digest with three weeks of stories, cut into issues, for the issue, email and send tests.

Week 2026-W48 has one story, 2026-W49 (30 November to 6 December, with an editor's
note) has stories in every shape an issue must handle, 2026-W50 is in progress at
NOW. Times are in America/New_York, the site's time zone.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from conftest import CONFIG as SAMPLE_CONFIG
from conftest import make_site

from generator.cli import main

NOW = "2026-12-09T12:00:00-05:00"  # a Wednesday in 2026-W50
BASE_URL = "https://example.org/digest/"

# The sample digest's settings (conftest.CONFIG), with email settings for a server on loopback.
CONFIG = SAMPLE_CONFIG + """\
email:
  from: Labor Digest <digest@example.org>
  list_unsubscribe: [mailto:leave@example.org, https://example.org/leave]
  smtp_host: 127.0.0.1
  smtp_port: {port}
  starttls: false
{extra}"""


def story(title: str, added: str, tags: str = "[]", date: str | None = None, **extra: str) -> str:
    lines = [f"title: {title!r}", f"added: {added}", f"tags: {tags}", "publication: The Daily Worker",
             f"summary: {title} and what it means for the people who do the work."]
    if date:
        lines.append(f"date: {date}")
    lines += [f"{k}: {v}" for k, v in extra.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\nThe story's body.\n"


STORIES = {
    "port": story("Port workers ratify contract", "2026-11-24T10:00:00-05:00", "[unions]", date="2026-11-24T09:00:00-05:00"),
    "nurses": story("Nurses strike over staffing", "2026-12-01T08:00:00-05:00", "[unions]", date="2026-12-01T07:00:00-05:00"),
    "bank": story("Bank orders staff back to the office", "2026-12-02T09:00:00-05:00", "[return-to-office, unions]", date="2026-12-02T08:00:00-05:00"),
    "plant": story("Plant closes, 300 jobs lost", "2026-12-03T11:00:00-05:00", "[layoffs]", date="2026-12-03T10:00:00-05:00"),
    "untagged": story("City council hears from bus drivers", "2026-12-04T15:00:00-05:00", date="2026-12-04T14:00:00-05:00"),
    # An old story ingested late: it reaches readers in the week it was added, with its own date.
    "old": story("A 2019 walkout, remembered", "2026-12-02T16:00:00-05:00", "[unions]", date="2019-05-01T12:00:00-04:00"),
    # Sunday evening in New York is Monday in UTC: still the week of 30 November here.
    "sunday": story("Sunday night vote at the depot", "2026-12-06T23:30:00-05:00", "[unions]", date="2026-12-06T23:00:00-05:00"),
    "draft": story("An unfinished draft", "2026-12-02T10:00:00-05:00", "[unions]", draft="true"),
    "warehouse": story("Warehouse vote set", "2026-12-08T10:00:00-05:00", "[unions]", date="2026-12-08T09:00:00-05:00"),
}
SLUGS = {
    "port": "port-workers-ratify-contract", "nurses": "nurses-strike-over-staffing", "bank": "bank-orders-staff-back-to-the-office",
    "plant": "plant-closes-300-jobs-lost", "untagged": "city-council-hears-from-bus-drivers", "old": "a-2019-walkout-remembered",
    "sunday": "sunday-night-vote-at-the-depot", "warehouse": "warehouse-vote-set",
}
W49_TITLES = ["Nurses strike over staffing", "Bank orders staff back to the office", "Plant closes, 300 jobs lost",
              "City council hears from bus drivers", "A 2019 walkout, remembered", "Sunday night vote at the depot"]

NOTE = """\
---
title: Strikes spread
lead: [nurses-strike-over-staffing]
---

A week of **walkouts**. Read [the union's statement](https://union.example/statement) and
[our archive](../../archive/).
"""


def site_files(base_url: str = BASE_URL, port: int = 2525, extra: str = "", note: str | None = NOTE) -> dict[str, str]:
    files = {"config.yaml": CONFIG.format(base_url=base_url, port=port, extra=extra)}
    files.update({f"content/articles/{name}.md": text for name, text in STORIES.items()})
    if note is not None:
        files["content/issues/2026-W49.md"] = note
    return files


def make_issue_site(root: Path, **kw) -> Path:
    return make_site(root, site_files(**kw))


@contextlib.contextmanager
def pinned_now(now: str = NOW) -> Iterator[None]:
    """The digest's clock (LABOR_DIGEST_NOW) set to `now` while the block runs."""
    before = os.environ.get("LABOR_DIGEST_NOW")
    os.environ["LABOR_DIGEST_NOW"] = now
    try:
        yield
    finally:
        if before is None:
            del os.environ["LABOR_DIGEST_NOW"]
        else:
            os.environ["LABOR_DIGEST_NOW"] = before


@dataclass(frozen=True)
class Ran:
    code: int
    out: str
    err: str


def run(site: Path, *args: str, now: str = NOW) -> Ran:
    """Run `digest ARGS` in the site folder at a pinned time, as an editor would."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with pinned_now(now), contextlib.chdir(site), contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(list(args))
    return Ran(code, stdout.getvalue(), stderr.getvalue())
