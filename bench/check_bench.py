"""Time `digest check` at archive scale, with the build cache warm.

On the synthetic corpus of bench/corpus.py (10,000 articles by default, made once and
kept in the work folder), each step in its own process, timed with its peak memory:

1. a cold build (not a check: it warms the cache);
2. the first check after that build: it reads every page back from the output, once;
3. a check with nothing changed: the warm case, the one a publishing workflow or an
   editor hits most;
4. an edit of the newest article that adds a link to a page that does not exist, then
   a check before building: it makes the pages the edit touches in memory and must
   report the link;
5. the build after the edit, then a check: it reads back only the rewritten pages.

The edited article is restored at the end. The issue's target: a check with a warm
cache under 3 s at 10,000 articles.

    .venv/bin/python bench/check_bench.py                 # 10,000 articles
    .venv/bin/python bench/check_bench.py --n 1000
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_bench import code_snapshot, empty_trash, ensure_corpus, run_measured, set_aside

TARGET_S = 3.0
EDIT = "\n\nThe union's statement is [on its site](../a-story-that-was-never-written/).\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time digest check with a warm build cache.")
    parser.add_argument("--n", type=int, default=10_000, help="articles (default: 10,000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--code", default="HEAD", help="the commit whose code runs (default: HEAD), or 'worktree'")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/ld-check-bench"), help="corpus, logs, results (default: /tmp/ld-check-bench)")
    args = parser.parse_args(argv)
    workdir = args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    prefix, env, where = code_snapshot(workdir, args.code)
    base = ensure_corpus(workdir, args.n, args.seed, "full", compare=False)
    site, logs = base / "site", base / "logs"
    logs.mkdir(exist_ok=True)
    config = ["--config", str(site / "config.yaml")]
    build = [*prefix, "build", *config, "--out", str(site / "public")]
    check = [*prefix, "check", *config]
    runs = []

    def step(label: str, cmd: list[str], expect: int = 0):
        log = logs / f"{label.replace(' ', '-')}.log"
        run = run_measured(label, cmd, site, log, env)
        ok = run.returncode == expect
        print(f"  {label}: {run.seconds:.2f}s, peak {run.peak_mb:.0f} MB, exit {run.returncode}{'' if ok else f' (expected {expect}; see {log})'}",
              file=sys.stderr)
        runs.append((label, run, ok))
        return run

    article = max((site / "content" / "articles").glob("*.md"))
    original = article.read_bytes()
    try:
        set_aside(site / "public", site / ".digest-cache")
        step("cold build", build)
        step("first check after the build", check)
        step("check, nothing changed", check)
        article.write_bytes(original.rstrip(b"\n") + EDIT.encode())
        broken = step("check after an edit, before building", check, expect=1)
        found = "a-story-that-was-never-written" in broken.output
        step("build after the edit", build)
        step("check after that build", check, expect=1)
    finally:
        article.write_bytes(original)
        empty_trash()

    warm = [run for label, run, _ok in runs if label.startswith("check")]
    print(f"\n## digest check ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {where}, {args.n:,} articles, Python {platform.python_version()})\n")
    print("| step | seconds | peak MB | as expected |\n|---|---:|---:|:---:|")
    for label, run, ok in runs:
        print(f"| {label} | {run.seconds:.2f} | {run.peak_mb:.0f} | {'yes' if ok else 'NO'} |")
    worst = max(run.seconds for run in warm)
    print(f"\nTarget: a check with a warm cache under {TARGET_S:g} s: slowest {worst:.2f} s: {'holds' if worst < TARGET_S else 'DOES NOT HOLD'}")
    print(f"The edit's broken link reported: {'yes' if found else 'NO'}")
    results = workdir / f"results-{args.n}.json"
    results.write_text(json.dumps({"code": where, "articles": args.n, "runs": [
        {"step": label, "seconds": run.seconds, "peak_mb": run.peak_mb, "returncode": run.returncode, "as_expected": ok} for label, run, ok in runs]},
        indent=2) + "\n")
    print(f"Results: {results}")
    return 0 if all(ok for _label, _run, ok in runs) and found and worst < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
