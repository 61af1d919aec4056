"""Serve a built site on loopback under its base path and drive Debian's Chromium with Playwright.

Browser tests fail, never skip, when CI is set and Chromium is missing: a green CI
must mean the pages were really checked in a browser.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
ROOT = Path(__file__).resolve().parents[1]


def tool(package: str, name: str) -> Path:
    """A test tool fetched by `dev.py test` into .tools/ (or LABOR_DIGEST_TOOLS)."""
    folder = Path(os.environ.get("LABOR_DIGEST_TOOLS", ROOT / ".tools"))
    path = folder / package / name
    if not path.exists():
        message = f"{path} is missing: run 'python3 dev.py test', which fetches it"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} is missing: 'python3 dev.py test' installs Debian's chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


class _Handler(SimpleHTTPRequestHandler):
    base_path = "/"

    def log_message(self, format: str, *args) -> None:
        pass

    def translate_path(self, path: str) -> str:
        path = path.split("?", 1)[0].split("#", 1)[0]
        if not path.startswith(self.base_path):
            return str(Path(self.directory) / "__outside_base_path__")
        return super().translate_path("/" + path[len(self.base_path):])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code == 404 and page.exists():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().send_error(code, message, explain)


@contextmanager
def serve_folder(folder: Path, base_path: str = "/") -> Iterator[str]:
    """Serve folder at http://127.0.0.1:PORT{base_path}, as a static host would; yields that URL."""
    handler = type("Handler", (_Handler,), {"base_path": base_path})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{base_path}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def guarded_page(browser, site_url: str) -> Iterator[object]:
    """A page that fails the test on a console error or on any request leaving the site."""
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    outside: list[str] = []
    host = urlsplit(site_url).netloc
    # Chromium asks for /favicon.ico at the host's root, outside a subpath site; not ours to answer.
    page.on("console", lambda m: m.type == "error" and not m.location.get("url", "").endswith("/favicon.ico") and errors.append(m.text))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("request", lambda r: urlsplit(r.url).netloc != host and outside.append(r.url))
    page.route(lambda url: urlsplit(url).netloc != host, lambda route: route.abort())
    yield page
    assert outside == [], "a page requested something outside the site"
    assert errors == []
    context.close()


@contextmanager
def chromium() -> Iterator[object]:
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
