"""Invalid sites: one folder per mistake under tests/sites/invalid/, each with the exact messages expected.

Each case is copied into a temporary folder (a build writes its cache beside
config.yaml, and a test never writes into the repository) and built with the real
CLI. A user's mistake exits 1, shows no traceback, writes nothing, and says
file:line: what is wrong; how to fix it. To add a case, make a folder with
config.yaml, content/articles/*.md and expected.txt (the stderr lines).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import all_files, build_site

from generator.config import parse_config
from generator.errors import SiteError

CASES = Path(__file__).parent / "sites" / "invalid"


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_invalid_site(tmp_path, case):
    site = tmp_path / "site"
    shutil.copytree(CASES / case, site, ignore=shutil.ignore_patterns("expected.txt"))
    before = all_files(site)
    out = tmp_path / "out"
    built = build_site(site, out)
    assert "Traceback" not in built.stderr
    assert built.code == 1, built.stdout
    expected = (CASES / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert built.stderr.splitlines() == expected
    assert built.stdout == ""
    assert not out.exists()
    assert all_files(site) == before  # not even the build cache


def test_every_case_has_expected_messages():
    for case in CASES.iterdir():
        expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
        assert expected and expected[-1].endswith("nothing was written."), case.name
        assert all(line.startswith("error: ") for line in expected[:-1]), case.name


def test_invalid_site_leaves_an_existing_output_unchanged(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(CASES / "several-problems", site, ignore=shutil.ignore_patterns("expected.txt"))
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_text("the last good build")
    built = build_site(site, out)
    assert built.code == 1
    assert all_files(out) == {"index.html": b"the last good build"}


CONFIG = "title: T\nbase_url: https://example.org/\n"


@pytest.mark.parametrize(
    "text, message",
    [
        ("titel: T\nbase_url: https://example.org/\n", "config.yaml:1: unknown key 'titel' (did you mean 'title'?)"),
        (CONFIG + "per_page: 0\n", "config.yaml:3: 'per_page' must be 1 or more"),
        (CONFIG + "per_page: ten\n", "config.yaml:3: 'per_page' must be a whole number, not 'ten'"),
        (CONFIG + "timezone: Mars/Olympus\n", "config.yaml:3: 'timezone' is not a known time zone: use an IANA name such as 'America/New_York' or 'UTC'"),
        (CONFIG + "republish: all\n", "config.yaml:3: 'republish' must be 'excerpt' (the summary and an opening excerpt with a link to the original) or 'full'"),
        ("title: T\nbase_url: ftp://example.org/\n", "config.yaml:2: 'base_url' must be an absolute http(s) URL such as https://example.org/ or https://example.org/digest/, not 'ftp://example.org/'"),
        ("title: T\nbase_url: https://example.org/?a=1\n", "config.yaml:2: 'base_url' must not have a query or fragment"),
        ("base_url: https://example.org/\n", "config.yaml:1: 'title' is required: add 'title: ...'"),
        (CONFIG + "topics:\n  - slug: Bad Slug\n    name: X\n", "config.yaml:4: 'topics[0].slug' must be lower-case letters, digits and single hyphens, like 'return-to-office'"),
        (CONFIG + "topics:\n  - slug: a\n    nmae: X\n", "config.yaml:5: unknown key 'nmae' in a topic (did you mean 'name'?)"),
        (CONFIG + "topics:\n  - slug: a\n    name: A\n  - slug: a\n    name: B\n", "config.yaml:6: topic 'a' is defined twice (also on line 4): keep one"),
        ("title: Labor: Digest\nbase_url: https://example.org/\n", "config.yaml:1:13: YAML syntax error: a value that holds ': ' must be in quotes, like title: \"Labor: Digest\""),
        (CONFIG + "theme: ../content\n", "config.yaml:3: 'theme' must be the name of a folder under themes/, not '../content'"),
        (CONFIG + "theme: fancy\n", "config.yaml:3: 'theme' names a theme that does not exist: create themes/fancy/"),
        ("title: T\x01\n", "config.yaml:1:9: YAML syntax error: character #x0001 is not allowed: delete it (it is invisible in most editors)"),
    ],
)
def test_config_messages(tmp_path, text, message):
    with pytest.raises(SiteError) as caught:
        parse_config(text, tmp_path)
    assert message in [str(p) for p in caught.value.problems]


ARTICLE = "---\ntitle: T\ndate: 2024-03-05\n{extra}---\n\nBody.\n"


@pytest.mark.parametrize(
    "extra, message",
    [
        ("tag: [unions]\n", "a.md:4: unknown key 'tag' (did you mean 'tags'?)"),
        ("tags: [union]\n", "a.md:4: unknown topic 'union' (did you mean 'unions'?): use a topic slug from config.yaml, or add the topic there"),
        ("id: my story\n", "a.md:4: 'id' must be a URI such as 'urn:uuid:6d7c8a0f-2f1b-5f1e-9d3c-4c3b1b0b7f5c', not 'my story'"),
        ("draft: maybe\n", "a.md:4: 'draft' must be true or false"),
        ("republish: all\n", "a.md:4: 'republish' must be 'excerpt' or 'full', not 'all'"),
        ("source_url: example.com/x\n", "a.md:4: 'source_url' must be an http(s) address, not 'example.com/x'"),
        ("slug: a/b\n", "a.md:4: slug 'a/b' may hold only letters, digits and single hyphens (no '/', '.' or spaces), like 'amazon-return-to-office'"),
        ("authors: [Ana]\nauthors: [Bo]\n", "a.md:5:1: 'authors' is given twice (also on line 4): keep one"),
        ("added: March 5, 2024\n", "a.md:4: 'added': 'March 5, 2024' is not a date in a form the digest reads: write it as YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+HH:MM"),
        ("updated: 2024-03-05T10:00:00+25:00\n", "a.md:4: 'updated': impossible date '2024-03-05T10:00:00+25:00' (the offset from UTC must be less than 24 hours): write it as YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+HH:MM"),
        ("updated: 2024-13-01\n", "a.md:4: 'updated': impossible date '2024-13-01' (month must be in 1..12): write it as YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+HH:MM"),
    ],
)
def test_article_messages(tmp_path, extra, message):
    from generator.load import derived_id, parse_article

    config = parse_config(CONFIG + "topics:\n  - slug: unions\n    name: Unions\n", tmp_path)
    result = parse_article("a.md", ARTICLE.format(extra=extra), config)
    assert isinstance(result, list)
    message = message.replace("urn:uuid:6d7c8a0f-2f1b-5f1e-9d3c-4c3b1b0b7f5c", derived_id("a.md"))
    assert [str(p) for p in result][:1] == [message] or any(str(p).startswith(message) for p in result), [str(p) for p in result]


def test_config_that_is_a_folder_is_a_message(tmp_path):
    built = build_site(tmp_path, tmp_path / "out", "--config", str(tmp_path))
    assert built.code == 1 and "Traceback" not in built.stderr
    assert f"error: {tmp_path}: cannot be read: Is a directory" in built.stderr


def test_output_cut_short_by_its_reader_is_no_bug(tmp_path):
    """`digest tag --explain x.md | head -1`: the reader goes away early; no traceback, no 'bug' line."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    target = next((root / "content" / "articles").glob("*.md"))
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first line: every write meets a closed pipe
    try:
        explain = subprocess.run([sys.executable, "-m", "generator", "tag", "--config", str(root / "config.yaml"), "--explain", str(target)],
                                 stdout=write_end, stderr=subprocess.PIPE, cwd=tmp_path, check=False)
    finally:
        os.close(write_end)
    err = explain.stderr.decode()
    assert explain.returncode == 141, err
    assert "Traceback" not in err and "bug" not in err
