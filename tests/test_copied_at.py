"""`digest ingest --copied-at`, and the source file's time without it: what relative and yearless dates resolve against."""

from __future__ import annotations

import contextlib
import os
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sitekit import digest, make_site

from generator.config import load_config
from generator.load import load_article

SOURCE = "content/sources/page.txt"
PAGE = """Home
News

Warehouse workers vote to form a union after a long campaign

By Ana Lima
{date}

Workers at the warehouse voted on Tuesday to join the union, ending a campaign that lasted more than two years and drew national attention.

The company said it would respect the result of the vote, and that talks on a first contract would begin in the spring, according to a statement.
"""


def ingest(site: Path, shown: str, *options: str, mtime: datetime | None = None):
    """Ingest a page showing `shown` as its date; (the run, the article or None)."""
    path = site / SOURCE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(PAGE.format(date=shown), encoding="utf-8")
    if mtime is not None:
        os.utime(path, (mtime.timestamp(), mtime.timestamp()))
    with contextlib.chdir(site):
        run = digest("ingest", SOURCE, *options)
    if run.code != 0:
        return run, None
    rel = run.out.split(" -> ")[1].split(":")[0]
    article = load_article(rel, site / rel, load_config(site / "config.yaml"))
    assert not isinstance(article, list), article
    return run, article


@pytest.mark.parametrize("shown, copied_at, day", [
    ("Yesterday at 9:14", "2026-12-01T09:30", "2026-11-30"),
    ("3 hours ago", "2026-12-01T01:30", "2026-11-30"),  # the site's zone (New York) when none is given
    ("3 hours ago", "2026-12-01T06:30+00:00", "2026-12-01"),
    ("Updated 2 days ago", "2026-12-01", "2026-11-29"),
    ("March 3", "2026-01-10T08:00", "2025-03-03"),  # without a year: the last March 3 before the copy
    ("December 30", "2026-12-31T08:00", "2026-12-30"),
])
def test_copied_at_resolves_relative_and_yearless_dates_to_review(tmp_path, shown, copied_at, day):
    run, article = ingest(make_site(tmp_path), shown, "--copied-at", copied_at)
    assert run.code == 0, run.err
    assert article.date.date().isoformat() == day
    assert "date" in article.review and "date" in run.out  # "to review: ..., date"


def test_a_date_with_its_year_is_not_sent_to_review(tmp_path):
    _run, article = ingest(make_site(tmp_path), "March 3, 2021", "--copied-at", "2026-12-01")
    assert article.date.date().isoformat() == "2021-03-03" and "date" not in article.review


def test_without_the_option_the_source_file_time_is_the_copy_time(tmp_path):
    copied = datetime(2025, 3, 4, 10, 0, tzinfo=ZoneInfo("America/New_York"))
    _run, article = ingest(make_site(tmp_path), "Yesterday at 9:14", mtime=copied)
    assert article.date.date().isoformat() == "2025-03-03" and "date" in article.review
    _run, article = ingest(make_site(tmp_path / "b"), "June 9", mtime=copied)
    assert article.date.date().isoformat() == "2024-06-09"


@pytest.mark.parametrize("value", ["yesterday", "2026-13-01", "01/12/2026", ""])
def test_a_bad_copied_at_is_one_error_naming_the_option_and_nothing_is_written(tmp_path, value):
    site = make_site(tmp_path)
    run, _article = ingest(site, "3 hours ago", "--copied-at", value)
    assert run.code == 2 and run.out == ""
    assert run.err.count("\n") == 1 and run.err.startswith(f"error: --copied-at: '{value}' is not a date")
    assert "2026-12-01T09:30" in run.err and "Traceback" not in run.err
    assert not (site / "content" / "articles").exists() or not list((site / "content" / "articles").iterdir())
