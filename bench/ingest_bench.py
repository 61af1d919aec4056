"""Score generator.extract on the ingest dev set: precision, recall and F1 over word 4-shingles.

The rule is the one in ../shared/ingest-bench/README.md: tokens are runs of \\w
(case kept, outer "_" stripped), Markdown link targets dropped, a page's score is
over the multiset of its 4-shingles, precision and recall are averaged over pages
and F1 is the harmonic mean of those two averages.

    .venv/bin/python bench/ingest_bench.py [--write DIR] [--worst N] [--bench PATH]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.frontmatter import dump
from generator.ingest.textpage import extract

BENCH = ROOT.parent / "shared" / "ingest-bench"
_TOKEN = re.compile(r"\w+")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def tokens(text: str) -> list[str]:
    text = _MD_LINK.sub(r"\1", text)
    return [t for t in (m.strip("_") for m in _TOKEN.findall(text)) if t]


def shingles(text: str) -> Counter:
    toks = tokens(text)
    return Counter(tuple(toks[i : i + 4]) for i in range(len(toks) - 3))


def score(output: str, truth: str) -> tuple[float, float]:
    """(precision, recall) of one page; an empty output scores 0."""
    out, ref = shingles(output), shingles(truth)
    if not out or not ref:
        return 0.0, 0.0
    shared = sum((out & ref).values())
    return shared / sum(out.values()), shared / sum(ref.values())


def run(bench: Path = BENCH, write: Path | None = None) -> dict:
    truth = json.loads((bench / "dev" / "truth.json").read_text(encoding="utf-8"))
    pages = []
    extracting = 0.0
    started = time.perf_counter()
    for page_id in sorted(truth):
        text = (bench / "dev" / f"{page_id}.txt").read_text(encoding="utf-8")
        before = time.perf_counter()
        result = extract(text)
        extracting += time.perf_counter() - before
        p, r = score(result.body_md, truth[page_id]["body"])
        f = 2 * p * r / (p + r) if p + r else 0.0
        pages.append((f, p, r, page_id, truth[page_id]["url"]))
        if write:
            write.mkdir(parents=True, exist_ok=True)
            meta = {k: v for k, v in result.front_matter().items() if v}
            (write / f"{page_id}.md").write_text(dump(meta, result.body_md), encoding="utf-8")
    elapsed = time.perf_counter() - started
    precision = sum(p for _, p, _, _, _ in pages) / len(pages)
    recall = sum(r for _, _, r, _, _ in pages) / len(pages)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "seconds": elapsed, "extracting": extracting, "pages": sorted(pages)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", type=Path, help="also write each page's Markdown output here")
    parser.add_argument("--worst", type=int, default=5, help="how many of the worst pages to list")
    parser.add_argument("--bench", type=Path, default=BENCH, help="the ingest-bench folder")
    args = parser.parse_args()
    result = run(args.bench, args.write)
    print(f"pages {len(result['pages'])}  precision {result['precision']:.3f}  recall {result['recall']:.3f}  F1 {result['f1']:.3f}")
    print(f"time {result['seconds']:.2f}s in all, {result['extracting']:.2f}s extracting (one core)")
    print(f"worst {args.worst}:")
    for f, p, r, page_id, url in result["pages"][: args.worst]:
        print(f"  F1 {f:.3f}  P {p:.3f}  R {r:.3f}  {page_id[:12]}  {url}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
