"""The preview's site in memory: after every kind of edit, its output is what `digest build` writes from scratch."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sitekit import article, cold_tree, make_site, tree

from generator.resident import ResidentSite


def edit(root: Path, rel: str, old: str, new: str) -> Path:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.write_text(text, encoding="utf-8")
    return path


def remove(root: Path, rel: str) -> Path:
    path = root / rel
    path.unlink()
    return path


def rename(root: Path, rel: str, new: str) -> list[Path]:
    (root / rel).rename(root / new)
    return [root / rel, root / new]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    files = {f"content/articles/{n}.md": article(f"Story number {n}", f"2024-09-{n:02d}T10:00:00-04:00",
                                                  "[unions]" if n % 3 else "[return-to-office, unions]",
                                                  f"Workers at site {n} said the policy was unfair.\n\nA second paragraph.")
             for n in range(1, 10)}
    root = make_site(tmp_path / "site", files)
    shutil.copytree(Path(__file__).resolve().parents[1] / "themes" / "default", root / "themes" / "default")
    return root


@pytest.fixture
def live(site: Path, tmp_path: Path) -> tuple[ResidentSite, Path]:
    """The site in memory after its first build, and its output folder."""
    out = tmp_path / "out"
    resident = ResidentSite(site / "config.yaml", out)
    assert resident.update().error is None
    return resident, out


# (name, change, how the preview applies it)
STEPS = [
    ("body", lambda r: edit(r, "content/articles/5.md", "A second paragraph.", "A second paragraph, rewritten."), "in place"),
    ("title", lambda r: edit(r, "content/articles/4.md", "Story number 4", "Story number four, retitled"), "in place"),
    ("date", lambda r: edit(r, "content/articles/2.md", "2024-09-02T10:00", "2024-09-12T10:00"), "reordered"),
    # Its first topic changes, and with it where its issue lists it: cut again.
    ("tags", lambda r: edit(r, "content/articles/7.md", "tags: [unions]", "tags: [return-to-office]"), "reordered"),
    ("a topic added", lambda r: edit(r, "content/articles/8.md", "tags: [unions]", "tags: [unions, return-to-office]"), "in place"),
    ("a topic dropped", lambda r: edit(r, "content/articles/3.md", "tags: [return-to-office, unions]", "tags: [return-to-office]"), "in place"),
    ("new article", lambda r: write(r, "content/articles/new.md", article("A new story", "2024-09-05T12:00:00-04:00", "[unions]")), "reordered"),
    ("deleted article", lambda r: remove(r, "content/articles/3.md"), "reordered"),
    ("draft flag", lambda r: edit(r, "content/articles/6.md", "tags:", "draft: true\ntags:"), "reordered"),
    # No id: its feed id comes from the file name, so the renamed file is another story in the feeds.
    ("renamed file", lambda r: rename(r, "content/articles/8.md", "content/articles/eight.md"), "reordered"),
    ("config", lambda r: edit(r, "config.yaml", "title: Test Digest", "title: Renamed Digest"), "full"),
    ("template", lambda r: edit(r, "themes/default/templates/card.html", 'class="entry"', 'class="entry story-card"'), "full"),
    ("static file", lambda r: edit(r, "themes/default/static/style.css", "body", "body "), "static"),
]


def test_the_output_in_memory_matches_a_cold_build_after_every_kind_of_edit(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    resident = ResidentSite(site / "config.yaml", out)
    first = resident.update()
    assert first.kind == "full" and first.error is None
    assert tree(out) == cold_tree(site, tmp_path)
    for name, change, how in STEPS:
        changed = change(site)
        report = resident.update(changed if isinstance(changed, list) else [changed])
        assert report.error is None, (name, report.error)
        assert report.kind == how, (name, report.kind)
        assert tree(out) == cold_tree(site, tmp_path), f"the preview's output differs from a cold build after: {name}"


def test_an_edit_in_place_writes_only_what_shows_it(site: Path, live: tuple[ResidentSite, Path]) -> None:
    resident, _out = live
    report = resident.update([edit(site, "content/articles/1.md", "A second paragraph.", "A second paragraph, longer now.")])
    assert report.kind == "in place"
    assert "articles/story-number-1/index.html" in report.written
    assert not any(p.startswith("articles/") and "story-number-1/" not in p for p in report.written)
    assert not any(p.startswith(("topics/unions/page", "archive/", "page/")) for p in report.written)


def test_an_invalid_article_keeps_its_last_good_version_and_names_the_problem(site: Path, tmp_path: Path, live: tuple[ResidentSite, Path]) -> None:
    resident, out = live
    before = tree(out)
    report = resident.update([edit(site, "content/articles/5.md", "date: 2024-09-05T10:00:00-04:00", "date: 2024-02-30")])
    assert report.error is not None and "content/articles/5.md:3" in report.error and "impossible date" in report.error
    assert tree(out) == before  # the story's last good version stays up
    # Another story's edit still goes through while the first is broken.
    report = resident.update([edit(site, "content/articles/8.md", "A second paragraph.", "Fresh words.")])
    assert "Fresh words." in (out / "articles/story-number-8/index.html").read_text(encoding="utf-8")
    assert report.error is not None and "content/articles/5.md:3" in report.error
    report = resident.update([edit(site, "content/articles/5.md", "date: 2024-02-30", "date: 2024-09-05T10:00:00-04:00")])
    assert report.error is None
    assert tree(out) == cold_tree(site, tmp_path)


def test_a_slug_clash_keeps_the_edited_story_out_until_it_is_resolved(site: Path, tmp_path: Path, live: tuple[ResidentSite, Path]) -> None:
    resident, out = live
    clash = edit(site, "content/articles/2.md", "title: 'Story number 2'", "title: 'Story number 1'")
    report = resident.update([clash])
    assert report.error is not None and "content/articles/2.md" in report.error and "same URL" in report.error
    assert (out / "articles/story-number-2/index.html").exists()
    # Resolving the clash from the other file lets the first one in.
    report = resident.update([edit(site, "content/articles/1.md", "title: 'Story number 1'", "title: 'Story number one'")])
    assert report.error is None
    assert tree(out) == cold_tree(site, tmp_path)


def test_a_broken_config_keeps_the_last_good_site_until_it_is_fixed(site: Path, tmp_path: Path, live: tuple[ResidentSite, Path]) -> None:
    resident, out = live
    before = tree(out)
    report = resident.update([edit(site, "config.yaml", "per_page: 2", "per_page: two")])
    assert report.error is not None and "config.yaml" in report.error and "per_page" in report.error
    assert tree(out) == before
    report = resident.update([edit(site, "content/articles/1.md", "A second paragraph.", "Changed meanwhile.")])
    assert report.error is not None  # still broken: nothing half-applied
    report = resident.update([edit(site, "config.yaml", "per_page: two", "per_page: 3")])
    assert report.error is None and report.kind == "full"
    assert tree(out) == cold_tree(site, tmp_path)


# -- issues: notes, a story's new slug, and the clock ------------------------------------------


def test_issue_notes_retitled_stories_and_the_end_of_the_week_match_a_cold_build(tmp_path: Path) -> None:
    from issuekit import make_issue_site, pinned_now, run

    site = make_issue_site(tmp_path / "site")
    out = tmp_path / "out"

    def same_as_cold(now: str = "2026-12-09T12:00:00-05:00") -> None:
        cold_out = tmp_path / "cold"
        shutil.rmtree(cold_out, ignore_errors=True)
        assert run(site, "build", "--no-cache", "--out", str(cold_out), now=now).code == 0
        assert tree(out) == tree(cold_out)

    with pinned_now("2026-12-09T12:00:00-05:00"):
        resident = ResidentSite(site / "config.yaml", out)
        assert resident.update().error is None
        same_as_cold()
        note = edit(site, "content/issues/2026-W49.md", "Strikes spread", "Strikes spread fast")
        assert resident.update([note]).kind == "reordered"
        same_as_cold()
        # A story in an issue gets a new title, so a new slug: its issue follows, in place.
        story = edit(site, "content/articles/plant.md", "Plant closes, 300 jobs lost", "Plant closes, 320 jobs lost")
        report = resident.update([story])
        assert (report.kind, report.error) == ("in place", None)
        same_as_cold()
        # The note's lead names a story by its slug: renaming that story is the note's problem, reported.
        lead = edit(site, "content/articles/nurses.md", "Nurses strike over staffing", "Nurses strike again")
        report = resident.update([lead])
        assert report.error is not None and "content/issues/2026-W49.md" in report.error and "nurses-strike-over-staffing" in report.error
        edit(site, "content/articles/nurses.md", "Nurses strike again", "Nurses strike over staffing")
        assert resident.update([lead]).error is None
        same_as_cold()
    deadline = resident.deadline()
    assert deadline is not None  # the week of 7 December is in progress
    with pinned_now("2026-12-14T08:00:00-05:00"):  # ...until Monday: the preview cuts the issues again by itself
        report = resident.update([])
        assert report.kind == "reordered" and "issues/feed.xml" in report.written
        same_as_cold("2026-12-14T08:00:00-05:00")
