"""`digest serve`: build, serve on loopback under the production base path, rebuild on change.

The preview adds a tiny polling script to HTML responses (never to the built
files): it reloads the page after a rebuild and shows a build error over the page,
while the last good site keeps being served (the build is atomic).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import SiteError

STATUS_PATH = "/__digest/status"
RELOAD_SCRIPT = """<script>
(() => {
  let seen = null;
  const show = (error) => {
    let box = document.getElementById("digest-build-error");
    if (!error) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("pre");
      box.id = "digest-build-error";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:50vh;overflow:auto;margin:0;padding:1rem;background:#7a0000;color:#fff;font:14px/1.4 monospace;z-index:99999;white-space:pre-wrap";
      document.body.append(box);
    }
    box.textContent = "Build failed; showing the last good site.\\n\\n" + error;
  };
  const poll = async () => {
    try {
      const status = await (await fetch("STATUS_PATH", {cache: "no-store"})).json();
      if (seen !== null && status.version !== seen) location.reload();
      seen = status.version;
      show(status.error);
    } catch (e) {}
    setTimeout(poll, 700);
  };
  poll();
})();
</script>""".replace("STATUS_PATH", STATUS_PATH)


@dataclass
class BuildState:
    """What the preview knows about the latest build; shared by the watcher and the server."""

    version: int = 0
    error: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, error: str | None) -> None:
        with self.lock:
            if error is None:
                self.version += 1
            self.error = error

    def snapshot(self) -> dict:
        with self.lock:
            return {"version": self.version, "error": self.error}


class PreviewHandler(SimpleHTTPRequestHandler):
    """Serves the output folder at the site's base path, with the reload script in HTML."""

    def __init__(self, *args, base_path: str, state: BuildState, **kwargs):
        self.base_path = base_path
        self.state = state
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args) -> None:  # quiet: the terminal shows builds
        pass

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == STATUS_PATH:
            return self._send(200, "application/json", json.dumps(self.state.snapshot()).encode())
        if not path.startswith(self.base_path):
            if path == "/" or path == self.base_path.rstrip("/"):
                self.send_response(302)
                self.send_header("Location", self.base_path)
                self.end_headers()
                return None
            return self._not_found()
        local = Path(self.translate_path(path))
        if local.is_dir():
            if not path.endswith("/"):
                self.send_response(301)
                self.send_header("Location", path + "/")
                self.end_headers()
                return None
            local = local / "index.html"
        if not local.is_file():
            return self._not_found()
        data = local.read_bytes()
        ctype = self.guess_type(str(local))
        if local.suffix == ".html":
            data = self._inject(data)
            ctype = "text/html; charset=utf-8"
        return self._send(200, ctype, data)

    def translate_path(self, path: str) -> str:
        rel = unquote(urlsplit(path).path)[len(self.base_path):]
        return super().translate_path("/" + rel)

    def _inject(self, data: bytes) -> bytes:
        marker = b"</body>"
        return data.replace(marker, RELOAD_SCRIPT.encode() + marker, 1) if marker in data else data + RELOAD_SCRIPT.encode()

    def _not_found(self) -> None:
        page = Path(self.directory) / "404.html"
        body = self._inject(page.read_bytes()) if page.is_file() else b"Not found"
        self._send(404, "text/html; charset=utf-8", body)

    def _send(self, code: int, ctype: str, body: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


def make_server(out: Path, base_path: str, state: BuildState, host: str, port: int) -> ThreadingHTTPServer:
    handler = partial(PreviewHandler, directory=str(out), base_path=base_path, state=state)
    return ThreadingHTTPServer((host, port), handler)


def rebuild(do_build: Callable[[], object], state: BuildState, say: Callable[[str], None]) -> None:
    """One build; a user's mistake is shown in the terminal and in the page, not raised."""
    try:
        report = do_build()
    except SiteError as exc:
        message = str(exc)
        state.record(message)
        say(f"build failed:\n{message}")
        return
    state.record(None)
    say(f"built {getattr(report, 'articles', '?')} articles in {getattr(report, 'seconds', 0):.2f}s")


def serve(config_path: Path, out: Path, *, host: str, port: int, drafts: bool, say: Callable[[str], None] = print) -> int:
    from watchfiles import watch

    from .build import build
    from .config import load_config

    config = load_config(config_path)
    state = BuildState()
    do_build = partial(build, config_path, out, drafts=drafts)
    rebuild(do_build, state, say)
    out.mkdir(parents=True, exist_ok=True)
    server = make_server(out.resolve(), config.base_path, state, host, port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    say(f"serving http://{host}:{server.server_address[1]}{config.base_path} (Ctrl-C to stop)")
    root = config.root
    watched = [p for p in (root / "content", root / "themes", config_path.resolve()) if p.exists()]
    try:
        for _changes in watch(*watched, debounce=200, raise_interrupt=False):
            rebuild(do_build, state, say)
    finally:
        server.shutdown()
    return 0
