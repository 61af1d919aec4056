"""Ingest from the web: links fetched from a loopback server started here, saved pages, the clipboard's HTML.

Every test asserts what an editor sees: the line printed (or the result it is made
from), the exit status, what is written and what is not. Nothing reaches the internet.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import html5lib
import pytest
import yaml
from sitekit import digest, make_site

from generator import __version__
from generator.config import parse_config
from generator.frontmatter import split
from generator.ingest import ingest_paths
from generator.ingest.fetch import DEFAULT_LIMITS, USER_AGENT, Limits

TODAY = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
QUICK = Limits(per_host_interval=0.0, retry_pause=0.05, total_timeout=2.0, connect_timeout=1.0)

PARAGRAPHS = [
    ("Workers at the distribution centre voted on Tuesday to join the union, ending a campaign that lasted "
     "more than two years and drew attention from organisers across the region."),
    ("The company said in a statement that it would respect the result and that talks on a first contract "
     "would begin in the spring, after a period of consultation with the staff."),
    ("“We did this together, shift by shift,” said Maria Gomez, who has worked at the site for a decade and "
     "helped gather the signatures that forced the vote."),
    ("Labour lawyers said the result could encourage workers at other sites, where similar campaigns have "
     "stalled in recent months because of turnover and legal challenges."),
]
CLOSING = "Negotiations are expected to take months, and both sides have hired outside counsel to prepare for the first sessions."


def article_page(
    title: str = "Warehouse workers vote to unionize",
    *,
    head: str = "",
    byline: str = '<p class="byline">By <a href="/staff/ana-lima" rel="author">Ana Lima</a></p>',
    paragraphs: list[str] = PARAGRAPHS,
    extra_body: str = "",
    title_tag: str | None = None,
    closing: bool = True,
) -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    if closing:
        body += f"\n<h2>What comes next</h2>\n<p>{CLOSING}</p>"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{title_tag or title + ' | The Labor Ledger'}</title>
{head}
</head><body>
<header><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/unions">Unions</a></nav></header>
<main><article>
<h1>{title}</h1>
{byline}
<time datetime="2025-03-04T09:30:00-05:00">March 4, 2025</time>
<figure><img src="https://cdn.example.net/photo.jpg" alt=""><figcaption>Workers outside the site after the vote.</figcaption></figure>
{body}
{extra_body}
</article></main>
<footer><p>© 2025 The Labor Ledger. All rights reserved.</p></footer>
</body></html>"""


PLAIN_HEAD = (
    '<link rel="canonical" href="https://news.example.org/2025/03/warehouse-union">'
    '<meta property="og:site_name" content="The Labor Ledger">'
    '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",'
    ' "headline": "Warehouse workers vote to unionize", "datePublished": "2025-03-04T09:30:00-05:00",'
    ' "author": {"@type": "Person", "name": "Ana Lima"}, "publisher": {"@type": "Organization", "name": "The Labor Ledger"},'
    ' "articleSection": "Unions"}</script>'
)

Route = tuple[int, dict[str, str], bytes] | Callable[[BaseHTTPRequestHandler], None]


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        """A client that hangs up early (the fetcher stops reading at a cap or a timeout) is no test failure;
        http.server would print it into the output the tests read."""


class Server:
    """A real HTTP server on 127.0.0.1 in a thread; routes are set per test."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, float, str]] = []  # (path, time, user agent)
        self.active = 0
        self.most_active = 0
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                with outer.lock:
                    outer.requests.append((self.path, time.monotonic(), self.headers.get("User-Agent", "")))
                    outer.active += 1
                    outer.most_active = max(outer.most_active, outer.active)
                try:
                    route = outer.routes.get(self.path)
                    if route is None:
                        self.answer(404, {"Content-Type": "text/html"}, b"<h1>Not found</h1>")
                    elif callable(route):
                        route(self)
                    else:
                        self.answer(*route)
                finally:
                    with outer.lock:
                        outer.active -= 1

            def answer(self, status: int, headers: dict[str, str], body: bytes) -> None:
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                if "Content-Length" not in headers:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.handler = Handler
        self.httpds: list[_QuietServer] = []
        self.base = self.listen("127.0.0.1")

    def listen(self, host: str) -> str:
        """Serve the same routes on another loopback address too (another host name for the fetcher)."""
        httpd = _QuietServer((host, 0), self.handler)
        httpd.daemon_threads = True
        threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        self.httpds.append(httpd)
        return f"http://{host}:{httpd.server_address[1]}"

    def close(self) -> None:
        for httpd in self.httpds:
            httpd.shutdown()
            httpd.server_close()

    def page(self, path: str, html: str | bytes, content_type: str = "text/html; charset=utf-8", status: int = 200) -> str:
        self.routes[path] = (status, {"Content-Type": content_type}, html.encode("utf-8") if isinstance(html, str) else html)
        return self.base + path

    def hits(self, path: str) -> int:
        return sum(1 for p, _t, _ua in self.requests if p == path)


@pytest.fixture
def server():
    s = Server()
    yield s
    s.close()


@pytest.fixture
def site(tmp_path):
    config = parse_config("title: Test Digest\nbase_url: https://example.org/\ntimezone: UTC\n", tmp_path)
    (tmp_path / "config.yaml").write_text("title: Test Digest\nbase_url: https://example.org/\ntimezone: UTC\n", encoding="utf-8")
    return tmp_path, config


def ingest(site, *sources: str, limits: Limits = QUICK, **kwargs):
    root, config = site
    return ingest_paths(list(sources), root / "content" / "articles", config, today=TODAY, limits=limits, **kwargs)


def articles(root: Path) -> list[Path]:
    return sorted((root / "content" / "articles").glob("*.md"))


def saved_copies(root: Path) -> list[Path]:
    return sorted((root / "content" / "sources").glob("*.html"))


def front_matter(path: Path) -> tuple[dict, str]:
    data, body, _line, problems = split(path.read_text(encoding="utf-8"), str(path))
    assert not problems
    return data, body


def assert_nothing_written(root: Path) -> None:
    assert articles(root) == [] and saved_copies(root) == []


# --------------------------------------------------------------------------- a plain article, end to end


def test_plain_article_by_link_through_the_cli(server, site):
    root, _ = site
    url = server.page("/2025/03/warehouse-union?utm_source=feed", article_page(head=PLAIN_HEAD))
    run = digest("ingest", "--config", str(root / "config.yaml"), url)
    assert run.code == 0, run.err
    [path] = articles(root)
    assert run.out.strip() == f"written: {url} -> content/articles/warehouse-workers-vote-to-unionize.md: to review: dek"
    data, body = front_matter(path)
    assert data["title"] == "Warehouse workers vote to unionize"  # " | The Labor Ledger" removed
    assert data["authors"] == ["Ana Lima"]
    assert data["date"] == "2025-03-04T09:30:00-05:00"  # the offset kept
    assert data["publication"] == "The Labor Ledger" and data["section"] == "Unions"
    assert data["source_url"] == "https://news.example.org/2025/03/warehouse-union"  # canonical, not the link
    assert data["source_file"] == "content/sources/warehouse-workers-vote-to-unionize.html"
    assert data["review"] == ["dek"] and data["id"].startswith("urn:uuid:") and data["added"] == datetime.now(UTC).date().isoformat()
    # The body is the article as Markdown: paragraphs and the subheading, no caption, no image, no menu.
    assert body.strip().split("\n\n") == [*PARAGRAPHS, "## What comes next", CLOSING]
    # The request named Labor Digest and its version.
    assert server.requests[0][2] == USER_AGENT and f"LaborDigest/{__version__}" in USER_AGENT
    # The page is kept as received, under a line that says where from and when.
    [copy] = saved_copies(root)
    first, rest = copy.read_bytes().split(b"\n", 1)
    assert first.startswith(f"<!-- saved from url={url} fetched ".encode()) and b"charset=utf-8" in first
    assert rest == article_page(head=PLAIN_HEAD).encode("utf-8")

    # The same link again: nothing is rewritten, not even the saved copy.
    before = (path.read_bytes(), copy.read_bytes())
    again = digest("ingest", "--config", str(root / "config.yaml"), url)
    assert again.code == 0 and again.out.startswith(f"unchanged: {url} -> content/articles/warehouse-workers-vote-to-unionize.md")
    assert (path.read_bytes(), copy.read_bytes()) == before

    # Offline, the saved copy gives the same article byte for byte.
    server.routes.clear()
    offline = digest("ingest", "--config", str(root / "config.yaml"), "--force", str(copy))
    assert offline.code == 0, offline.err
    assert path.read_bytes() == before[0]
    assert [p.name for p in articles(root)] == [path.name]


def test_the_article_builds_into_a_page_that_loads_nothing_from_outside(server, tmp_path):
    root = make_site(tmp_path / "site", {})
    url = server.page("/story", article_page(head=PLAIN_HEAD, extra_body='<p>See <a href="/report.pdf">the report</a> and '
                                             '<a href="javascript:alert(1)">this</a>.</p><iframe src="https://evil.example/x"></iframe>'))
    run = digest("ingest", "--config", str(root / "config.yaml"), url)
    assert run.code == 0, run.err
    [path] = articles(root)
    _data, body = front_matter(path)
    assert f"[the report]({server.base}/report.pdf)" in body  # resolved against the address it was served from
    assert "javascript:" not in body and "iframe" not in body and "cdn.example.net" not in body
    built = digest("build", "--config", str(root / "config.yaml"), "--out", str(root / "public"))
    assert built.code == 0, built.err
    page = next((root / "public").rglob("warehouse-workers-vote-to-unionize*/index.html"))
    doc = html5lib.parse(page.read_bytes(), namespaceHTMLElements=False)
    for el in doc.iter():
        for attr in ("src", "srcset"):
            assert not (el.get(attr) or "").startswith(("http://", "https://", "//")), (el.tag, el.get(attr))


# --------------------------------------------------------------------------- metadata


def test_json_ld_graph_with_several_authors_and_id_references(server, site):
    root, _ = site
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "@id": "https://w.example/#site", "name": "Worker Wire"},
            {"@type": "Person", "@id": "https://w.example/#jo", "name": "Jo Bauer"},
            {"@type": "NewsArticle", "headline": "Nurses strike over staffing", "datePublished": "2025-05-01T06:00:00+02:00",
             "dateModified": "2025-05-02T08:00:00+02:00",
             "author": [{"@type": "Person", "name": "Priya Natarajan"}, {"@id": "https://w.example/#jo"},
                        {"@type": "Organization", "name": "Worker Wire Staff"}],
             "publisher": {"@id": "https://w.example/#org"}, "articleSection": ["Health", "Strikes"],
             "description": "Nurses at three hospitals walked out on Thursday."},
            {"@type": "NewsMediaOrganization", "@id": "https://w.example/#org", "name": "Worker Wire"},
        ],
    }
    head = f'<script type="application/ld+json">{json.dumps(graph)}</script>'
    url = server.page("/nurses", article_page("Nurses strike over staffing", head=head, byline="", title_tag="Nurses strike over staffing - Worker Wire"))
    [result] = ingest(site, url)
    assert result.status == "written", result.message
    data, _ = front_matter(articles(root)[0])
    assert data["authors"] == ["Priya Natarajan", "Jo Bauer"]  # people only, the @id resolved, the desk left out
    assert data["date"] == "2025-05-01T06:00:00+02:00" and data["updated"] == "2025-05-02T08:00:00+02:00"
    assert data["publication"] == "Worker Wire" and data["section"] == "Health"
    assert data["dek"] == "Nurses at three hospitals walked out on Thursday." == data["summary"]
    assert data["source_url"] == url  # no canonical declared: the address it was read from
    assert "review" not in data


def test_a_page_with_only_opengraph(server, site):
    root, _ = site
    head = (
        '<meta property="og:title" content="Drivers win back pay | Gig Times">'
        '<meta property="og:site_name" content="Gig Times">'
        '<meta property="og:url" content="https://gig.example/drivers-back-pay">'
        '<meta property="article:published_time" content="2025-06-10T14:05:00+01:00">'
        '<meta property="article:section" content="Gig work">'
    )
    page = article_page("Drivers win back pay", head=head, byline="", title_tag="Drivers win back pay | Gig Times").replace(
        '<time datetime="2025-03-04T09:30:00-05:00">March 4, 2025</time>', "")
    url = server.page("/og", page)
    [result] = ingest(site, url)
    assert result.status == "written", result.message
    data, _ = front_matter(articles(root)[0])
    assert data["title"] == "Drivers win back pay"
    assert data["date"] == "2025-06-10T14:05:00+01:00"
    assert data["publication"] == "Gig Times" and data["section"] == "Gig work"
    assert data["source_url"] == "https://gig.example/drivers-back-pay"
    assert "authors" not in data and data["review"] == ["dek", "authors"]  # never invented
    assert result.message == "to review: dek, authors"


# --------------------------------------------------------------------------- redirects and HTTP failures


def redirect(to: str, status: int = 301) -> Route:
    return (status, {"Location": to, "Content-Type": "text/html"}, b"")


def test_redirects_are_followed_and_the_final_address_kept(server, site):
    root, _ = site
    final = server.page("/final", article_page())
    server.routes["/a"] = redirect("/b")
    server.routes["/b"] = redirect(final, 302)
    [result] = ingest(site, server.base + "/a")
    assert result.status == "written", result.message
    assert front_matter(articles(root)[0])[0]["source_url"] == final


@pytest.mark.parametrize(
    "routes, message",
    [
        ({"/a": redirect("/b"), "/b": redirect("/a")}, "redirects in a loop (back to {base}/a)"),
        ({f"/{n}": redirect(f"/{n + 1}") for n in range(7)}, "redirects more than 5 times (last to {base}/6)"),
        ({"/a": redirect("ftp://files.example/story.txt")}, "redirects to a ftp: address (ftp://files.example/story.txt); only http and https are followed"),
        ({"/a": redirect("/account/login?next=/a", 302), "/account/login?next=/a": (200, {"Content-Type": "text/html"}, article_page().encode())},
         "was sent to a login or consent page ({base}/account/login?next=/a), not the article: save the page from a browser and ingest the file"),
    ],
    ids=["loop", "too-many", "other-scheme", "login-wall"],
)
def test_bad_redirects_fail_with_the_reason(server, site, routes, message):
    server.routes.update(routes)
    first = next(iter(routes))
    [result] = ingest(site, server.base + first)
    assert (result.status, result.message) == ("failed", message.format(base=server.base))
    assert_nothing_written(site[0])


def test_404_fails_and_the_other_pages_go_on_exit_status_1(server, site):
    root, _ = site
    good = server.page("/good", article_page())
    missing = server.base + "/gone"
    run = digest("ingest", "--config", str(root / "config.yaml"), missing, good)
    assert run.code == 1
    assert run.err.strip() == f"failed: {missing}: the server answered 404 Not Found"
    assert run.out.startswith(f"written: {good} -> content/articles/warehouse-workers-vote-to-unionize.md")
    assert len(articles(root)) == 1


def test_500_then_200_is_retried_once(server, site):
    root, _ = site
    answers = iter([(500, {"Content-Type": "text/html"}, b"oops"), (200, {"Content-Type": "text/html"}, article_page().encode())])
    server.routes["/flaky"] = lambda h: h.answer(*next(answers))
    [result] = ingest(site, server.base + "/flaky")
    assert result.status == "written", result.message
    assert server.hits("/flaky") == 2 and len(articles(root)) == 1


def test_500_twice_fails(server, site):
    server.routes["/down"] = (503, {"Content-Type": "text/html"}, b"down")
    [result] = ingest(site, server.base + "/down")
    assert (result.status, result.message) == ("failed", "the server answered 503 Service Unavailable (tried twice)")
    assert server.hits("/down") == 2
    assert_nothing_written(site[0])


def test_a_slow_server_hits_the_timeout_and_is_retried_once(server, site):
    def slow(handler):
        time.sleep(1.0)
        handler.answer(200, {"Content-Type": "text/html"}, article_page().encode())

    server.routes["/slow"] = slow
    started = time.monotonic()
    [result] = ingest(site, server.base + "/slow", limits=Limits(per_host_interval=0, retry_pause=0.05, total_timeout=0.3))
    assert (result.status, result.message) == ("failed", "no complete answer within 0.3 s (timed out) (tried twice)")
    assert server.hits("/slow") == 2 and time.monotonic() - started < 1.5
    assert_nothing_written(site[0])


def test_a_body_trickling_past_the_total_time_is_cut_off(server, site):
    def trickle(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        for _ in range(40):
            handler.wfile.write(b"5\r\n<p>x\n\r\n")
            handler.wfile.flush()
            time.sleep(0.05)
        handler.wfile.write(b"0\r\n\r\n")

    server.routes["/trickle"] = trickle
    [result] = ingest(site, server.base + "/trickle", limits=Limits(per_host_interval=0, retry_pause=0.05, total_timeout=0.5))
    assert (result.status, result.message) == ("failed", "no complete answer within 0.5 s (timed out) (tried twice)")


def _starts(server, path: str) -> list[float]:
    return [t for p, t, _ua in server.requests if p == path]


@pytest.mark.parametrize("length", [True, False], ids=["chunked", "ends-with-the-connection"])
def test_a_body_that_trickles_then_stalls_is_cut_off_at_the_deadline(server, site, length):
    """Bytes just often enough to beat a read timeout, then nothing: each attempt ends at its deadline, not a read timeout later."""
    def trickle_then_stall(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        if length:
            handler.send_header("Transfer-Encoding", "chunked")
        else:
            handler.close_connection = True  # no length: the body ends when the connection does
        handler.end_headers()
        for _ in range(9):  # 0.45 s of a chunk every 0.05 s, within the 0.5 s limit
            handler.wfile.write(b"5\r\n<p>x\n\r\n" if length else b"<p>x\n")
            handler.wfile.flush()
            time.sleep(0.05)
        time.sleep(3)  # then the server stalls

    server.routes["/stall"] = trickle_then_stall
    limit = 0.5
    started = time.monotonic()
    [result] = ingest(site, server.base + "/stall", limits=Limits(per_host_interval=0, retry_pause=0.05, total_timeout=limit))
    elapsed = time.monotonic() - started
    assert (result.status, result.message) == ("failed", "no complete answer within 0.5 s (timed out) (tried twice)")
    first, second = _starts(server, "/stall")
    # The second attempt starts a pause after the first one's deadline; a read timeout would have added up to 0.5 s more.
    assert second - first < limit + 0.05 + 0.25
    assert elapsed < 2 * limit + 0.05 + 0.4
    assert_nothing_written(site[0])


def test_headers_that_trickle_are_cut_off_at_the_deadline(server, site):
    """A status line, then a header line every 0.1 s for seconds: no read waits long, the request must still end."""
    def slow_headers(handler):
        handler.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n")
        for n in range(40):
            handler.wfile.write(b"X-Wait-%d: 1\r\n" % n)
            handler.wfile.flush()
            time.sleep(0.1)
        handler.close_connection = True

    server.routes["/headers"] = slow_headers
    started = time.monotonic()
    [result] = ingest(site, server.base + "/headers", limits=Limits(per_host_interval=0, retry_pause=0.05, total_timeout=0.5))
    assert (result.status, result.message) == ("failed", "no complete answer within 0.5 s (timed out) (tried twice)")
    assert time.monotonic() - started < 2 * 0.5 + 0.05 + 0.4


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_body_over_the_cap_fails(server, site, chunked):
    big = article_page(extra_body="<p>" + "word " * 5000 + "</p>").encode()
    if chunked:
        def send(handler):
            handler.send_response(200)
            handler.send_header("Content-Type", "text/html")
            handler.send_header("Transfer-Encoding", "chunked")
            handler.end_headers()
            for start in range(0, len(big), 4096):
                part = big[start : start + 4096]
                handler.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            handler.wfile.write(b"0\r\n\r\n")

        server.routes["/big"] = send
    else:
        server.page("/big", big)
    [result] = ingest(site, server.base + "/big", limits=Limits(per_host_interval=0, max_bytes=20_000))
    assert result.status == "failed"
    assert result.message.startswith("is larger than the 0.0190735 MB limit for a page")
    assert_nothing_written(site[0])


@pytest.mark.parametrize(
    "content_type, message",
    [
        ("application/pdf", "is a PDF (application/pdf), not a web page: ingest takes news pages in HTML"),
        ("image/png", "is an image (image/png), not a web page: give the link of the article that shows it"),
    ],
)
def test_not_html_fails(server, site, content_type, message):
    url = server.page("/file", b"%PDF-1.4 or PNG bytes" * 100, content_type=content_type)
    [result] = ingest(site, url)
    assert (result.status, result.message) == ("failed", message)
    assert_nothing_written(site[0])


def test_only_http_and_https_links(site):
    [result] = ingest(site, "ftp://files.example/story.html")
    assert (result.status, result.message) == ("failed", "is not an http or https link: only web pages can be fetched")


def test_the_real_limits_are_the_documented_ones():
    assert (DEFAULT_LIMITS.max_redirects, DEFAULT_LIMITS.connect_timeout, DEFAULT_LIMITS.total_timeout) == (5, 10.0, 30.0)
    assert DEFAULT_LIMITS.max_bytes == 10 * 1024 * 1024
    assert (DEFAULT_LIMITS.concurrency, DEFAULT_LIMITS.per_host_interval) == (4, 1.0)


@pytest.mark.slow
def test_at_most_four_at_a_time_and_one_request_a_second_per_host(server, site):
    """With the real limits: six pages on one host are asked a second apart; on six hosts, four at once."""
    def slow_page(handler):
        time.sleep(0.3)
        handler.answer(200, {"Content-Type": "text/html"}, article_page(f"Story {handler.path}").encode())

    for n in range(6):
        server.routes[f"/s{n}"] = slow_page
    same_host = [f"{server.base}/s{n}" for n in range(3)]
    ingest(site, *same_host, limits=DEFAULT_LIMITS)
    times = sorted(t for _p, t, _ua in server.requests)
    # Arrival times at the server carry the scheduling noise of a busy machine; without pacing the gaps are ~0.
    assert len(times) == 3 and all(b - a >= 0.75 for a, b in itertools.pairwise(times)) and times[-1] - times[0] >= 1.8
    # Six hosts (127.0.0.2 to 127.0.0.7, loopback addresses all): four pages at a time.
    many_hosts = [server.listen(f"127.0.0.{n + 2}") + f"/s{n}" for n in range(6)]
    results = ingest(site, *many_hosts, limits=DEFAULT_LIMITS)
    assert [r.status for r in results] == ["written"] * 6
    assert server.most_active == 4


# --------------------------------------------------------------------------- what a page holds


def test_a_wrong_declared_charset_is_read_from_the_bytes(server, site):
    text = ["Café workers in Montréal won a “living wage” deal – the union’s first in the sector this year.", *PARAGRAPHS]
    body = article_page("Café workers win a living wage", paragraphs=text).encode("cp1252")
    url = server.page("/cafe", body, content_type="text/html; charset=utf-8")  # the header says UTF-8, the bytes are cp1252
    [result] = ingest(site, url)
    assert result.status == "written", result.message
    data, md = front_matter(articles(site[0])[0])
    assert data["title"] == "Café workers win a living wage"
    assert "Café workers in Montréal won a “living wage” deal – the union’s first" in md


def test_a_paywall_stub_with_two_sentences_fails(server, site):
    stub = article_page("Inside the strike", paragraphs=["The strike entered its third week on Monday.",
                                                         "Subscribe to keep reading this story."], closing=False)
    url = server.page("/paywalled", stub)
    [result] = ingest(site, url)
    assert result.status == "failed"
    assert result.message == ("shows only 2 sentences of article text, behind what looks like a paywall, login or consent wall. "
                              "Open the page in a browser where you can read it, then save it or copy its HTML (select all, copy) and ingest that")
    assert_nothing_written(site[0])


def test_a_home_page_of_links_fails(server, site):
    links = "\n".join(f'<li><a href="/2025/story-{n}">Headline number {n} about workers and their unions</a></li>' for n in range(40))
    home = f"<!DOCTYPE html><html><head><title>The Labor Ledger</title></head><body><h1>The Labor Ledger</h1><ul>{links}</ul></body></html>"
    url = server.page("/", home)
    [result] = ingest(site, url)
    assert result.status == "failed"
    assert result.message.startswith("is a list of links (40 links, ") and "not an article: a home page or a section front?" in result.message
    assert_nothing_written(site[0])


def test_the_same_article_by_two_links_is_one_article(server, site):
    root, _ = site
    first = server.page("/story?ref=home", article_page(head=PLAIN_HEAD))
    second = server.page("/amp/story", article_page(head=PLAIN_HEAD))
    results = ingest(site, first, second)
    assert [r.status for r in results] == ["written", "unchanged"]
    assert results[1].article == results[0].article
    assert results[1].message == "the page gives the same article as when it was ingested (content/sources/warehouse-workers-vote-to-unionize.html)"
    assert len(articles(root)) == 1 and len(saved_copies(root)) == 1
    # A later run with the second link alone: still the one article.
    assert ingest(site, second)[0].status == "unchanged"


def test_a_changed_page_updates_the_article_unless_edited_by_hand(server, site):
    root, _ = site
    url = server.page("/story", article_page(head=PLAIN_HEAD))
    assert ingest(site, url)[0].status == "written"
    [path] = articles(root)
    first_id = front_matter(path)[0]["id"]
    server.page("/story", article_page(head=PLAIN_HEAD, paragraphs=[*PARAGRAPHS, "The vote was certified on Friday by the labour board."]))
    result = ingest(site, url)[0]
    assert (result.status, result.message) == ("updated", "source changed; kept the article's id and added date; to review: dek")
    data, body = front_matter(path)
    assert data["id"] == first_id and "certified on Friday" in body
    path.write_text(path.read_text(encoding="utf-8").replace("Workers at the distribution", "Staff at the distribution"), encoding="utf-8")
    server.page("/story", article_page(head=PLAIN_HEAD, paragraphs=PARAGRAPHS[:3]))
    edited = path.read_bytes()
    result = ingest(site, url)[0]
    assert result.status == "skipped" and "--force" in result.message
    assert path.read_bytes() == edited


def test_clipboard_html_fragment_from_standard_input(site):
    root, _ = site
    # What a browser puts on the clipboard after select all and copy: a fragment, no <html>.
    fragment = '<meta charset="utf-8"><h1 style="font-size: 2em">Bus drivers ratify a new contract</h1><p>By Lena Ortiz</p>' + "".join(
        f'<p style="margin: 0">{p}</p>' for p in PARAGRAPHS)
    [result] = ingest(site, "-", stdin=fragment.encode("utf-8"))
    assert result.status == "written", result.message
    data, body = front_matter(articles(root)[0])
    assert data["title"] == "Bus drivers ratify a new contract" and data["authors"] == ["Lena Ortiz"]
    assert data["source_file"] == "<stdin>" and body.strip().split("\n\n") == PARAGRAPHS
    assert saved_copies(root) == []
    assert ingest(site, "-", stdin=fragment.encode("utf-8"))[0].status == "unchanged"


def test_saved_pages_and_a_folder_of_txt_and_html(server, site, tmp_path):
    root, _ = site
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "one.html").write_text(article_page("Teachers reach a deal"), encoding="utf-8")
    (folder / "two.htm").write_bytes(article_page("Miners return to work", head='<meta charset="windows-1252">').encode("cp1252"))
    (folder / "three.txt").write_text("Cleaners win sick pay\n\nBy Sam Reed\n\n" + "\n\n".join(PARAGRAPHS) + "\n", encoding="utf-8")
    (folder / "notes.md").write_text("not a page", encoding="utf-8")
    results = ingest(site, str(folder))
    assert sorted((Path(r.source).name, r.status) for r in results) == [("one.html", "written"), ("three.txt", "written"), ("two.htm", "written")]
    titles = sorted(front_matter(p)[0]["title"] for p in articles(root))
    assert titles == ["Cleaners win sick pay", "Miners return to work", "Teachers reach a deal"]


def test_urls_file_with_comments_and_a_bad_line(server, site, tmp_path):
    root, _ = site
    url = server.page("/story", article_page())
    listing = tmp_path / "links.txt"
    listing.write_text(f"# this week\n\n{url}\nnot a link\n", encoding="utf-8")
    run = digest("ingest", "--config", str(root / "config.yaml"), "--urls", str(listing))
    assert run.code == 1
    assert run.out.startswith(f"written: {url} -> ")
    assert run.err.strip() == f"failed: {listing}:4: 'not a link' is not a link: write one http:// or https:// address a line"


def test_the_visible_text_is_read_when_the_markup_has_no_article(server, site):
    """Markup trafilatura takes for furniture (the story inside an <aside>): the text reader reads the visible text, and says so."""
    story = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    page = (f"<!DOCTYPE html><html><head><title>Port workers end strike</title></head><body><h1>Port workers end strike</h1>"
            f"<p>By Kim Sato</p><aside class='sidebar'>{story}</aside></body></html>")
    [result] = ingest(site, server.page("/odd", page))
    assert result.status == "written", result.message
    assert result.message.startswith("no article markup found; read from the page's visible text")
    data, body = front_matter(articles(site[0])[0])
    assert data["title"] == "Port workers end strike"
    assert body.strip().split("\n\n") == PARAGRAPHS


def test_front_matter_is_yaml_a_reader_can_load(server, site):
    url = server.page("/story", article_page(head=PLAIN_HEAD))
    ingest(site, url)
    text = articles(site[0])[0].read_text(encoding="utf-8")
    assert yaml.safe_load(text.split("---\n")[1])["title"] == "Warehouse workers vote to unionize"


def test_a_news_brief_of_two_sentences_is_kept(server, site):
    """Short is not a wall: two long sentences of plain news, with no sign-in or subscribe prompt, are an article."""
    brief = [("Transit workers in the city will strike on Monday after talks on wages and rest breaks broke down late on "
              "Friday night, the union representing more than four thousand drivers and mechanics said."),
             ("The transit authority said it would run a reduced service on its busiest routes during the strike and "
              "urged riders to check its website before travelling.")]
    page = article_page("Transit strike set for Monday", paragraphs=brief, closing=False)
    [result] = ingest(site, server.page("/brief", page))
    assert result.status == "written", result.message
    assert front_matter(articles(site[0])[0])[1].strip().split("\n\n") == brief


def test_a_cookie_consent_wall_fails(server, site):
    wall = ("<!DOCTYPE html><html><head><title>Before you continue</title></head><body><h1>Before you continue</h1>"
            "<div><p>We use cookies and data to deliver and maintain our services.</p>"
            "<p>Select Accept all to agree to our privacy settings.</p><button>Accept all</button></div></body></html>")
    [result] = ingest(site, server.page("/consent", wall))
    assert result.status == "failed"
    assert result.message.startswith("shows only 2 sentences of article text, behind what looks like a paywall, login or consent wall.")
    assert_nothing_written(site[0])


def test_a_canonical_naming_the_home_page_does_not_merge_articles(server, site):
    head = '<link rel="canonical" href="https://news.example.org/">'
    first = server.page("/2025/one", article_page("Teachers vote to strike", head=head))
    second = server.page("/2025/two", article_page("Nurses vote to strike", head=head))
    results = ingest(site, first, second)
    assert [r.status for r in results] == ["written", "written"]
    assert sorted(front_matter(p)[0]["source_url"] for p in articles(site[0])) == [first, second]


def test_clipboard_html_through_the_real_command(site):
    """`xclip -o -t text/html | digest ingest -`: the digest command reads HTML from its standard input."""
    import subprocess
    import sys

    root, _ = site
    fragment = "<meta charset='utf-8'><h1>Bus drivers ratify a new contract</h1>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    done = subprocess.run([sys.executable, "-m", "generator", "ingest", "--config", str(root / "config.yaml"), "-"],
                          input=fragment.encode(), capture_output=True, cwd=root, timeout=120, check=False)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().startswith("written: <stdin> -> content/articles/bus-drivers-ratify-a-new-contract.md")
    assert front_matter(articles(root)[0])[0]["title"] == "Bus drivers ratify a new contract"


# --------------------------------------------------------------------------- the reader alone, on pages made here


def read(page: str, url: str = "https://news.example.org/story"):
    from generator.ingest.htmlpage import decode_html, read_html

    return read_html(decode_html(page.encode("utf-8")), url).extraction


def test_lists_quotes_and_tables_become_markdown():
    extra = ("<ul><li>Higher pay for night shifts</li><li>Two paid rest breaks</li></ul>"
             "<ol><li>Vote</li><li>Bargain</li></ol>"
             "<blockquote><p>We will not go back to the old schedule.</p></blockquote>"
             "<table><tr><th>Site</th><th>Votes</th></tr><tr><td>North</td><td>412</td></tr><tr><td>South</td><td>388</td></tr></table>"
             '<p>Read <a href="/report">the report</a> or <a href="mailto:desk@example.org">write to us</a>.</p>'
             '<iframe src="https://video.example/embed/1"></iframe>')
    body = read(article_page(extra_body=extra)).body_md
    assert "- Higher pay for night shifts\n- Two paid rest breaks" in body
    assert "1. Vote\n2. Bargain" in body
    assert "> We will not go back to the old schedule." in body
    assert "| Site | Votes |\n| --- | --- |\n| North | 412 |\n| South | 388 |" in body
    assert "Read [the report](https://news.example.org/report) or write to us." in body
    assert "video.example" not in body and "Workers outside the site" not in body  # embeds and captions go


@pytest.mark.parametrize("kind", ["NewsArticle", "ReportageNewsArticle", "BlogPosting", "Article"])
def test_json_ld_article_types(kind):
    head = ('<script type="application/ld+json">' + json.dumps({"@context": "https://schema.org", "@type": kind,
            "headline": "Warehouse workers vote to unionize", "datePublished": "2025-03-05T01:30:00+11:00",
            "author": {"@type": "Person", "name": "Ana Lima"}}) + "</script>")
    found = read(article_page(head=head, byline=""))
    # The declared instant, in the zone of the <time> the page shows it with.
    assert (found.title, found.authors, found.date.isoformat()) == ("Warehouse workers vote to unionize", ("Ana Lima",), "2025-03-04T09:30:00-05:00")
    found = read(article_page(head=head, byline="").replace('<time datetime="2025-03-04T09:30:00-05:00">March 4, 2025</time>', ""))
    assert found.date.isoformat() == "2025-03-05T01:30:00+11:00"  # nothing printed: the declaration as it is


def test_parsely_and_sailthru_tags():
    parsely = ('<meta name="parsely-title" content="Warehouse workers vote to unionize">'
               '<meta name="parsely-author" content="Ana Lima"><meta name="parsely-author" content="Omar Haddad">'
               '<meta name="parsely-pub-date" content="2025-03-04T14:30:00Z"><meta name="parsely-section" content="Labor">')
    found = read(article_page(head=parsely, byline=""))
    assert found.authors == ("Ana Lima", "Omar Haddad") and found.section == "Labor"
    assert found.date.isoformat() == "2025-03-04T09:30:00-05:00"  # the printed time on the page, in its own zone
    sailthru = ('<meta name="sailthru.author" content="By Ana Lima, Staff Writer">'
                '<meta name="sailthru.date" content="2025-03-04 09:30:00 -0500">')
    found = read(article_page(head=sailthru, byline=""))
    assert found.authors == ("Ana Lima",) and found.date.isoformat() == "2025-03-04T09:30:00-05:00"


def test_time_element_and_byline_markup_when_nothing_is_declared():
    page = article_page(byline='<div class="article-byline">By <span>Ana Lima</span> and <span>Omar Haddad</span>, Staff Writers</div>')
    found = read(page)
    assert found.authors == ("Ana Lima", "Omar Haddad")
    assert found.date.isoformat() == "2025-03-04T09:30:00-05:00"
    assert found.title == "Warehouse workers vote to unionize" and "title" not in found.review
    assert found.publication is None and "publication" in found.review  # the copyright line is no declaration


def test_a_staff_byline_is_no_person():
    head = '<meta name="author" content="Labor Ledger Staff">'
    found = read(article_page(head=head, byline="<p class='byline'>By Labor Ledger Staff</p>"))
    assert found.authors == () and "authors" in found.review


def test_a_refused_connection_fails_with_the_reason(site):
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    [result] = ingest(site, f"http://127.0.0.1:{port}/story")
    assert (result.status, result.message) == ("failed", "cannot be fetched: the server refused the connection")
    assert_nothing_written(site[0])


def test_a_page_saved_by_a_browser_keeps_its_address(site, tmp_path):
    """Chromium's "Save page as" writes `<!-- saved from url=(0044)... -->` first: that is the page's address."""
    root, _ = site
    saved = tmp_path / "Warehouse workers vote.html"
    address = "https://news.example.org/2025/03/warehouse-union"
    saved.write_text(f"<!-- saved from url=({len(address):04d}){address} -->\n" + article_page(), encoding="utf-8")
    [result] = ingest(site, str(saved))
    assert result.status == "written", result.message
    data, _ = front_matter(articles(root)[0])
    assert data["source_url"] == address and data["source_file"] == saved.name  # the path from the site root
    assert saved_copies(root) == []  # a file given by the editor is not copied


def test_the_byline_under_the_headline_not_a_sidebar_story_or_a_comment():
    sidebar = ('<aside><ul><li><a href="/other">Nurses win a pay rise</a> <span class="byline">Joan Park</span></li>'
               '<li><a href="/more">Dockers end their strike</a> <span class="byline">Lee Grant</span></li></ul></aside>')
    comments = '<ol class="comment-list"><li class="comment"><div class="byline">Sam Reader</div><p>Good news.</p></li></ol>'
    page = article_page(byline='<p><span class="byline">Ana Lima</span></p>', extra_body=comments)
    page = page.replace("<main>", "<main>" + sidebar)
    assert read(page).authors == ("Ana Lima",)
    # Only the comments hold a byline: no one is named.
    assert read(article_page(byline="", extra_body=comments)).authors == ()


@pytest.mark.parametrize(
    "byline, people",
    [
        ("By Martin Roux (avec Claire Petit et Hugo Bernard)", ("Martin Roux", "Claire Petit", "Hugo Bernard")),
        ("By Ana Lima (with Omar Haddad)", ("Ana Lima", "Omar Haddad")),
        ("By Richard (R.J.) Eskow", ("Richard Eskow",)),  # a nickname in brackets is no one else
        ("By Ana Lima (Reuters)", ("Ana Lima",)),
    ],
)
def test_brackets_in_a_byline(byline, people):
    found = read(article_page(byline=f'<p class="byline">{byline}</p>'))
    assert found.authors == people and "authors" not in found.review  # read from the byline, not guessed


@pytest.mark.parametrize(
    "author, people",
    [("肖春芳", ("肖春芳",)), ("정덕현 기자", ("정덕현",)), ("光明网", ()), ("新华社", ()), ("佚名", ())],
)
def test_a_name_in_a_script_without_capitals(author, people):
    """A Chinese or Korean name is one word; an outlet, an agency or "anonymous" in the author field is no one."""
    found = read(article_page(head=f'<meta name="author" content="{author}">', byline=""))
    assert found.authors == people


def test_of_the_declared_dates_the_one_the_page_prints():
    """JSON-LD's dateCreated a day late, the meta tag's date printed under the headline: the reader's date is the printed one."""
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Warehouse workers vote to unionize",'
            ' "dateCreated": "2025-03-05T10:41:09Z"}</script><meta name="datePublished" content="2025-03-04T14:30:00+0000">')
    found = read(article_page(head=head))
    assert found.date.isoformat() == "2025-03-04T09:30:00-05:00"
    # Printed nowhere: the best source's date, as declared.
    found = read(article_page(head=head).replace('<time datetime="2025-03-04T09:30:00-05:00">March 4, 2025</time>', ""))
    assert found.date.isoformat() == "2025-03-05T10:41:09+00:00"


def test_a_page_declaring_itself_a_collection_fails(server, site):
    """A section front with a run of teasers trafilatura takes for a body; its JSON-LD says what it is."""
    teasers = "".join(f'<h2><a href="/2025/story-{n}">Story {n}</a></h2><p>{p}</p><p>By Writer {chr(65 + n)}</p>' for n, p in enumerate(PARAGRAPHS))
    head = '<script type="application/ld+json">{"@type": "CollectionPage", "mainEntity": {"@type": "ItemList", "itemListElement": []}}</script>'
    front = f"<!DOCTYPE html><html><head><title>Labor | The Ledger</title>{head}</head><body><main>{teasers}</main></body></html>"
    [result] = ingest(site, server.page("/labor/", front))
    assert (result.status, result.message) == (
        "failed", "is a list of articles (the page calls itself a CollectionPage), not an article: a home page or a section front? Give the link of one article")
    assert_nothing_written(site[0])


# --------------------------------------------------------------------------- the same source, the same article


def test_a_saved_page_gives_its_article_back_offline_after_the_article_was_deleted(server, site):
    """The saved copy's first line holds what the article needs: the id comes from the source, `added` from the fetch."""
    root, _ = site
    [first] = ingest(site, server.page("/story", article_page(head=PLAIN_HEAD)))
    assert first.status == "written", first.message
    [path] = articles(root)
    [copy] = saved_copies(root)
    written = path.read_bytes()
    fetched = copy.read_bytes().split(b" fetched ", 1)[1][:20].decode()  # 2026-...Z, the real time of the fetch
    data, _ = front_matter(path)
    assert data["added"] == fetched[:10]  # the site's zone here is UTC
    path.unlink()
    server.routes.clear()
    later = datetime(2027, 6, 1, 12, 0, tzinfo=UTC)
    [again] = ingest_paths([str(copy)], root / "content" / "articles", site[1], today=later, limits=QUICK)
    assert (again.status, again.article) == ("written", first.article)
    assert path.read_bytes() == written


def test_added_is_the_day_of_the_fetch_in_the_sites_zone(tmp_path):
    """Fetched at 02:00 UTC on 5 March is still 4 March in New York."""
    config = parse_config("title: T\nbase_url: https://example.org/\ntimezone: America/New_York\n", tmp_path)
    saved = tmp_path / "content" / "sources" / "story.html"
    saved.parent.mkdir(parents=True)
    saved.write_text("<!-- saved from url=https://news.example.org/story fetched 2025-03-05T02:00:00Z charset=utf-8 by Labor Digest -->\n"
                     + article_page(), encoding="utf-8")
    [result] = ingest_paths([str(saved)], tmp_path / "content" / "articles", config, today=TODAY, limits=QUICK)
    assert result.status == "written", result.message
    data, _ = front_matter(tmp_path / result.article)
    assert data["added"] == "2025-03-04"


def test_every_source_gets_an_id_of_its_own_that_stays(site, tmp_path):
    """Two saved copies of one page are two articles with two ids; a text source keeps its id when its article is made again."""
    root, _ = site
    sources = root / "content" / "sources"
    sources.mkdir(parents=True)
    (sources / "a.html").write_text(article_page(head=PLAIN_HEAD), encoding="utf-8")
    (sources / "b.html").write_text(article_page(head=PLAIN_HEAD), encoding="utf-8")
    (sources / "c.txt").write_text("Cleaners win sick pay\n\nBy Sam Reed\n\n" + "\n\n".join(PARAGRAPHS) + "\n", encoding="utf-8")
    results = ingest(site, str(sources))
    assert [r.status for r in results] == ["written"] * 3
    ids = [front_matter(root / r.article)[0]["id"] for r in results]
    assert len(set(ids)) == 3 and all(i.startswith("urn:uuid:") for i in ids)
    text_article = root / results[2].article
    written = text_article.read_bytes()
    text_article.unlink()
    assert ingest(site, str(sources / "c.txt"))[0].status == "written"
    assert text_article.read_bytes() == written  # the same day: the same file
    built = digest("build", "--config", str(root / "config.yaml"), "--out", str(tmp_path / "public"))
    assert built.code == 0, built.err  # no two articles share an id


# --------------------------------------------------------------------------- the body: what is the article's, what is the page's


def test_a_body_cut_into_chunks_with_ads_between_is_read_whole():
    """Some outlets cut the body into several elements of one class, an ad slot between each: every chunk is the article."""
    chunk = '<div class="article__body body-text">{}</div>'
    first = chunk.format("".join(f"<p>{p}</p>" for p in PARAGRAPHS[:2]))
    second = chunk.format("".join(f"<p>{p}</p>" for p in PARAGRAPHS[2:]) + f"<p>{CLOSING}</p>")
    page = (f"<!DOCTYPE html><html><head><title>Warehouse workers vote to unionize</title></head><body><article>"
            f"<h1>Warehouse workers vote to unionize</h1><p class='byline'>By Ana Lima</p>"
            f"<div class='row'><div class='grid'>{first}<div class='aside'></div></div></div>"
            f"<div class='row ad-slot'><div class='ad'>Advertisement</div></div>"
            f"<div class='row'><div class='grid'>{second}<div class='aside'></div></div></div></article></body></html>")
    assert read(page).body_md.split("\n\n") == [*PARAGRAPHS, CLOSING]


def test_links_to_other_stories_and_the_outlets_promotions_are_not_the_article():
    extra = ('<p>Related: <a href="/2025/02/bus-strike">Bus drivers strike over rest breaks</a></p>'
             '<p>SEE MORE: <a href="/2025/01/nurses">Nurses win a pay rise after a long dispute</a></p>'
             '<p>Sign up for <a href="/newsletter">The Ledger Daily</a>, our free newsletter.</p>'
             '<ul><li><a href="/a">Teachers vote on a new contract</a></li><li><a href="/b">Cleaners win sick pay</a></li></ul>'
             '<p><a href="/c">Dockers end their strike at the port</a></p><p><a href="/d">Miners return to work on Monday</a></p>'
             '<p>© 2025 The Labor Ledger</p>')
    body = read(article_page(extra_body=extra, closing=False)).body_md
    assert body.split("\n\n") == PARAGRAPHS


def test_a_link_in_a_sentence_and_a_list_of_points_stay():
    """Only links standing for other stories go: a sentence with a link, or a list of points, is the article's."""
    extra = ('<p>Read the <a href="/report">full report</a> on the vote, published by the board on Friday afternoon.</p>'
             '<ul><li>Higher pay for night shifts</li><li><a href="/breaks">Two paid rest breaks</a></li></ul>')
    body = read(article_page(extra_body=extra, closing=False)).body_md
    assert body.split("\n\n")[-2:] == [
        "Read the [full report](https://news.example.org/report) on the vote, published by the board on Friday afternoon.",
        "- Higher pay for night shifts\n- [Two paid rest breaks](https://news.example.org/breaks)",
    ]


@pytest.mark.parametrize(
    "byline, people",
    [("Labor Ledger Staff", []), ("JOHN ROE Associated Press", ["John Roe"]), ("Jane Doe Staff Writer", ["Jane Doe"]),
     ("Ana Lima, Metro Desk", ["Ana Lima"]), ("Perry Bacon Jr.", ["Perry Bacon Jr."]), ("Ana Lima and Joe S.", ["Ana Lima", "Joe S."])],
)
def test_a_newsroom_is_no_person_but_a_person_before_it_is(byline, people):
    """normalize's names, as both readers use them: "<outlet> Staff" is the newsroom; a name before a role or desk stays."""
    from generator.ingest.normalize import split_names

    assert split_names(byline) == people
    found = read(article_page(byline=f'<p class="byline">By {byline}</p>'))
    assert list(found.authors) == people
    assert ("authors" in found.review) == (not people)  # read from the byline itself, not guessed


def test_a_declared_day_takes_its_time_from_a_later_declaration_of_that_day():
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Warehouse workers vote to unionize",'
            ' "datePublished": "March 4, 2025"}</script><meta property="article:published_time" content="2025-03-04T14:30:00+00:00">')
    assert read(article_page(head=head)).date.isoformat() == "2025-03-04T09:30:00-05:00"  # in the zone the page prints


def test_a_placeholder_date_is_no_date_and_the_printed_time_is_read():
    """JSON-LD's "0001-01-01" is a template's empty value: htmldate finds the day (here in the address), the page prints its time and zone."""
    head = '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "0001-01-01T00:00:00Z"}</script>'
    page = article_page(head=head, byline='<p class="byline">By Ana Lima</p><p class="publish-date">10:02 a.m. ET Nov. 19, 2019</p>')
    page = page.replace('<time datetime="2025-03-04T09:30:00-05:00">March 4, 2025</time>', "").replace("© 2025 ", "")
    assert read(page, "https://news.example.org/2019/11/19/warehouse-union").date.isoformat() == "2019-11-19T10:02:00-05:00"


@pytest.mark.parametrize(
    "h1s, title",
    [
        # Microdata names the printed headline among several <h1>s; og:title is the social one.
        ('<h1 itemprop="headline">The printed headline of the story</h1><h1>We need to talk about your ad blocker</h1>', "The printed headline of the story"),
        # An aggregator's <h1> links to the story it picked, on another site: the page's own headline is the declared one.
        ('<h1 itemprop="headline"><a href="https://elsewhere.example/story">Why the picked story matters</a></h1>', "A social headline for sharing"),
        # A name of two words in the only <h1>, unlike the declared headline: the site's name, not the headline.
        ("<h1>엔터 미디어</h1>", "A social headline for sharing"),
    ],
)
def test_which_h1_is_the_headline(h1s, title):
    head = '<meta property="og:title" content="A social headline for sharing">'
    page = article_page(head=head).replace("<h1>Warehouse workers vote to unionize</h1>", h1s)
    assert read(page).title == title


def test_a_wire_storys_credit_line_names_its_reporters_when_no_byline_does():
    credit = "<p>(Reporting by Will Dunham and Koh Gui Qing in Washington; Additional reporting by Ann Lee; Editing by Tom Brown)</p>"
    found = read(article_page(byline="<p class='byline'>REUTERS</p>", extra_body=credit))
    assert found.authors == ("Will Dunham", "Koh Gui Qing") and "authors" not in found.review
    # A byline naming someone comes first.
    assert read(article_page(extra_body=credit)).authors == ("Ana Lima",)
