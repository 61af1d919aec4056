"""`digest serve`: the preview builds, serves under the base path on loopback, applies each burst
of changes in one pass, tells open pages at once (server-sent events) and reports problems."""

from __future__ import annotations

import http.client
import json
import os
import queue
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sitekit import article, make_site


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=5) as response:
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
        time.sleep(0.02)
    raise AssertionError("timed out")


class Preview:
    """A `digest serve` process and the lines it prints."""

    def __init__(self, root: Path, cwd: Path | None = None):
        self.root = root
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--config", str(root / "config.yaml"), "--out", str(root / "public"),
             "--port", str(self.port)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"}, cwd=cwd,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.log: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def next_line(self, timeout: float = 20.0) -> str:
        line = self.lines.get(timeout=timeout)
        self.log.append(line)
        return line

    def wait_line(self, start: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            line = self.next_line(max(0.01, deadline - time.monotonic()))
            if line.startswith(start):
                return line

    def status(self) -> dict:
        return json.loads(fetch(self.base + "/__digest/status")[1])

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


@contextmanager
def running(root: Path, cwd: Path | None = None) -> Iterator[Preview]:
    preview = Preview(root, cwd)
    try:
        preview.wait_line("serving ")
        yield preview
    finally:
        preview.stop()


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[Preview]:
    root = make_site(tmp_path / "site", {"content/articles/a.md": article("First story")}, base_url="https://example.org/digest/")
    with running(root) as p:
        yield p


def events(base: str, since: int) -> Iterator[dict]:
    """The preview's event stream, one message at a time."""
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=20)
    connection.request("GET", f"/__digest/events?since={since}")
    response = connection.getresponse()
    assert response.status == 200 and response.getheader("Content-Type") == "text/event-stream"
    try:
        while True:
            line = response.readline().decode()
            if line.startswith("data: "):
                yield json.loads(line[len("data: "):])
    finally:
        connection.close()


def test_serves_under_the_base_path_with_the_event_script(preview: Preview) -> None:
    code, page = fetch(preview.base + "/digest/articles/first-story/")
    assert code == 200 and "First story" in page
    assert "/__digest/events" in page  # the script is added to served HTML...
    assert "/__digest/events" not in (preview.root / "public/articles/first-story/index.html").read_text()  # ...never to the built files
    assert fetch(preview.base + "/digest/no-such-page/")[0] == 404
    assert fetch(preview.base + "/elsewhere/")[0] == 404


def test_answers_only_under_a_loopback_name(preview: Preview) -> None:
    assert fetch(preview.base + "/digest/", {"Host": f"localhost:{preview.port}"})[0] == 200
    # A page on another site that points its own name at 127.0.0.1 (DNS rebinding) gets nothing.
    assert fetch(preview.base + "/digest/", {"Host": f"attacker.example:{preview.port}"})[0] == 403
    assert fetch(preview.base + "/__digest/status", {"Host": "attacker.example"})[0] == 403


def test_rebuilds_on_change_and_shows_errors_while_serving_the_last_good_site(preview: Preview) -> None:
    root, base = preview.root, preview.base
    first = preview.status()["version"]
    (root / "content/articles/b.md").write_text(article("Second story", "2024-09-18"))
    wait_for(lambda: preview.status()["version"] > first)
    assert fetch(base + "/digest/articles/second-story/")[0] == 200

    (root / "content/articles/c.md").write_text("---\ntitle: Broken\ndate: 2024-02-30\n---\nBody\n")
    error = wait_for(lambda: preview.status()["error"])
    assert "content/articles/c.md:3" in error and "impossible date" in error
    assert fetch(base + "/digest/articles/second-story/")[0] == 200  # the last good site is still served

    (root / "content/articles/c.md").write_text(article("Third story", "2024-09-19"))
    wait_for(lambda: preview.status()["error"] is None and fetch(base + "/digest/articles/third-story/")[0] == 200)


def test_an_open_page_hears_of_each_pass_at_once_with_what_it_changed(preview: Preview) -> None:
    status = preview.status()
    since, run = status["version"], status["run"]
    stream = events(preview.base, since)
    assert next(stream) == {"run": run, "version": since, "changed": [], "error": None}  # what the page missed: nothing
    path = preview.root / "content/articles/a.md"
    path.write_text(path.read_text().replace("unfair.", "unfair, they said."))
    news = next(stream)  # the story's own page comes first, on its own
    assert news == {"run": run, "version": since + 1, "changed": ["/digest/articles/first-story/"], "error": None}
    rest = next(stream)  # then whatever else shows it
    assert rest["version"] == since + 2 and "/digest/" in rest["changed"] and "/digest/articles/first-story/" not in rest["changed"]
    assert "/digest/topics/unions/" not in rest["changed"]  # a page that does not show the change is not told to reload
    # A page loaded before that pass learns of all of it when it connects.
    assert {"/digest/articles/first-story/", "/digest/"} <= set(next(events(preview.base, since))["changed"])


def test_a_burst_of_saves_is_one_pass(preview: Preview) -> None:
    first = preview.status()["version"]
    path = preview.root / "content/articles/a.md"
    text = path.read_text()
    for n in range(5):  # an editor writing the file in steps
        with open(path, "w") as handle:
            handle.write(text[: len(text) * (n + 1) // 5])
    path.write_text(text.replace("unfair.", "unfair, in the end."))
    line = preview.wait_line("in place")
    time.sleep(0.5)
    assert preview.lines.empty(), f"more than one pass: {line} then {preview.next_line()}"
    # One pass tells pages twice: the story's own page as soon as it is written, then the rest.
    assert preview.status()["version"] == first + 2 and preview.status()["error"] is None
    assert "unfair, in the end." in fetch(preview.base + "/digest/articles/first-story/")[1]


def test_a_change_during_a_pass_is_applied_by_the_next_one(tmp_path: Path) -> None:
    files = {f"content/articles/{n:03d}.md": article(f"Story {n}", f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}T10:00:00-04:00")
             for n in range(150)}
    root = make_site(tmp_path / "site", files, base_url="https://example.org/")
    with running(root) as preview:
        config = root / "config.yaml"
        config.write_text(config.read_text().replace("title: Test Digest", "title: Renamed Digest"))
        preview.wait_line("config.yaml changed")  # a full pass has begun (it takes most of a second)...
        time.sleep(0.2)
        story = root / "content/articles/007.md"
        story.write_text(story.read_text().replace("unfair.", "unfair; edited while the site was building."))
        preview.wait_line("built ")  # ...and ends; the edit made during it is the next pass
        assert preview.next_line().startswith("in place: "), preview.log
        page = fetch(preview.base + "/articles/story-7/")[1]
        assert "Renamed Digest" in page and "edited while the site was building" in page


def test_a_change_in_the_code_starts_the_preview_again_with_it(tmp_path: Path) -> None:
    """The code cannot change under a running process: the preview starts again (a full build),
    and pages served by the old process hear that they are from another run."""
    import shutil

    code = tmp_path / "code"
    repo = Path(__file__).resolve().parents[1]
    shutil.copytree(repo / "generator", code / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(repo / "themes", code / "themes")
    root = make_site(tmp_path / "site", {"content/articles/a.md": article("First story")})
    os.environ["PYTHONPATH"], before = str(code), os.environ.get("PYTHONPATH")
    try:
        with running(root, cwd=root) as preview:  # not from the repository, whose generator/ would come first
            run = preview.status()["run"]
            urls_py = code / "generator" / "urls.py"
            urls_py.write_text(urls_py.read_text() + "\n# a change in the code\n")
            preview.wait_line("the code changed")
            preview.wait_line("serving ")
            status = wait_for(lambda: preview.status())
            assert status["run"] != run and status["error"] is None
            assert fetch(preview.base + "/articles/first-story/")[0] == 200
    finally:
        if before is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = before


# -- in a browser ------------------------------------------------------------------------------


@pytest.fixture
def two_stories(tmp_path: Path) -> Iterator[Preview]:
    root = make_site(tmp_path / "site", {
        "content/articles/a.md": article("First story", "2024-09-17T18:10:00-04:00", "[unions]", "Workers said the policy was unfair."),
        "content/articles/b.md": article("Second story", "2024-08-01", "[return-to-office]", "Badges will be tracked."),
    }, base_url="https://example.org/digest/")
    with running(root) as p:
        yield p


def open_page(context, url: str):
    page = context.new_page()
    page.goto(url)
    page.evaluate("window.__stayed = true")  # gone if the page reloads
    return page


def test_the_page_that_shows_an_edit_reloads_and_other_tabs_stay(browser, two_stories: Preview) -> None:
    from browserkit import guarded_page

    site = two_stories.base + "/digest/"
    with guarded_page(browser, site) as first:
        first.goto(site + "articles/first-story/")
        first.evaluate("window.__stayed = true")
        second = open_page(first.context, site + "articles/second-story/")
        time.sleep(0.3)  # both pages have their event streams open
        path = two_stories.root / "content/articles/a.md"
        path.write_text(path.read_text().replace("unfair.", "unfair and rushed."))
        first.wait_for_function("document.querySelector('.story-body').textContent.includes('unfair and rushed.')", timeout=10_000)
        assert first.evaluate("window.__stayed === undefined")  # it reloaded
        time.sleep(0.3)
        assert second.evaluate("window.__stayed") is True  # the other tab did not
        second.close()


def test_problems_show_over_the_page_while_its_last_good_version_stays(browser, two_stories: Preview) -> None:
    from browserkit import guarded_page

    site = two_stories.base + "/digest/"
    path = two_stories.root / "content/articles/a.md"
    good = path.read_text()
    with guarded_page(browser, site) as page:
        page.goto(site + "articles/first-story/")
        time.sleep(0.3)
        path.write_text(good.replace("2024-09-17T18:10:00-04:00", "2024-09-31").replace("unfair.", "unfair, and broken."))
        box = page.wait_for_selector("#digest-build-error", timeout=10_000)
        assert box.get_attribute("role") == "alert"
        text = box.text_content()
        assert "content/articles/a.md:3" in text and "impossible date" in text
        assert "unfair, and broken." not in page.text_content(".story-body")  # the last good version stays up
        # A broken config.yaml shows over the page too; the last good site is still served.
        config = two_stories.root / "config.yaml"
        config_text = config.read_text()
        config.write_text(config_text.replace("per_page: 2", "per_page: two"))
        page.wait_for_function("document.querySelector('#digest-build-error').textContent.includes('config.yaml')", timeout=10_000)
        assert page.text_content("h1") == "First story"
        config.write_text(config_text)
        path.write_text(good.replace("unfair.", "unfair, and fixed."))
        page.wait_for_function("document.querySelector('.story-body').textContent.includes('unfair, and fixed.')", timeout=20_000)
        page.wait_for_function("document.querySelector('#digest-build-error') === null", timeout=10_000)
