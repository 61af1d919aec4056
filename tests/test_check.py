"""`digest check`: what a build would refuse, reported as the build reports it, plus what a reader
would hit; one line per problem, a summary line, exit 1 when publishing is blocked, no site written."""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

import pytest
from conftest import all_files, make_site, sample_files

from generator.cli import main

CASES = Path(__file__).parent / "sites" / "invalid"


def run_check(site: Path, *args: str) -> tuple[int, list[str], str]:
    """`digest check` in the site folder: (exit status, lines on stdout, stderr)."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.chdir(site), contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(["check", "--config", "config.yaml", *args])
    return code, stdout.getvalue().splitlines(), stderr.getvalue()


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_reports_every_content_and_config_error_exactly_as_the_build(tmp_path, case):
    site = tmp_path / "site"
    shutil.copytree(CASES / case, site, ignore=shutil.ignore_patterns("expected.txt"))
    before = all_files(site)
    code, lines, err = run_check(site)
    build_lines = (CASES / case / "expected.txt").read_text(encoding="utf-8").splitlines()[:-1]  # less "nothing was written"
    assert code == 1 and err == ""
    assert lines[:-1] == build_lines
    assert lines[-1].startswith(f"{len(build_lines)} error{'s' if len(build_lines) != 1 else ''} in the settings or articles")
    assert all_files(site) == before  # nothing written, not even the build cache


def test_a_clean_site_is_ready_and_nothing_is_written_but_the_cache(tmp_path):
    files = sample_files()
    for rel in ("content/articles/undated.md", "content/articles/old-news.md"):
        files[rel] = files[rel].replace("\n---\n", "\nsource_url: https://news.example.com/story\n---\n", 1)
    site = make_site(tmp_path / "site", files)
    code, lines, err = run_check(site)
    assert (code, err) == (0, "")
    assert lines[-1].startswith("checked 4 articles in ") and lines[-1].endswith(": 0 errors, 0 warnings; ready to publish")
    assert lines[:-1] == []
    written = {rel for rel in all_files(site) if rel not in files}
    assert written and all(rel.startswith(".digest-cache/") for rel in written)
    assert run_check(site)[1][:-1] == []  # and again from the cache


def test_open_review_items_and_missing_source_urls_are_warnings_that_strict_turns_into_blockers(tmp_path):
    files = sample_files()
    files["content/articles/undated.md"] = files["content/articles/undated.md"].replace("tags: [unions]\n", "tags: [unions]\nreview: [date, authors]\n")
    site = make_site(tmp_path / "site", files)
    code, lines, _err = run_check(site)
    assert lines[:-1] == [
        "warning: content/articles/old-news.md: no 'source_url': readers cannot reach the original story; add 'source_url: https://...'",
        "warning: content/articles/undated.md: no 'source_url': readers cannot reach the original story; add 'source_url: https://...'",
        "warning: content/articles/undated.md:5: open review items: check date, authors, then remove them from 'review:'",
    ]
    assert code == 0 and lines[-1].endswith(": 0 errors, 3 warnings; ready to publish (warnings block it only with --strict)")
    code, strict_lines, _err = run_check(site, "--strict")
    assert code == 1 and strict_lines[:-1] == lines[:-1]
    assert strict_lines[-1].endswith(": 0 errors, 3 warnings; not ready to publish: fix the warnings (--strict) above")


def test_drafts_are_checked_only_with_drafts(tmp_path):
    site = make_site(tmp_path / "site", sample_files())
    draft_line = "warning: content/articles/draft.md: no 'source_url': readers cannot reach the original story; add 'source_url: https://...'"
    assert draft_line not in run_check(site)[1]
    assert draft_line in run_check(site, "--drafts")[1]


def test_notes_name_articles_whose_feed_id_is_derived(tmp_path):
    files = sample_files()
    files["content/articles/old-news.md"] = files["content/articles/old-news.md"].replace("id: urn:uuid:6a1c2b0e-0000-4000-8000-000000000004\n", "")
    code, lines, _err = run_check(make_site(tmp_path / "site", files))
    assert "note: content/articles/old-news.md: no 'id:'; its feed id is derived from the file name and changes if the file is renamed" in lines
    assert code == 0 and lines[-1].endswith("2 warnings; ready to publish (warnings block it only with --strict)")  # a note is no warning
