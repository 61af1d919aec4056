"""Score text ingest on the ingest dev set: body precision, recall and F1, and title, authors and date rates.

Scoring is in ingest_score.py, by the rules of ../shared/ingest-bench/README.md.

    .venv/bin/python bench/ingest_bench.py [--write DIR] [--worst N] [--bench PATH]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest_score import body_score, body_totals, format_metadata, harmonic, metadata_score, metadata_totals

from generator.frontmatter import dump
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", type=Path, help="also write each page's Markdown output here")
    parser.add_argument("--worst", type=int, default=5, help="how many of the worst pages to list")
    parser.add_argument("--bench", type=Path, default=BENCH, help="the ingest-bench folder")
    args = parser.parse_args()
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
