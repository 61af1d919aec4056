"""A cached build is byte-identical to a cold one, and rewrites only what changed."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from sitekit import article, build, cold_tree, make_site, tree


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    path.write_text(path.read_text().replace(old, new))


STEPS = [
    ("edit a body", lambda r: edit(r, "content/articles/b.md", "unfair", "unfair and rushed")),
    ("edit a title", lambda r: edit(r, "content/articles/c.md", "Third", "Third, retitled")),
    ("add an article", lambda r: (r / "content/articles/e.md").write_text(article("Fifth story", "2024-09-20", "[unions]"))),
    ("delete an article", lambda r: (r / "content/articles/a.md").unlink()),
    # No id of its own: the feed id comes from the file name, so its feed entries change.
    ("rename an article file", lambda r: (r / "content/articles/b.md").rename(r / "content/articles/b2.md")),
    ("change a template", lambda r: edit(r, "themes/default/templates/card.html", 'class="entry"', 'class="entry story-card"')),
    ("change the config", lambda r: edit(r, "config.yaml", "title: Test Digest", "title: Renamed Digest")),
    ("change a topic name", lambda r: edit(r, "config.yaml", "name: Unions", "name: Unions and bargaining")),
]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = make_site(tmp_path / "site", {
        "content/articles/a.md": article("First story", "2024-09-01"),
        "content/articles/b.md": article("Second story", "2024-09-02", "[return-to-office, unions]"),
        "content/articles/c.md": article("Third story", "2024-09-03", "[unions]"),
        "content/articles/d.md": article("Fourth story", "2024-10-04"),
    })
    shutil.copytree(Path(__file__).resolve().parents[1] / "themes" / "default", root / "themes" / "default")
    return root


def test_cached_builds_match_cold_builds_after_every_kind_of_change(site: Path, tmp_path: Path) -> None:
    out = site / "public"
    assert build(site, out).code == 0
    for name, change in STEPS:
        change(site)
        result = build(site, out)
        assert result.code == 0, (name, result.err)
        assert tree(out) == cold_tree(site, tmp_path), f"cached build differs from a cold build after: {name}"


def test_a_rebuild_with_nothing_changed_touches_no_file(site: Path) -> None:
    out = site / "public"
    assert build(site, out).code == 0
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()}
    result = build(site, out)
    assert result.code == 0
    assert "0 files written" in result.out
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()} == before


def test_editing_one_body_rewrites_only_that_articles_page(site: Path) -> None:
    out = site / "public"
    assert build(site, out).code == 0
    before = {p.relative_to(out).as_posix(): p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    edit(site, "content/articles/a.md", "unfair.", "unfair.\n\nA later paragraph adds detail.")
    assert build(site, out).code == 0
    after = {p.relative_to(out).as_posix(): p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    changed = {p for p in after if after[p] != before.get(p)}
    # Full text is republished here, so the feeds that carry the article change too.
    assert changed == {
        "articles/first-story/index.html",
        "feed.xml", "atom.xml", "feed.json",
        "topics/return-to-office/feed.xml", "topics/return-to-office/atom.xml", "topics/return-to-office/feed.json",
    } | {p for p in changed if p.startswith("search/")}


def test_deleting_the_cache_or_no_cache_gives_the_same_site(site: Path, tmp_path: Path) -> None:
    out = site / "public"
    assert build(site, out).code == 0
    shutil.rmtree(site / ".digest-cache")
    assert build(site, out).code == 0
    assert tree(out) == cold_tree(site, tmp_path)


@pytest.mark.parametrize("damaged", ["build.pickle", "articles-*.pickle"])
def test_a_damaged_cache_file_is_ignored(site: Path, tmp_path: Path, damaged: str) -> None:
    out = site / "public"
    assert build(site, out).code == 0
    for path in (site / ".digest-cache").glob(damaged):
        path.write_bytes(b"not a pickle")
    edit(site, "content/articles/b.md", "unfair", "unfair and rushed")
    assert build(site, out).code == 0
    assert tree(out) == cold_tree(site, tmp_path)


def test_stale_files_are_removed_and_empty_folders_too(site: Path) -> None:
    out = site / "public"
    assert build(site, out).code == 0
    assert (out / "articles/fourth-story/index.html").exists()
    (site / "content/articles/d.md").unlink()
    assert build(site, out).code == 0
    assert not (out / "articles/fourth-story").exists()
    assert not (out / "archive/2024/10").exists()


def test_a_file_changed_in_the_output_by_hand_is_rewritten(site: Path, tmp_path: Path) -> None:
    out = site / "public"
    assert build(site, out).code == 0
    page = out / "articles/first-story/index.html"
    page.write_text("tampered")
    os.utime(page, ns=(1, 1))
    assert build(site, out).code == 0
    assert tree(out) == cold_tree(site, tmp_path)


def test_a_template_edited_between_builds_in_one_process_is_read_again(site: Path) -> None:
    """The preview server builds many times in one process: each build reads the theme afresh."""
    out = site / "public"
    template = site / "themes" / "default" / "templates" / "404.html"
    template.write_text("<!doctype html><title>Lost</title><p>First wording.</p>\n", encoding="utf-8")
    assert build(site, out).code == 0
    assert "First wording." in (out / "404.html").read_text(encoding="utf-8")
    template.write_text("<!doctype html><title>Lost</title><p>Second wording.</p>\n", encoding="utf-8")
    assert build(site, out).code == 0
    assert "Second wording." in (out / "404.html").read_text(encoding="utf-8")


def test_a_build_with_nothing_to_do_reads_no_article(site: Path, monkeypatch) -> None:
    import generator.build

    out = site / "public"
    first = build(site, out)
    assert first.code == 0

    def fail(*args, **kwargs):
        raise AssertionError("articles were read although nothing changed")

    monkeypatch.setattr(generator.build, "prepare_articles", fail)
    again = build(site, out)
    assert again.code == 0, again.err
    assert "0 files written" in again.out
    # The same report as the build that did the work: articles, pages and feeds.
    assert again.out.split(" in ")[0] == first.out.split(" in ")[0]


@pytest.mark.parametrize("change", ["delete an output file", "touch an article", "another output folder"])
def test_any_change_makes_the_build_run_again(site: Path, tmp_path: Path, change: str) -> None:
    out = site / "public"
    assert build(site, out).code == 0
    if change == "delete an output file":
        (out / "articles/first-story/index.html").unlink()
    elif change == "touch an article":
        os.utime(site / "content/articles/a.md", ns=(1, 1))
    else:
        out = tmp_path / "elsewhere"
    assert build(site, out).code == 0
    assert tree(out) == cold_tree(site, tmp_path)


def test_building_with_drafts_after_a_build_without_them_shows_them(site: Path) -> None:
    (site / "content/articles/e.md").write_text(article("A draft story", "2024-10-05", draft="true"), encoding="utf-8")
    out = site / "public"
    assert build(site, out).code == 0
    assert not (out / "articles/a-draft-story/index.html").exists()
    assert build(site, out, "--drafts").code == 0
    assert (out / "articles/a-draft-story/index.html").exists()
    assert build(site, out).code == 0
    assert not (out / "articles/a-draft-story/index.html").exists()
