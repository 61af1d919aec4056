"""Issues at archive scale: what cutting the digest into issues costs a build, and how big a large issue is as email.

On the synthetic digest of bench/corpus.py (10,000 articles over ten years, `added`
a few hours to three days after each story's date, so every week has stories):

1. spread: how many issues the corpus makes and how many stories each holds;
2. a cold build (`digest build --no-cache` in its own process, median of --repeat),
   then in-process, with the articles from that build's cache, the issue stages
   alone (median of --repeat): cutting the site into issues (assemble_site with the
   time, against without) and rendering the issue pages and issue feeds with no
   page reused, against rendering every output kind the same way;
3. a no-change build, median of --repeat, and the part of it that issues add (listing
   content/issues/ and reading the clock), timed in-process;
4. issue.html of an issue of 100 corpus stories (their `added` moved into one week),
   and of 100 stories whose summaries are as long as a derived summary gets (60 words).

    .venv/bin/python bench/issue_bench.py                   # 10,000 articles
    .venv/bin/python bench/issue_bench.py --n 1000 --repeat 3
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path[:0] = [str(REPO), str(BENCH)]

from build_bench import PYTHON, ensure_corpus, set_aside

from generator.build import assemble_site, prepare_articles, site_key
from generator.cache import CACHE_DIR, BuildCache, stamp
from generator.config import load_config
from generator.issue_email import render_issue_email
from generator.issue_pages import issue_feed_files, issue_pages
from generator.issues import assemble_issues, list_note_files, read_notes
from generator.load import list_article_files
from generator.outputs import OUTPUT_KINDS, render_site
from generator.pages import make_environment
from generator.periods import current_time, period_of

LONG_SUMMARY = " ".join(["Workers at the plant walked out after managers refused to discuss staffing, and the union said"] * 4)[:420]


def timed(func, repeat: int) -> tuple[float, object]:
    times, value = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        value = func()
        times.append(time.perf_counter() - started)
    return statistics.median(times), value


def build_seconds(site: Path, out: Path, *extra: str) -> float:
    started = time.perf_counter()
    subprocess.run([str(PYTHON), "-m", "generator", "build", "--config", str(site / "config.yaml"), "--out", str(out), *extra],
                   cwd=site, check=True, capture_output=True)
    return time.perf_counter() - started


def render_bytes(site, kinds) -> tuple[int, int]:
    """(files, bytes) of the given output kinds, every output made (none reused)."""
    result = render_site(site, make_environment(site.config), kinds=kinds)
    files = size = 0
    for _path, data in result.outputs:
        files += 1
        size += len(data or b"")
    return files, size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/ld-bench"))
    args = parser.parse_args(argv)
    base = ensure_corpus(args.workdir.resolve(), args.n, args.seed, "full", compare=False)
    site_dir, out = base / "site", base / "site" / "public"

    colds = []
    for _ in range(args.repeat):
        set_aside(out, site_dir / ".digest-cache")
        colds.append(build_seconds(site_dir, out))
    cold = statistics.median(colds)
    no_change = statistics.median(build_seconds(site_dir, out) for _ in range(args.repeat))

    config = load_config(site_dir / "config.yaml")
    cache = BuildCache.load(config.root / CACHE_DIR, site_key(config))
    cache.load_articles(config.root / CACHE_DIR)
    files = list_article_files(config)
    items = prepare_articles(config, cache, lambda *a: None, files, {rel: stamp(path) for rel, path in files})
    items = [i for i in items if not i.article.draft]
    now = current_time()
    notes, _problems = read_notes(config)
    without, _ = timed(lambda: assemble_site(config, items), args.repeat)
    with_issues, site = timed(lambda: assemble_site(config, items, notes, now), args.repeat)
    cutting = with_issues - without
    issue_render, (issue_files, issue_size) = timed(lambda: render_bytes(site, (issue_pages, issue_feed_files)), args.repeat)
    all_render, (all_files, all_size) = timed(lambda: render_bytes(site, OUTPUT_KINDS), 1)
    listing, _ = timed(lambda: (list_note_files(config), current_time()), 1000)

    counts = sorted(i.story_count for i in site.issues)
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False).stdout.strip()
    print(f"\n## Issues at {args.n:,} articles (commit {commit}, "
          f"{os.cpu_count()} cores, median of {args.repeat})\n")
    print(f"- spread: {len(site.issues)} issues of {config.issues.period}, {counts[0]} to {counts[-1]} stories each "
          f"(median {statistics.median(counts):.0f}); {sum(1 for i in site.issues if i.in_progress)} in progress")
    print(f"- cold build (own process, no cache): {cold:.2f} s (each: {', '.join(f'{s:.2f}' for s in colds)})")
    print(f"- cutting into issues: {cutting * 1000:.0f} ms ({cutting / cold:.1%} of the cold build)")
    print(f"- rendering the issue pages and feeds, none reused: {issue_render:.2f} s for {issue_files} files, {issue_size / 2**20:.1f} MB "
          f"({issue_render / cold:.1%} of the cold build); every output kind, one core: {all_render:.2f} s for {all_files} files, {all_size / 2**20:.0f} MB")
    print(f"- issues in total, before writing their files: {(cutting + issue_render) / cold:.1%} of the cold build")
    print(f"- no-change build (own process): {no_change:.2f} s; what issues add to it (list content/issues/, read the clock): {listing * 1e6:.0f} µs")

    # A 100-story issue as email: corpus stories, then the longest summaries a derived one can have.
    stories = [i.article for i in items[:100]]
    monday = period_of(stories[-1].added, "week", ZoneInfo(config.timezone)).start
    week = [dataclasses.replace(a, added=monday + timedelta(minutes=5 * n)) for n, a in enumerate(stories)]
    env = make_environment(config)
    for label, batch in (("corpus summaries", week), ("60-word summaries", [dataclasses.replace(a, summary=LONG_SUMMARY) for a in week])):
        issues, _ = assemble_issues(sorted(batch, key=lambda a: a.sort_key), [], config, now)
        biggest = max(issues, key=lambda i: i.story_count)
        assert biggest.story_count == 100, biggest.story_count
        mail = render_issue_email(biggest, {a.slug: a for a in batch}, config, env)
        size = len(mail.html.encode("utf-8"))
        print(f"- issue.html of {biggest.story_count} stories ({label}): {size / 1024:.1f} KB "
              f"({'under' if size < 100 * 1024 else 'OVER'} 100 KB); issue.txt {len(mail.text.encode()) / 1024:.1f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
