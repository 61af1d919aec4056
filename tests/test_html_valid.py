"""Every page of a built fixture site passes the Nu HTML Checker (vnu.jar), errors only.

vnu.jar comes from the npm package vnu-jar (`python3 dev.py test` fetches it into .tools/
and sets LABOR_DIGEST_TOOLS). Without it or without java the test is skipped on a
workstation, and fails under CI, where a skipped check would pass for a green one.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, build_site, make_site, sample_files
from test_build import hostile_site
from test_feeds import hostile_files


def find_vnu() -> tuple[Path | None, str | None]:
    folders = [Path(os.environ["LABOR_DIGEST_TOOLS"])] if os.environ.get("LABOR_DIGEST_TOOLS") else []
    folders.append(ROOT / ".tools")
    jar = next((f / "vnu-jar" / "vnu.jar" for f in folders if (f / "vnu-jar" / "vnu.jar").is_file()), None)
    return jar, shutil.which("java")


def require_vnu() -> tuple[Path, str]:
    jar, java = find_vnu()
    if jar and java:
        return jar, java
    missing = " and ".join(m for m, ok in (("vnu.jar (npm package vnu-jar)", jar), ("java", java)) if not ok)
    message = f"{missing} not found: run 'python3 dev.py test', which installs what is missing"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def vnu_errors(jar: Path, java: str, folder: Path) -> list[str]:
    result = subprocess.run(
        [java, "-jar", str(jar), "--errors-only", "--format", "json", "--skip-non-html", str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    try:
        messages = json.loads(result.stderr or result.stdout)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"vnu.jar gave no JSON report (exit {result.returncode}):\n{result.stderr[-2000:]}")
    errors = [
        f"{m.get('url', '').removeprefix('file:').removeprefix(str(folder))}:{m.get('lastLine')}: {m['message']} | {m.get('extract', '').strip()}"
        for m in messages
        if m.get("type") == "error" or m.get("subType") == "fatal"
    ]
    if not errors:
        assert result.returncode == 0, result.stderr[-2000:]
    return errors


def test_built_sites_are_valid_html(tmp_path):
    jar, java = require_vnu()
    sites = tmp_path / "sites"
    plain = build_site(make_site(tmp_path / "plain", sample_files("https://example.org/digest/")), sites / "plain", "--drafts")
    hostile_pages = build_site(hostile_site(tmp_path / "h1"), sites / "hostile-pages")
    hostile_feeds = build_site(make_site(tmp_path / "h2" / "site", hostile_files()), sites / "hostile-feeds")
    empty = build_site(make_site(tmp_path / "empty", {"config.yaml": sample_files()["config.yaml"]}), sites / "empty")
    for built in (plain, hostile_pages, hostile_feeds, empty):
        assert built.code == 0, built.stderr
    assert len(list(sites.rglob("*.html"))) > 30
    assert vnu_errors(jar, java, sites) == []
