"""`digest serve`: the site kept in memory, served on loopback under its base path, and an
edit on screen as soon as it is written.

A watcher (the file system's events, never a scan of the files) hands each burst of
changes to one builder thread, which applies it to the resident site (resident.py)
and tells every open page what changed through server-sent events. The page's small
script (added to HTML responses, never to the built files) reloads only when a file
it shows changed, so other tabs stay where they are, and shows the problems of the
latest pass over the page while the last good site keeps being served. Changes that
arrive while a pass runs are gathered for the next one, never lost.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from . import urls
from .resident import PassReport, ResidentSite

STATUS_PATH = "/__digest/status"
EVENTS_PATH = "/__digest/events"
QUIET_MS = 30  # a burst of saves closer together than this is one change (an editor writing a file in steps)
HEARTBEAT_S = 15.0  # an idle event stream says so this often, so a closed tab frees its thread
HISTORY = 200  # passes remembered, so a page that loaded before a pass still learns what it changed
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})

RELOAD_SCRIPT = """<script>
(() => {
  const loaded = VERSION, run = RUN;
  const here = new Set([location.pathname, SERVED]);
  for (const el of document.querySelectorAll("link[rel~=stylesheet][href], script[src], img[src]")) {
    const url = new URL(el.href || el.src, location.href);
    if (url.origin === location.origin) here.add(url.pathname);
  }
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
    box.textContent = "The preview shows the last good version; fix this to see your changes:\\n\\n" + error;
  };
  const events = new EventSource("EVENTS_PATH?since=" + loaded);
  events.onmessage = (message) => {
    const news = JSON.parse(message.data);
    show(news.error);
    if (news.run !== run || news.changed === null || news.changed.some((path) => here.has(path))) {
      events.close();
      location.reload();
    }
  };
})();
</script>""".replace("EVENTS_PATH", EVENTS_PATH)


class Broadcast:
    """The latest pass as open pages learn of it: a version that grows with every pass that
    changed files, the site paths each changed, and the problems still open."""

    def __init__(self, base_path: str):
        self.base_path = base_path
        self.run = secrets.token_hex(4)  # this preview process: a page served by another one reloads
        self.version = 0
        self.error: str | None = None
        self.generation = 0  # grows with every message, a change of the problems alone included
        self.history: deque[tuple[int, frozenset[str]]] = deque(maxlen=HISTORY)
        self.announced: frozenset[str] = frozenset()  # told early in the pass going on (see early())
        self.closed = False
        self.changed = threading.Condition()

    def early(self, written: Iterable[str]) -> None:
        """Files a pass has written so far (the edited stories' own pages): pages showing them reload now."""
        paths = frozenset(self.site_path(p) for p in written)
        with self.changed:
            if paths:
                self.version += 1
                self.history.append((self.version, paths))
                self.generation += 1
                self.announced |= paths
                self.changed.notify_all()

    def publish(self, report: PassReport) -> None:
        paths = frozenset(self.site_path(p) for p in (*report.written, *report.removed)) - self.announced
        self.announced = frozenset()
        with self.changed:
            if paths:
                self.version += 1
                self.history.append((self.version, paths))
            if paths or report.error != self.error:
                self.error = report.error
                self.generation += 1
                self.changed.notify_all()

    def site_path(self, output: str) -> str:
        """The path a browser shows for an output file: articles/x/index.html is /base/articles/x/."""
        return urls.href(self.base_path, urls.url_of(output))

    def news_since(self, version: int) -> dict:
        """{version, changed (paths since `version`; None when too old to know), error}; call holding the lock."""
        if version >= self.version:
            changed: list[str] | None = []
        elif self.history and self.history[0][0] <= version + 1:
            changed = sorted(set().union(*(paths for v, paths in self.history if v > version)))
        else:
            changed = None
        return {"run": self.run, "version": self.version, "changed": changed, "error": self.error}

    def close(self) -> None:
        with self.changed:
            self.closed = True
            self.changed.notify_all()


class PreviewHandler(SimpleHTTPRequestHandler):
    """Serves the output folder at the site's base path, with the reload script in HTML."""

    def __init__(self, *args, base_path: str, broadcast: Broadcast, **kwargs):
        self.base_path = base_path
        self.broadcast = broadcast
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args) -> None:  # quiet: the terminal shows builds
        pass

    def do_GET(self) -> None:
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0].strip("[]")
        if host not in LOOPBACK:  # a page elsewhere cannot reach the preview through a name that points here
            return self._send(403, "text/plain; charset=utf-8", b"The preview answers only on 127.0.0.1 and localhost.\n")
        parts = urlsplit(self.path)
        path = parts.path
        if path == STATUS_PATH:
            with self.broadcast.changed:
                status = {"run": self.broadcast.run, "version": self.broadcast.version, "error": self.broadcast.error}
            return self._send(200, "application/json", json.dumps(status).encode())
        if path == EVENTS_PATH:
            return self._events(parse_qs(parts.query).get("since", ["0"])[0])
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
        return self._file(local, 200)

    def translate_path(self, path: str) -> str:
        rel = unquote(urlsplit(path).path)[len(self.base_path):]
        return super().translate_path("/" + rel)

    def _file(self, local: Path, code: int) -> None:
        with self.broadcast.changed:
            version = self.broadcast.version  # read before the file: a pass after this is news to the page
        try:
            data = local.read_bytes()
        except OSError:
            return self._send(404, "text/plain; charset=utf-8", b"Not found\n")
        if local.suffix != ".html":
            return self._send(code, self.guess_type(str(local)), data)
        served = self.broadcast.site_path(local.relative_to(self.directory).as_posix())
        script = RELOAD_SCRIPT.replace("VERSION", str(version)).replace("RUN", json.dumps(self.broadcast.run)).replace("SERVED", json.dumps(served)).encode()
        marker = b"</body>"
        data = data.replace(marker, script + marker, 1) if marker in data else data + script
        return self._send(code, "text/html; charset=utf-8", data)

    def _not_found(self) -> None:
        page = Path(self.directory) / "404.html"
        if page.is_file():
            return self._file(page, 404)
        return self._send(404, "text/plain; charset=utf-8", b"Not found\n")

    def _send(self, code: int, ctype: str, body: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _events(self, since: str) -> None:
        """A server-sent event stream: what changed since the page's version, then each pass as it ends."""
        broadcast = self.broadcast
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        try:
            version = int(since)
        except ValueError:
            version = 0
        try:
            self.wfile.write(b"retry: 500\n\n")
            seen = None
            while True:
                with broadcast.changed:
                    if seen is not None:
                        broadcast.changed.wait_for(lambda seen=seen: broadcast.generation != seen or broadcast.closed, timeout=HEARTBEAT_S)
                    if broadcast.closed:
                        return
                    if broadcast.generation == seen:
                        message = None
                    else:
                        message = broadcast.news_since(version)
                        seen, version = broadcast.generation, broadcast.version
                self.wfile.write(b": still here\n\n" if message is None else b"data: " + json.dumps(message).encode() + b"\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # an open event stream does not keep the preview from stopping


def make_server(out: Path, base_path: str, broadcast: Broadcast, host: str, port: int) -> ThreadingHTTPServer:
    handler = partial(PreviewHandler, directory=str(out), base_path=base_path, broadcast=broadcast)
    return PreviewServer((host, port), handler)


class Pending:
    """Changed paths gathered by the watchers until the builder takes them, all at once."""

    def __init__(self) -> None:
        self.paths: set[Path] = set()
        self.closed = False
        self.ready = threading.Condition()

    def add(self, paths: Iterable[Path]) -> None:
        with self.ready:
            self.paths.update(paths)
            self.ready.notify()

    def take(self, timeout: float | None = None) -> set[Path] | None:
        """Every path changed since the last take (waits for one, or `timeout` seconds: then
        the set is empty); None once closed."""
        with self.ready:
            self.ready.wait_for(lambda: self.paths or self.closed, timeout=timeout)
            if self.closed:
                return None
            taken, self.paths = self.paths, set()
            return taken

    def close(self) -> None:
        with self.ready:
            self.closed = True
            self.ready.notify_all()


def describe(report: PassReport) -> str:
    if report.build_error:
        return f"build failed; serving the last good site:\n{report.build_error}"
    text = f"{report.kind}: {len(report.written)} files written, {len(report.removed)} removed in {report.seconds * 1000:.0f} ms"
    if report.kind == "full":
        text = f"built {report.articles} articles in {report.seconds:.2f}s ({len(report.written)} files written)"
    if report.problems:
        text += "; kept the last good version of:\n" + "\n".join(str(p) for p in report.problems)
    return text


def watch_paths(on_change: Callable[[list[Path]], None], roots: list[Path], stop: threading.Event, *, recursive: bool,
                keep: Callable[[Path], bool] = lambda path: True) -> None:
    """Tell on_change what the file system's events under roots name, until stop is set."""
    from watchfiles import watch

    for changes in watch(*roots, step=QUIET_MS, recursive=recursive, stop_event=stop, raise_interrupt=False, yield_on_timeout=False):
        found = [Path(path) for _change, path in changes if keep(Path(path))]
        if found:
            on_change(found)


def serve(config_path: Path, out: Path, *, host: str, port: int, drafts: bool, say: Callable[[str], None] = print) -> int:
    from .config import load_config

    config = load_config(config_path)  # a site that cannot start says why, once
    config_path = config_path.resolve()
    root = config.root
    pending = Pending()
    stop = threading.Event()
    # Watching starts before the first build, so a change made while it runs is the next pass.
    # Two watchers (each wakes every QUIET_MS): the content, the themes and the code itself, and
    # config.yaml by its folder (an editor that saves by renaming a new file over it would end a
    # watch on the file). A change in the code needs a new process, then a full build.
    code = Path(__file__).resolve().parent
    restart = threading.Event()

    def changed(paths: list[Path]) -> None:
        if any(p.suffix == ".py" and p.is_relative_to(code) for p in paths):
            restart.set()
            pending.close()
        else:
            pending.add(paths)

    folders = [p for p in (root / "content", root / "themes", code) if p.is_dir()]
    watchers = [threading.Thread(target=watch_paths, args=(changed, folders, stop), kwargs={"recursive": True}, daemon=True),
                threading.Thread(target=watch_paths, args=(pending.add, [config_path.parent], stop),
                                 kwargs={"recursive": False, "keep": lambda p: p == config_path}, daemon=True)]
    for thread in watchers:
        thread.start()
    broadcast = Broadcast(config.base_path)
    site = ResidentSite(config_path, out, drafts=drafts, announce=say, early=broadcast.early)
    first = site.update()
    broadcast.publish(first)
    say(describe(first))
    out.mkdir(parents=True, exist_ok=True)
    server = make_server(out.resolve(), config.base_path, broadcast, host, port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    say(f"serving http://{host}:{server.server_address[1]}{config.base_path} (Ctrl-C to stop)")

    def build_loop() -> None:
        # With nothing changed, wake when the issue in progress closes: the site changes then.
        while (changed := pending.take(None if (when := site.deadline()) is None else max(0.0, when - time.time()) + 1)) is not None:
            try:
                report = site.update(changed)
            except Exception:  # noqa: BLE001 (our bug, not the user's: say so, and keep serving the last good site)
                site.build_error = "This is a bug in Labor Digest, not in your content: please report it with the lines below.\n" + traceback.format_exc()
                report = PassReport("full", (), (), (), 0, 0.0, site.build_error)
            broadcast.publish(report)
            if changed or report.written or report.error:
                say(describe(report))

    builder = threading.Thread(target=build_loop, daemon=True)
    builder.start()
    try:
        while builder.is_alive():
            builder.join(timeout=1.0)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        pending.close()
        builder.join(timeout=30)  # let a pass that is writing finish
        broadcast.close()
        server.shutdown()
        server.server_close()
    if restart.is_set():
        say("the code changed: starting again with it")
        sys.stdout.flush()
        os.execv(sys.executable, [sys.executable, "-m", "generator", *sys.argv[1:]])
    return 0

