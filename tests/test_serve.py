"""`digest serve`: the preview builds, serves under the base path, rebuilds and reports errors."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from sitekit import article, make_site


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def wait_for(predicate, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except (OSError, ValueError):
            pass
        time.sleep(0.1)
    raise AssertionError("timed out")


@pytest.fixture
def preview(tmp_path: Path):
    root = make_site(tmp_path / "site", {"content/articles/a.md": article("First story")}, base_url="https://example.org/digest/")
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--config", str(root / "config.yaml"), "--out", str(root / "public"), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: fetch(base + "/__digest/status")[0] == 200)
        yield root, base, proc
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def status(base: str) -> dict:
    return json.loads(fetch(base + "/__digest/status")[1])


def test_serves_under_the_base_path_with_the_reload_script(preview) -> None:
    root, base, _proc = preview
    code, page = fetch(base + "/digest/articles/first-story/")
    assert code == 200 and "First story" in page
    assert "/__digest/status" in page  # the reload script is added to served HTML...
    assert "/__digest/status" not in (root / "public/articles/first-story/index.html").read_text()  # ...never to the built files
    assert fetch(base + "/digest/no-such-page/")[0] == 404
    assert fetch(base + "/elsewhere/")[0] == 404


def test_rebuilds_on_change_and_shows_errors_while_serving_the_last_good_site(preview) -> None:
    root, base, _proc = preview
    first = status(base)["version"]
    (root / "content/articles/b.md").write_text(article("Second story", "2024-09-18"))
    wait_for(lambda: status(base)["version"] > first)
    assert fetch(base + "/digest/articles/second-story/")[0] == 200

    (root / "content/articles/c.md").write_text("---\ntitle: Broken\ndate: 2024-02-30\n---\nBody\n")
    error = wait_for(lambda: status(base)["error"])
    assert "content/articles/c.md:3" in error and "impossible date" in error
    assert fetch(base + "/digest/articles/second-story/")[0] == 200  # the last good site is still served

    (root / "content/articles/c.md").write_text(article("Third story", "2024-09-19"))
    wait_for(lambda: status(base)["error"] is None and fetch(base + "/digest/articles/third-story/")[0] == 200)
