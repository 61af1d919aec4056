"""ingest_paths(): bad inputs fail one by one, an editor's work is never lost, writes are atomic."""

from __future__ import annotations

import io
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from generator.config import parse_config
from generator.frontmatter import fingerprint, split
from generator.ingest import IngestResult, decode, ingest_paths

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "content" / "sources"
FORTUNE = SEEDS / "fortune-amazon-rto-announcement.txt"
MOTHERBOARD = SEEDS / "motherboard-amazon-employees-defy-communications-policy.txt"
TODAY = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)

ARTICLE = """Nav
Home
News

Warehouse workers vote to form a union after a long campaign

By Ana Lima
March 3, 2021

Workers at the warehouse voted on Tuesday to join the union, ending a campaign that lasted more than two years and drew national attention.

The company said it would respect the result of the vote, and that talks on a first contract would begin in the spring, according to a statement.

“We did this together,” said one of the organisers, who has worked at the site for a decade and helped to gather the signatures that forced the vote.
"""


@pytest.fixture
def site(tmp_path):
    config = parse_config("title: Test Digest\nbase_url: https://example.org/\n", tmp_path)
    (tmp_path / "content" / "sources").mkdir(parents=True)
    return tmp_path, config


def run(site, *paths, **kwargs) -> list[IngestResult]:
    root, config = site
    return ingest_paths([str(p) for p in paths], root / "content" / "articles", config, today=TODAY, **kwargs)


def source(site, name: str, data: str | bytes) -> Path:
    path = site[0] / "content" / "sources" / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def read(root: Path, rel: str) -> tuple[dict, str]:
    data, body, _line, problems = split((root / rel).read_text(encoding="utf-8"), rel)
    assert not problems
    return data, body


def test_seeds_ingest_with_honest_front_matter(site):
    root, _ = site
    f = source(site, "fortune.txt", FORTUNE.read_bytes())
    m = source(site, "motherboard.txt", MOTHERBOARD.read_bytes())
    results = run(site, f, m)
    assert [r.status for r in results] == ["written", "written"]
    data, body = read(root, results[0].article)
    assert data["authors"] == ["Jason Del Rey"]
    assert data["date"] == "2024-09-17T18:10:00-04:00"
    assert data["publication"] == "Fortune" and data["section"] == "Tech"
    assert data["source_file"] == "content/sources/fortune.txt"
    assert data["id"].startswith("urn:uuid:") and data["added"] == "2026-01-05"
    assert data["source_hash"].startswith("sha256:")
    assert data["ingest_hash"] == fingerprint(data, body)
    assert "Most Popular" not in body
    data, body = read(root, results[1].article)
    assert "authors" not in data and "date" not in data
    assert {"authors", "date"} <= set(data["review"])
    assert data["dek"].startswith("In a video released Monday")
    assert all(value not in (None, "", []) for value in data.values())


def test_front_matter_loads_in_the_site(site):
    from generator.load import parse_article

    root, config = site
    results = run(site, source(site, "fortune.txt", FORTUNE.read_bytes()))
    text = (root / results[0].article).read_text(encoding="utf-8")
    article = parse_article(results[0].article, text, config)
    assert not isinstance(article, list), article
    assert article.date.isoformat() == "2024-09-17T18:10:00-04:00"


def test_unchanged_source_rewrites_nothing(site):
    root, _ = site
    path = source(site, "a.txt", ARTICLE)
    first = run(site, path)[0]
    target = root / first.article
    before = (target.read_bytes(), target.stat().st_mtime_ns)
    os.utime(target, ns=(1_000_000_000, 1_000_000_000))
    again = run(site, path)[0]
    assert again.status == "unchanged" and again.article == first.article
    assert target.read_bytes() == before[0]
    assert target.stat().st_mtime_ns == 1_000_000_000


def test_hand_edited_article_is_skipped_and_force_overwrites(site):
    root, _ = site
    path = source(site, "a.txt", ARTICLE)
    target = root / run(site, path)[0].article
    edited = target.read_text(encoding="utf-8").replace("ending a campaign", "ending a bitter campaign")
    target.write_text(edited, encoding="utf-8")
    source(site, "a.txt", ARTICLE + "\nA later paragraph added to the page by its editors, with more detail on the vote and the count.\n")
    skipped = run(site, path)[0]
    assert skipped.status == "skipped" and "by hand" in skipped.message and "--force" in skipped.message
    assert target.read_text(encoding="utf-8") == edited
    forced = run(site, path, force=True)[0]
    assert forced.status == "overwritten" and "--force" in forced.message
    assert "bitter" not in target.read_text(encoding="utf-8")


def test_changed_source_keeps_id_and_added(site):
    root, config = site
    path = source(site, "a.txt", ARTICLE)
    first = run(site, path)[0]
    data, _ = read(root, first.article)
    source(site, "a.txt", ARTICLE.replace("two years", "three years"))
    later = ingest_paths([str(path)], root / "content" / "articles", config, today=datetime(2026, 2, 1, tzinfo=UTC))[0]
    assert later.status == "updated" and later.article == first.article
    new, body = read(root, later.article)
    assert new["id"] == data["id"] and new["added"] == data["added"] == "2026-01-05"
    assert new["source_hash"] != data["source_hash"] and "three years" in body


def test_title_collision_gets_a_distinct_file(site):
    root, _ = site
    a = source(site, "a.txt", ARTICLE)
    b = source(site, "b.txt", ARTICLE.replace("two years", "five years"))
    first, second = run(site, a, b)
    assert first.status == second.status == "written"
    assert first.article != second.article and second.article.endswith("-2.md")
    assert read(root, second.article)[0]["slug"].endswith("-2")
    assert "two years" in read(root, first.article)[1]


def test_stdin(site):
    root, _ = site
    result = run(site, "-", stdin=io.BytesIO(ARTICLE.encode("utf-8")))[0]
    assert result.status == "written" and result.source == "<stdin>"
    data, _ = read(root, result.article)
    assert data["source_file"] == "<stdin>"
    assert run(site, "-", stdin=ARTICLE.encode("utf-8"))[0].status == "unchanged"


def test_bad_inputs_fail_one_by_one(site):
    root, _ = site
    good = source(site, "good.txt", ARTICLE)
    bad = {
        "empty.txt": b"  \n\n",
        "binary.txt": bytes(range(256)) * 40,
        "huge.txt": b"word " * (4 * 1024 * 1024),  # 20 MB
        "menu.txt": "\n".join(["Home", "News", "Sports", "Weather", "Contact", "About us"] * 30).encode(),
        "blank.txt": b"Workers walk out" + b"\n" * 1_000_000,
        "page.txt": ("<!DOCTYPE html><html><body><p>" + ARTICLE + "</p></body></html>").encode(),
    }
    paths = [source(site, name, data) for name, data in bad.items()]
    results = run(site, paths[0], paths[1], good, *paths[2:], root / "missing.txt")
    by_source = {Path(r.source).name: r for r in results}
    assert by_source["good.txt"].status == "written"
    for name in [*bad, "missing.txt"]:
        assert by_source[name].status == "failed", name
        assert by_source[name].message
    assert "empty" in by_source["empty.txt"].message
    assert "binary" in by_source["binary.txt"].message
    assert "MB" in by_source["huge.txt"].message
    assert "no article" in by_source["menu.txt"].message
    assert "a list of 180 short lines" in by_source["menu.txt"].message
    assert "shows 1 line but no run of paragraphs" in by_source["blank.txt"].message
    assert "no headline" in by_source["page.txt"].message  # read as HTML: a page with no <h1> or <title>
    assert "does not exist" in by_source["missing.txt"].message
    assert len(list((root / "content" / "articles").glob("*.md"))) == 1


def test_cp1252_source_keeps_curly_quotes(site):
    root, _ = site
    text = ARTICLE.replace("“We did this together,”", "“We didn’t do this alone,” — ")
    path = source(site, "cp.txt", text.encode("cp1252"))
    result = run(site, path)[0]
    assert result.status == "written"
    assert "“We didn’t do this alone,” — " in read(root, result.article)[1]


@pytest.mark.parametrize(
    "raw, text",
    [
        ("caf\u00e9 “quoted”".encode("utf-8"), "café “quoted”"),
        (b"\xef\xbb\xbfplain", "plain"),
        ("plain ’".encode("utf-16"), "plain ’"),
        ("caf\u00e9 “quoted”".encode("cp1252"), "café “quoted”"),
        ("caf\u00e9 ".encode("latin-1") * 50 + b"\x81", "café " * 50 + "\x81"),  # undefined in cp1252
        # UTF-8 with a stray byte and a cut character stays UTF-8 (not cp1252 mojibake); a NUL is not binary
        ("caf\u00e9 “quoted” ".encode("utf-8") * 10 + b"\xff" + "’s".encode()[:2] + b" x\x00", "café “quoted” " * 10 + "\ufffd\ufffd x\x00"),
    ],
)
def test_decode(raw, text):
    assert decode(raw) == text


def test_folder_ingests_every_txt(site):
    root, _ = site
    source(site, "a.txt", ARTICLE)
    source(site, "notes.md", "not a source")
    results = run(site, root / "content" / "sources")
    assert [(Path(r.source).name, r.status) for r in results] == [("a.txt", "written")]
    assert not list((root / "content" / "articles").glob(".*.tmp"))


def test_force_on_an_unchanged_source_keeps_id_and_added(site):
    root, config = site
    path = source(site, "a.txt", ARTICLE)
    first = run(site, path)[0]
    data, _ = read(root, first.article)
    target = root / first.article
    target.write_text(target.read_text(encoding="utf-8").replace("Workers at", "Staff at"), encoding="utf-8")
    forced = ingest_paths([str(path)], root / "content" / "articles", config, force=True, today=datetime(2026, 3, 1, tzinfo=UTC))[0]
    assert forced.status == "overwritten" and forced.article == first.article
    new, body = read(root, forced.article)
    assert new["id"] == data["id"] and new["added"] == "2026-01-05"
    assert body.startswith("Workers at")
    assert run(site, path, force=True)[0].status == "unchanged"  # nothing left to replace


def test_a_crash_on_one_page_does_not_stop_the_others(site, monkeypatch):
    from generator.ingest import pipeline as ingest

    real = ingest.extract

    def flaky(text, copied_at=None):
        if "EXPLODE" in text:
            raise RuntimeError("boom")
        return real(text, copied_at=copied_at)

    monkeypatch.setattr(ingest, "extract", flaky)
    bad = source(site, "bad.txt", ARTICLE + "\nEXPLODE\n")
    good = source(site, "good.txt", ARTICLE.replace("two years", "six years"))
    results = run(site, bad, good)
    assert [r.status for r in results] == ["failed", "written"]
    assert "bug" in results[0].message


def test_a_hand_written_article_with_the_same_slug_is_not_shadowed(site):
    root, _ = site
    articles = root / "content" / "articles"
    articles.mkdir(parents=True)
    (articles / "my-note.md").write_text(
        "---\ntitle: Warehouse workers vote to form a union after a long campaign\nadded: 2026-01-01\n---\n\nMy own notes.\n",
        encoding="utf-8",
    )
    result = run(site, source(site, "a.txt", ARTICLE))[0]
    assert result.article.endswith("warehouse-workers-vote-to-form-a-union-after-a-long-campaign-2.md")
    assert (articles / "my-note.md").read_text(encoding="utf-8").endswith("My own notes.\n")


def test_force_keeps_the_editors_topic_decisions(tmp_path):
    """--force replaces the text, never a topic an editor added or removed by hand."""
    import yaml as _yaml

    from generator.cli import main as _main

    root = tmp_path / "site"
    (root / "content" / "sources").mkdir(parents=True)
    shutil.copy(ROOT / "config.yaml", root / "config.yaml")
    source = root / "content" / "sources" / "fortune.txt"
    shutil.copy(ROOT / "content" / "sources" / "fortune-amazon-rto-announcement.txt", source)
    assert _main(["ingest", "--config", str(root / "config.yaml"), str(source)]) == 0
    [article] = (root / "content" / "articles").glob("*.md")
    text = article.read_text(encoding="utf-8")
    assert "- return-to-office\n" in text
    # The editor removes return-to-office and adds unions, by editing tags only.
    head, body = text.split("\n---\n", 1)
    data = _yaml.safe_load(head.removeprefix("---\n"))
    data["tags"] = [t for t in data["tags"] if t != "return-to-office"] + ["unions"]
    article.write_text("---\n" + _yaml.safe_dump(data, sort_keys=False, allow_unicode=True) + "---\n" + body, encoding="utf-8")
    assert _main(["ingest", "--config", str(root / "config.yaml"), "--force", str(source)]) == 0
    after = _yaml.safe_load(article.read_text(encoding="utf-8").split("\n---\n", 1)[0].removeprefix("---\n"))
    assert "return-to-office" not in after["tags"] and "unions" in after["tags"]
    assert set(after["tags_manual"]) == {"-return-to-office", "+unions"}
