"""Fetching links for ingest: a page's bytes, or one clear reason why not.

httpx does the HTTP: separate connect and read timeouts, redirects under our
control (each hop is checked), and streamed bodies, so the size cap holds
without reading a large file first. Politeness and limits, as an editor's tool
should have them:

- only http and https, at most 5 redirects (each to http or https), connect
  timeout 10 s and 30 s in all per attempt, a 10 MB cap on the body;
- an honest User-Agent naming Labor Digest and its version;
- at most 4 pages at a time and one request per second to the same host;
  a 5xx answer or a timeout is tried once more after a pause.

The 30 s are a hard limit: a timer shuts the attempt's connection down at its
deadline, so a server that answers slowly, trickles its headers or its body and
then stalls cannot hold a read past it (a read timeout alone restarts with every
chunk that arrives). Each request has its own connection (no keep-alive; one request
a second to a host gains little from it), so the timer knows the socket to shut.
Only the host name lookup is left to the system resolver's own timeouts.

The limits are a value (`Limits`) so tests can shrink the waits; the defaults
are the ones above.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Self
from urllib.parse import urljoin, urlsplit

import httpx

from .. import __version__

USER_AGENT = f"LaborDigest/{__version__} (a labor-news digest's ingest; one page at a time, as an editor asked)"
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_REDIRECTS = (301, 302, 303, 307, 308)
# Where sites send a reader who may not read on: a sign-in form or a cookie-consent page,
# named by the host's first label (consent.example.com) or the path's first two segments (/account/login).
_WALL = re.compile(r"(?:log-?in|sign-?in|sso|auth|accounts?|consent|cookie-?wall|gdpr|subscribe|paywall|register)(?:[._-].*)?", re.IGNORECASE)


@dataclass(frozen=True)
class Limits:
    max_redirects: int = 5
    connect_timeout: float = 10.0
    total_timeout: float = 30.0
    max_bytes: int = 10 * 1024 * 1024
    concurrency: int = 4
    per_host_interval: float = 1.0  # seconds between two requests to one host
    retry_pause: float = 3.0


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Fetched:
    url: str  # the link as given
    final_url: str  # after redirects
    body: bytes
    charset: str | None  # as the Content-Type header declares it
    fetched_at: str  # UTC, ISO 8601, to the second


class FetchError(Exception):
    """A link that gave no page; the message says what happened, for the editor."""


class _Retry(FetchError):
    """A failure worth one more try (a 5xx answer, a timeout)."""


class HostPacer:
    """At most one request per `interval` seconds to each host, across threads."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str) -> float:
        """Sleep until this host may be asked again; returns the seconds waited."""
        with self._lock:
            now = time.monotonic()
            at = max(now, self._next.get(host, 0.0))
            self._next[host] = at + self.interval
        if at > now:
            time.sleep(at - now)
        return max(0.0, at - now)


class Deadline:
    """Shuts down the connections of one request at its deadline, so no read outlasts it.

    A read timeout bounds each wait for bytes, not the request: a server sending a
    byte just before every timeout holds the reader forever. httpcore's `trace`
    extension hands over each connection's socket as it opens; at the deadline
    the timer shuts them down, and the read waiting on one returns at once.
    """

    def __init__(self, at: float) -> None:
        self.at = at
        self.passed = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(0.0, at - time.monotonic()), self._expire)
        self._timer.daemon = True

    def __enter__(self) -> Self:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def trace(self, event: str, info: dict) -> None:
        if event != "connection.connect_tcp.complete" or info.get("return_value") is None:
            return
        sock = info["return_value"].get_extra_info("socket")
        if sock is None:
            return
        with self._lock:
            self._sockets.append(sock)
            late = self.passed
        if late:
            _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.passed = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed by the client


def check_link(url: str) -> str | None:
    """Why a link cannot be fetched (not http or https, no host), or None."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        return f"is not an http or https link (scheme '{parts.scheme or 'none'}'): only web pages can be fetched"
    if not parts.hostname:
        return "has no host name: check the link"
    return None


def fetch_all(
    urls: Sequence[str],
    limits: Limits = DEFAULT_LIMITS,
    progress: Callable[[int, int], None] | None = None,
    transport: httpx.BaseTransport | None = None,
) -> list[Fetched | FetchError]:
    """Every link's page or failure, in the order given; a few at a time, politely per host."""
    pacer = HostPacer(limits.per_host_interval)
    done = 0
    lock = threading.Lock()
    client = httpx.Client(
        headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"},
        follow_redirects=False,
        limits=httpx.Limits(max_connections=limits.concurrency, max_keepalive_connections=0),
        transport=transport,
        trust_env=False,
    )

    def one(url: str) -> Fetched | FetchError:
        nonlocal done
        try:
            return fetch(client, url, limits, pacer)
        except FetchError as exc:
            return exc
        finally:
            with lock:
                done += 1
                if progress:
                    progress(done, len(urls))

    with client, ThreadPoolExecutor(max_workers=max(1, limits.concurrency)) as pool:
        return list(pool.map(one, urls))


def fetch(client: httpx.Client, url: str, limits: Limits, pacer: HostPacer) -> Fetched:
    """One link, tried twice if the first answer is a 5xx or a timeout."""
    try:
        return _attempt(client, url, limits, pacer)
    except _Retry:
        time.sleep(limits.retry_pause)
    try:
        return _attempt(client, url, limits, pacer)
    except _Retry as exc:
        raise FetchError(f"{exc} (tried twice)") from None


def _attempt(client: httpx.Client, url: str, limits: Limits, pacer: HostPacer) -> Fetched:
    problem = check_link(url)
    if problem:
        raise FetchError(problem)
    seen = [url]
    current = url
    deadline = None
    timed_out = f"no complete answer within {limits.total_timeout:g} s (timed out)"
    for _hop in range(limits.max_redirects + 1):
        waited = pacer.wait(urlsplit(current).hostname or "")
        # The time spent waiting for the host's turn is not the server's.
        deadline = (deadline + waited) if deadline is not None else time.monotonic() + limits.total_timeout
        remaining = max(0.01, deadline - time.monotonic())
        timeout = httpx.Timeout(remaining, connect=min(limits.connect_timeout, remaining))
        with Deadline(deadline) as guard:
            try:
                with client.stream("GET", current, timeout=timeout, extensions={"trace": guard.trace}) as response:
                    if response.status_code in _REDIRECTS and response.headers.get("location"):
                        target = urljoin(current, response.headers["location"].strip())
                        scheme = urlsplit(target).scheme.lower()
                        if scheme not in ("http", "https"):
                            raise FetchError(f"redirects to a {scheme or 'relative'}: address ({target}); only http and https are followed")
                        if target in seen:
                            raise FetchError(f"redirects in a loop (back to {target})")
                        seen.append(target)
                        current = target
                        continue
                    return _page(url, current, response, limits, guard)
            except httpx.ConnectTimeout:
                raise _Retry(f"no connection within {limits.connect_timeout:g} s (timed out)") from None
            except httpx.TimeoutException:
                raise _Retry(timed_out) from None
            except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
                if guard.passed:  # the connection was shut at the deadline
                    raise _Retry(timed_out) from None
                raise FetchError(f"cannot be fetched: {_reason(exc)}") from None
            except httpx.InvalidURL as exc:
                raise FetchError(f"is not a valid link ({exc})") from None
    raise FetchError(f"redirects more than {limits.max_redirects} times (last to {current})")


def _reason(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    if "Name or service not known" in text or "nodename nor servname" in text or "getaddrinfo" in text:
        return "the host name does not exist (check the link)"
    if "Connection refused" in text:
        return "the server refused the connection"
    return text


def _page(url: str, final: str, response: httpx.Response, limits: Limits, guard: Deadline) -> Fetched:
    status = response.status_code
    if status >= 500:
        raise _Retry(f"the server answered {status} {response.reason_phrase}".rstrip())
    if status in (401, 403, 407, 451):
        raise FetchError(f"the server refused access ({status} {response.reason_phrase}): a login or paywall? "
                         "Save the page from a browser where you can read it and ingest the file")
    if status >= 400:
        raise FetchError(f"the server answered {status} {response.reason_phrase}".rstrip())
    if status != 200 and status != 203:
        raise FetchError(f"the server answered {status} {response.reason_phrase}, not a page".rstrip())
    if final != url and _is_wall(final) and not _is_wall(url):
        raise FetchError(f"was sent to a login or consent page ({final}), not the article: save the page from a browser and ingest the file")
    kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind and kind not in _HTML_TYPES:
        raise FetchError(_not_html(kind))
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limits.max_bytes:
        raise FetchError(_too_large(limits, int(declared)))
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limits.max_bytes:
            raise FetchError(_too_large(limits))
        chunks.append(chunk)
    if guard.passed:  # a body that ends with its connection (no length given) ends the same way when shut
        raise _Retry(f"no complete answer within {limits.total_timeout:g} s (timed out)")
    body = b"".join(chunks)
    if not kind and not re.match(rb"\s*(?:<!doctype html|<html|<head|<!--|<meta|<body)", body[:512], re.IGNORECASE):
        raise FetchError("is not a web page (no Content-Type, and it does not start like HTML)")
    return Fetched(
        url=url, final_url=final, body=body, charset=response.charset_encoding,
        fetched_at=datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
    )


def _is_wall(url: str) -> bool:
    """Whether an address is a sign-in or consent page (consent.example.com, /account/login?next=...)."""
    parts = urlsplit(url)
    segments = [(parts.hostname or "").split(".")[0], *parts.path.split("/")[1:3]]
    return any(_WALL.fullmatch(segment) for segment in segments if segment)


def _not_html(kind: str) -> str:
    if kind == "application/pdf":
        return "is a PDF (application/pdf), not a web page: ingest takes news pages in HTML"
    if kind.startswith("image/"):
        return f"is an image ({kind}), not a web page: give the link of the article that shows it"
    if kind.startswith(("video/", "audio/")):
        return f"is a {kind.split('/')[0]} file ({kind}), not a web page"
    return f"is not a web page (Content-Type {kind}): ingest takes news pages in HTML"


def _too_large(limits: Limits, size: int | None = None) -> str:
    cap = limits.max_bytes / 1024 / 1024
    shown = f" ({size / 1024 / 1024:.1f} MB)" if size else ""
    return f"is larger than the {cap:g} MB limit for a page{shown}: check it is an article's link"
