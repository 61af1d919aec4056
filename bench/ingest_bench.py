"""Score ingest on the ingest dev set: body precision, recall and F1, and title, authors and date rates.

Scoring is in ingest_score.py, by the rules of ../shared/ingest-bench/README.md.

    .venv/bin/python bench/ingest_bench.py [--write DIR] [--worst N] [--bench PATH]
    .venv/bin/python bench/ingest_bench.py --html [--unseen REPO]

Without --html: text ingest of the copied text (dev/ID.txt). With --html: the same
pages' saved HTML (dev-html/ID.html.gz) through the whole of `digest ingest`, once by
link from local HTTP servers and once from the saved files, beside text ingest.
Each page is served at its true address's path and query, and each of the pages'
hosts gets its own loopback address (127.0.0.2, 127.0.0.3, ...), so the fetcher's
one-request-a-second-per-host rule applies as it would on the web. The time by link
is the wall time of the whole ingest: fetching, reading, writing the articles.

--unseen REPO scores the pages of scrapinghub/article-extraction-benchmark (a checkout
with html/ID.html.gz and ground-truth.json) that are not in the dev set: pages no rule
was written against.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest_score import body_score, body_totals, format_metadata, harmonic, metadata_score, metadata_totals

from generator.frontmatter import dump, split
from generator.ingest.textpage import extract

BENCH = ROOT.parent / "shared" / "ingest-bench"


def run(bench: Path = BENCH, write: Path | None = None) -> dict:
    truth = json.loads((bench / "dev" / "truth.json").read_text(encoding="utf-8"))
    labels = read_labels(bench / "dev" / "metadata.yaml")
    pages = []
    fields = []
    extracting = 0.0
    started = time.perf_counter()
    for page_id in sorted(truth):
        text = (bench / "dev" / f"{page_id}.txt").read_text(encoding="utf-8")
        before = time.perf_counter()
        result = extract(text)
        extracting += time.perf_counter() - before
        p, r = body_score(result.body_md, truth[page_id]["body"])
        pages.append((harmonic(p, r), p, r, page_id, truth[page_id]["url"]))
        if page_id in labels:
            fields.append(metadata_score(labels[page_id], result.title, result.authors, result.date))
        if write:
            write.mkdir(parents=True, exist_ok=True)
            meta = {k: v for k, v in result.front_matter().items() if v}
            (write / f"{page_id}.md").write_text(dump(meta, result.body_md), encoding="utf-8")
    elapsed = time.perf_counter() - started
    precision, recall, f1 = body_totals([(p, r) for _, p, r, _, _ in pages])
    return {"precision": precision, "recall": recall, "f1": f1, "seconds": elapsed, "extracting": extracting,
            "pages": sorted(pages), "metadata": metadata_totals(fields)}


def read_labels(path: Path) -> dict[str, dict]:
    """Hand-made title, authors and date labels by page id ({} when the file is not there)."""
    if not path.exists():
        return {}
    import yaml

    return {entry["id"]: entry for entry in yaml.safe_load(path.read_text(encoding="utf-8"))}


# --------------------------------------------------------------------------- HTML, through `digest ingest`


def html_pages(bench: Path) -> dict[str, tuple[str, bytes]]:
    truth = json.loads((bench / "dev-html" / "truth.json").read_text(encoding="utf-8"))
    return {page_id: (truth[page_id]["url"], gzip.decompress((bench / "dev-html" / f"{page_id}.html.gz").read_bytes())) for page_id in sorted(truth)}


class PageServers:
    """One HTTP server per original host, each on its own loopback address, serving pages at their own paths."""

    def __init__(self, pages: dict[str, tuple[str, bytes]]) -> None:
        hosts = sorted({urlsplit(url).hostname or "" for url, _ in pages.values()})
        if len(hosts) > 250:
            raise SystemExit("more hosts than loopback addresses used here")
        self.servers: list[ThreadingHTTPServer] = []
        self.links: dict[str, str] = {}
        routes: dict[str, dict[str, bytes]] = {}
        for url, body in pages.values():
            parts = urlsplit(url)
            routes.setdefault(parts.hostname or "", {})[(parts.path or "/") + (f"?{parts.query}" if parts.query else "")] = body
        bases = {}
        for n, host in enumerate(hosts, start=2):
            server = ThreadingHTTPServer((f"127.0.0.{n}", 0), _handler(routes[host]))
            server.daemon_threads = True
            threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
            self.servers.append(server)
            bases[host] = f"http://127.0.0.{n}:{server.server_address[1]}"
        for page_id, (url, _body) in pages.items():
            parts = urlsplit(url)
            self.links[page_id] = bases[parts.hostname or ""] + (parts.path or "/") + (f"?{parts.query}" if parts.query else "")

    def close(self) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()


def _handler(routes: dict[str, bytes]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            body = routes.get(self.path)
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", "text/html")  # as saved: the charset is the page's to say
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args) -> None:
            pass

    return Handler


def ingest_and_score(sources: list[str], ids: list[str], truth: dict, labels: dict, site: Path) -> dict:
    """Run `ingest_paths` on the sources into a fresh site; score each page's article file."""
    from generator.config import parse_config
    from generator.ingest import ingest_paths

    config = parse_config("title: Bench\nbase_url: https://example.org/\n", site)
    started = time.perf_counter()
    results = ingest_paths(sources, site / "content" / "articles", config)
    elapsed = time.perf_counter() - started
    pages, fields, failed = [], [], []
    for page_id, result in zip(ids, results, strict=True):
        body, fm = "", {}
        if result.article:
            fm, body, _line, _problems = split((site / result.article).read_text(encoding="utf-8"), result.article)
        else:
            failed.append((page_id, result.message))
        p, r = body_score(body, truth[page_id]["body"])
        pages.append((harmonic(p, r), p, r, page_id, truth[page_id]["url"]))
        if page_id in labels:
            fields.append(metadata_score(labels[page_id], fm.get("title"), fm.get("authors") or [], fm.get("date")))
    precision, recall, f1 = body_totals([(p, r) for _, p, r, _, _ in pages])
    return {"precision": precision, "recall": recall, "f1": f1, "seconds": elapsed, "pages": sorted(pages),
            "metadata": metadata_totals(fields), "failed": failed}


def run_html(bench: Path, unseen: Path | None = None) -> dict[str, dict]:
    truth = json.loads((bench / "dev-html" / "truth.json").read_text(encoding="utf-8"))
    labels = read_labels(bench / "dev" / "metadata.yaml")
    pages = html_pages(bench)
    ids = list(pages)
    found: dict[str, dict] = {"text": run(bench)}
    with tempfile.TemporaryDirectory(prefix="ld-ingest-bench-") as work:
        work_dir = Path(work)
        servers = PageServers(pages)
        try:
            found["by link"] = ingest_and_score([servers.links[i] for i in ids], ids, truth, labels, work_dir / "link")
        finally:
            servers.close()
        saved = work_dir / "saved"
        saved.mkdir()
        for page_id, (_url, body) in pages.items():
            (saved / f"{page_id}.html").write_bytes(body)
        found["from files"] = ingest_and_score([str(saved / f"{i}.html") for i in ids], ids, truth, labels, work_dir / "files")
        if unseen is not None:
            other = json.loads((unseen / "ground-truth.json").read_text(encoding="utf-8"))
            other_ids = sorted(set(other) - set(truth))
            folder = work_dir / "unseen"
            folder.mkdir()
            for page_id in other_ids:
                (folder / f"{page_id}.html").write_bytes(gzip.decompress((unseen / "html" / f"{page_id}.html.gz").read_bytes()))
            other_truth = {k: {"url": v["url"], "body": v["articleBody"]} for k, v in other.items()}
            found["unseen, files"] = ingest_and_score([str(folder / f"{i}.html") for i in other_ids], other_ids, other_truth, {}, work_dir / "u")
    return found


def print_html(found: dict[str, dict], worst: int) -> None:
    print(f"{'':14} {'pages':>5} {'P':>6} {'R':>6} {'F1':>6} {'seconds':>8}")
    for name, result in found.items():
        print(f"{name:14} {len(result['pages']):>5} {result['precision']:6.3f} {result['recall']:6.3f} {result['f1']:6.3f} {result['seconds']:8.2f}")
    for name, result in found.items():
        if result["metadata"]["title"][1]:
            print(f"{name:14} {format_metadata(result['metadata'])}")
    for name, result in found.items():
        if name == "text":
            continue
        print(f"{name}: {len(result['failed'])} failed" + "".join(f"\n  {i[:12]}  {m}" for i, m in result["failed"]))
        print(f"{name}: worst {worst}:")
        for f, p, r, page_id, url in result["pages"][:worst]:
            print(f"  F1 {f:.3f}  P {p:.3f}  R {r:.3f}  {page_id[:12]}  {url}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", type=Path, help="also write each page's Markdown output here")
    parser.add_argument("--worst", type=int, default=5, help="how many of the worst pages to list")
    parser.add_argument("--bench", type=Path, default=BENCH, help="the ingest-bench folder")
    parser.add_argument("--html", action="store_true", help="HTML ingest by link and from saved files, beside text ingest")
    parser.add_argument("--unseen", type=Path, help="with --html: a checkout of scrapinghub/article-extraction-benchmark")
    args = parser.parse_args()
    if args.html:
        print_html(run_html(args.bench, args.unseen), args.worst)
        return 0
    result = run(args.bench, args.write)
    print(f"pages {len(result['pages'])}  precision {result['precision']:.3f}  recall {result['recall']:.3f}  F1 {result['f1']:.3f}")
    if result["metadata"]["title"][1]:
        print(format_metadata(result["metadata"]))
    print(f"time {result['seconds']:.2f}s in all, {result['extracting']:.2f}s extracting (one core)")
    print(f"worst {args.worst}:")
    for f, p, r, page_id, url in result["pages"][: args.worst]:
        print(f"  F1 {f:.3f}  P {p:.3f}  R {r:.3f}  {page_id[:12]}  {url}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
