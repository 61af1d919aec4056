"""Search at archive scale: index size, what a reader downloads per query, and query time in Chromium.

For each republish mode the synthetic digest of bench/corpus.py (made once, cached in
the work folder) is built with the project's build, then:

1. index: the time `build_search_index` takes on the assembled site (median of 3,
   in-process, articles from the build cache), the number and bytes of search files
   (raw and gzip -6, as a static host would serve them), and how many search files one
   edit (a sentence appended to the newest article) rewrites;
2. queries: the site is served on loopback and each query runs in Chromium (Debian's,
   via Playwright) on a fresh page: `cold` is the first run, fetching the manifest,
   shards and result documents over loopback; `warm` repeats it with everything the
   script fetched in memory (ranking and drawing the results only). Time is
   performance.now() around search.js's search function, which resolves once the first
   page of results is on screen. The bytes are what the cold run fetched from search/.

    .venv/bin/python bench/search_bench.py                       # 10,000 articles, excerpt and full
    .venv/bin/python bench/search_bench.py --n 1000 --republish excerpt
"""

from __future__ import annotations

import argparse
import gzip
import shutil
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path[:0] = [str(REPO), str(BENCH), str(REPO / "tests")]

import browserkit
from browserkit import chromium, serve_folder
from build_bench import EDIT, ensure_corpus

from generator.build import assemble_site, build, prepare_articles, site_key
from generator.cache import CACHE_DIR, BuildCache, stamp
from generator.config import load_config
from generator.load import list_article_files
from generator.search import build_search_index

# Typical queries over the corpus: common and rare words, phrases of two or three
# words, names, outlets, topic names, a prefix being typed, and a miss.
QUERIES = [
    "strike", "workers", "union", "nurses", "overtime", "heat", "teamsters", "warehouse workers",
    "starbucks baristas", "contract vote", "minimum wage", "nlrb", "layoffs", "automation",
    "gig work", "labor ledger", "patel", "organiz", "pension health", "zeppelin",
]


def kb(n: float) -> str:
    return f"{n / 1024:,.1f} KB"


def index_figures(site_dir: Path, out: Path) -> dict:
    config = load_config(site_dir / "config.yaml")
    cache = BuildCache.load(config.root / CACHE_DIR, site_key(config))
    files = list_article_files(config)
    items = prepare_articles(config, cache, lambda *a: None, files, {rel: stamp(path) for rel, path in files})
    site = assemble_site(config, [i for i in items if not i.article.draft])
    times = []
    for _ in range(3):
        started = time.perf_counter()
        files = build_search_index(site)
        times.append(time.perf_counter() - started)
    shards = {p: d for p, d in files.items() if p.startswith("search/index/") and not p.endswith("/manifest.json")}
    docs = {p: d for p, d in files.items() if p.startswith("search/docs/")}
    return {
        "seconds": statistics.median(times),
        "files": len(files),
        "shards": len(shards),
        "shard_bytes": sum(map(len, shards.values())),
        "shard_gzip": sum(len(gzip.compress(d, 6)) for d in shards.values()),
        "doc_bytes": sum(map(len, docs.values())),
        "doc_gzip": sum(len(gzip.compress(d, 6)) for d in docs.values()),
        "manifest": len(files["search/index/manifest.json"]),
        "manifest_gzip": len(gzip.compress(files["search/index/manifest.json"], 6)),
        "largest_shard": max(map(len, shards.values())),
    }


def one_edit(site_dir: Path, out: Path) -> tuple[int, float]:
    """Search files rewritten after a sentence is appended to the newest article, and the build's time."""
    newest = max((site_dir / "content" / "articles").glob("*.md"))
    original = newest.read_bytes()
    try:
        newest.write_text(original.decode("utf-8") + EDIT, encoding="utf-8")
        report = build(site_dir / "config.yaml", out)
    finally:
        newest.write_bytes(original)
    build(site_dir / "config.yaml", out)
    return sum(1 for p in report.write.written if p.startswith("search/")), report.seconds


def query_figures(out: Path) -> list[dict]:
    # Static hosts keep connections open (HTTP/1.1 or 2); http.server's default, HTTP/1.0,
    # opens one per file, which would time the test server rather than the search.
    # Likewise they send small responses at once (nginx's tcp_nodelay): with Nagle's algorithm
    # a response written in two parts waits for the delayed ACK of the first, 40 ms.
    browserkit._Handler.protocol_version = "HTTP/1.1"
    browserkit._Handler.disable_nagle_algorithm = True
    rows = []
    with serve_folder(out, "/") as url, chromium() as browser:
        for query in QUERIES:
            context = browser.new_context()
            page = context.new_page()
            fetched: dict[str, int] = {}
            def record(request, fetched: dict[str, int] = fetched) -> None:
                path = urlsplit(request.url).path.lstrip("/")
                if path.startswith("search/") and path.endswith(".json"):
                    fetched[path] = request.sizes()["responseBodySize"]

            page.on("requestfinished", record)
            page.goto(url + "search/", wait_until="load")
            page.wait_for_function("typeof window.laborDigestSearch === 'function'")
            page.wait_for_timeout(200)  # the manifest is fetched as the page opens, while a reader types
            rank_ms, first_ms, cold = page.evaluate("""async q => {
                let first = null;
                const seen = new MutationObserver(() => { first = first ?? performance.now(); });
                seen.observe(document.getElementById('search-results'), {childList: true});
                const t0 = performance.now(); await window.laborDigestSearch.rank(q);
                const t1 = performance.now(); await window.laborDigestSearch(q);
                const t2 = performance.now();
                seen.disconnect();
                return [t1 - t0, (first ?? t2) - t0, t2 - t0]; }""", query)
            timed = "async q => { const t = performance.now(); await window.laborDigestSearch(q); return performance.now() - t; }"
            warm = min(page.evaluate(timed, query) for _ in range(3))
            count = page.locator("#search-results > li").count()
            status = page.locator("#search-status").inner_text()
            context.close()
            raw = sum(fetched.values())
            zipped = sum(len(gzip.compress((out / p).read_bytes(), 6)) for p in fetched)
            rows.append({"query": query, "rank_ms": rank_ms, "first_ms": first_ms, "cold_ms": cold, "warm_ms": warm, "files": len(fetched), "bytes": raw, "gzip": zipped,
                         "shown": count, "status": status})
    return rows


def report(mode: str, n: int, build_seconds: float | None, index: dict | None, edit: tuple[int, float] | None, rows: list[dict]) -> None:
    if index is None or edit is None:
        print(f"\n== {n:,} articles, republish {mode}: queries only ==")
        print_queries(rows)
        return
    print(f"\n== {n:,} articles, republish {mode}: cold build {build_seconds:.1f}s ==")
    print(f"index build: {index['seconds'] * 1000:.0f} ms for {index['files']:,} files "
          f"({index['shards']:,} shards, {index['files'] - index['shards'] - 1:,} documents)")
    print(f"shards: {kb(index['shard_bytes'])} ({kb(index['shard_gzip'])} gzip), largest {kb(index['largest_shard'])}; "
          f"manifest {kb(index['manifest'])} ({kb(index['manifest_gzip'])} gzip)")
    print(f"documents: {kb(index['doc_bytes'])} ({kb(index['doc_gzip'])} gzip)")
    print(f"one edit: {edit[0]} search files rewritten, build {edit[1]:.2f}s")
    print_queries(rows)


def print_queries(rows: list[dict]) -> None:
    print("\nOn a fresh page (manifest fetched as it opened): rank: shards fetched, hits ranked and counted; first: the")
    print("first result drawn; page: all ten drawn (each result's document fetched); warm: the same query again, all in")
    print("memory. fetched: the search files the page fetched, raw and gzip.")
    print(f"\n{'query':<20} {'rank ms':>8} {'first ms':>8} {'page ms':>8} {'warm ms':>8} {'files':>6} {'fetched':>10} {'gzip':>10}  result")
    for r in rows:
        print(f"{r['query']:<20} {r['rank_ms']:>8.1f} {r['first_ms']:>8.1f} {r['cold_ms']:>8.1f} {r['warm_ms']:>8.1f} {r['files']:>6} "
              f"{kb(r['bytes']):>10} {kb(r['gzip']):>10}  {r['status']}")
    for name, pick in (("median", statistics.median), ("max", max)):
        print(f"{name:<20} {pick(r['rank_ms'] for r in rows):>8.1f} {pick(r['first_ms'] for r in rows):>8.1f} "
              f"{pick(r['cold_ms'] for r in rows):>8.1f} {pick(r['warm_ms'] for r in rows):>8.1f} {'':>6} "
              f"{kb(pick(r['bytes'] for r in rows)):>10} {kb(pick(r['gzip'] for r in rows)):>10}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--republish", choices=("excerpt", "full", "both"), default="both")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/ld-search-bench"))
    parser.add_argument("--queries-only", action="store_true", help="time queries on the site as last built, nothing else")
    args = parser.parse_args()
    modes = ("excerpt", "full") if args.republish == "both" else (args.republish,)
    for mode in modes:
        base = ensure_corpus(args.workdir, args.n, args.seed, mode, compare=False)
        site_dir, out = base / "site", base / "site" / "public"
        if args.queries_only:
            report(mode, args.n, None, None, None, query_figures(out))
            continue
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(site_dir / CACHE_DIR, ignore_errors=True)
        started = time.perf_counter()
        build(site_dir / "config.yaml", out)  # cold; fills the cache the index timing reads articles from
        build_seconds = time.perf_counter() - started
        index = index_figures(site_dir, out)
        edit = one_edit(site_dir, out)
        rows = query_figures(out)
        report(mode, args.n, build_seconds, index, edit, rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
