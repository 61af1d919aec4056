"""Score text ingest on page sets: body precision, recall and F1, and title, authors, date and time rates.

    .venv/bin/python bench/ingest_sets.py [--set DIR ...] [--tuned NAMES] [--cut] [--worst N] [--write DIR]

The development set (../shared/ingest-bench/dev) is always scored; each --set adds a
folder of the same layout, as bench/pagesets.py makes them. --cut also scores every
page cut short: the first screen or two as copied, ending mid-sentence (see
`cut_short`). Figures are printed per set and over all pages; --tuned names the sets
whose pages were used to choose rules and thresholds, so the held-out figures stand
apart. Scoring is in ingest_score.py, by the rules of ../shared/ingest-bench/README.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from ingest_score import (
    FieldScores,
    body_score,
    body_totals,
    format_metadata,
    harmonic,
    metadata_score,
    metadata_totals,
    shingles,
)

from generator.frontmatter import dump
from generator.ingest.extraction import Extraction
from generator.ingest.textpage import extract

BENCH = ROOT.parent / "shared" / "ingest-bench"
CORRECTIONS = ROOT / "bench" / "labels" / "corrections.yaml"
LABEL_KEYS = ("title", "title_alt", "authors", "authors_alt", "date", "date_alt")


@dataclass(frozen=True)
class PageResult:
    page_id: str
    url: str
    body: tuple[float, float] | None  # precision, recall; None when the set has no body truth
    fields: FieldScores | None
    label: dict
    got: Extraction
    seconds: float
    snippets: tuple[int, int, int, int] | None = None  # with kept, with total, without leaked, without total
    corrected: FieldScores | None = None  # against bench/labels/corrections.yaml, where it corrects this page

    @property
    def refused(self) -> bool:
        """What ingest would once have refused: no body or no headline."""
        return not self.got.body_md.strip() or not self.got.title


def read_set(folder: Path) -> tuple[dict, dict[str, dict]]:
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    return truth, read_labels(folder / "metadata.yaml")


def read_labels(path: Path) -> dict[str, dict]:
    """Title, authors and date labels by page id ({} when the file is not there)."""
    if not path.exists():
        return {}
    import yaml

    return {entry["id"]: entry for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []}


def read_corrections(set_name: str, path: Path = CORRECTIONS) -> dict[str, dict]:
    """The corrected labels of one set by page-id prefix: {prefix: {key: value}} (reasons left out)."""
    if not path.exists():
        return {}
    import yaml

    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return {e["id"]: {k: e[k] for k in LABEL_KEYS if k in e} for e in entries if e["set"] == set_name}


def corrected_label(page_id: str, label: dict | None, corrections: dict[str, dict]) -> dict | None:
    """The page's label with its corrections applied, or None when the list does not touch it."""
    fix = next((v for k, v in corrections.items() if page_id.startswith(k)), None)
    return None if fix is None else {**(label or {}), **fix}


def score_page(page_id: str, text: str, truth: dict, label: dict | None, cut: bool = False) -> PageResult:
    before = time.perf_counter()
    got = extract(text)
    seconds = time.perf_counter() - before
    body = None
    if truth.get("body"):
        body = body_score_within(got.body_md, truth["body"], text) if cut else body_score(got.body_md, truth["body"])
    snippets = None
    if truth.get("with"):
        snippets = snippet_counts(got.body_md, truth["with"], truth.get("without") or [], text)
    fields = metadata_score(label, got.title, got.authors, got.date) if label is not None else None
    return PageResult(page_id, truth.get("url", ""), body, fields, label or {}, got, seconds, snippets)


def body_score_within(output: str, truth: str, text: str) -> tuple[float, float]:
    """Precision and recall against the part of the true body that the given text holds.

    For a full page that is the whole truth; for a page cut short, what was copied.
    """
    out, ref = shingles(output), shingles(truth) & shingles(text)
    if not out or not ref:
        return 0.0, 0.0
    shared = sum((out & ref).values())
    return shared / sum(out.values()), shared / sum(ref.values())


def _token_string(text: str) -> str:
    return " " + " ".join(re.findall(r"\w+", text)) + " "


def snippet_counts(output: str, keep: list[str], drop: list[str], text: str) -> tuple[int, int, int, int]:
    """trafilatura's evaluation snippets: how many of those that should stay did, and of those that should go did not."""
    body, page = _token_string(output), _token_string(text)
    keep = [s for s in keep if _token_string(s).strip() and _token_string(s) in page]
    drop = [s for s in drop if _token_string(s).strip() and _token_string(s) in page]
    return (sum(_token_string(s) in body for s in keep), len(keep), sum(_token_string(s) in body for s in drop), len(drop))


# --------------------------------------------------------------------------- pages cut short


def cut_short(page_id: str, text: str, label: dict, truth_body: str | None) -> tuple[str, dict] | None:
    """The page as copied from its top down to mid-sentence in the first screen or two of the article.

    The cut falls 60 to 300 words into the article's body (a fixed choice per page,
    from its id), inside a sentence. Labels the shorter text no longer shows (a byline
    printed at the end of the article) are dropped from it. None if the page has no
    body to cut into.
    """
    start = _body_start(text, truth_body)
    if start is None:
        return None
    words = 60 + int(hashlib.sha256(page_id.encode()).hexdigest()[:8], 16) % 241
    spans = [m.span() for m in re.finditer(r"\S+", text[start:])]
    if len(spans) <= words:
        return None
    k = words
    # Mid-sentence: not straight after a full stop.
    while k < len(spans) - 1 and re.search(r"[.!?…:]['\"”’)]*$", text[start + spans[k - 1][0] : start + spans[k - 1][1]]):
        k += 1
    cut = text[: start + spans[k - 1][1]]
    return cut, _labels_within(label, cut)


def _body_start(text: str, truth_body: str | None) -> int | None:
    """Where the article's body begins: its first line found in the text, else the first long prose line."""
    if truth_body:
        for line in truth_body.splitlines():
            line = line.strip()
            if len(line) >= 40:
                at = text.find(line[:40])
                if at >= 0:
                    return at
    for m in re.finditer(r"^[^\n]{200,}$", text, re.MULTILINE):
        if len(re.findall(r"[.!?]", m.group(0))) >= 2:
            return m.start()
    return None


def _labels_within(label: dict, cut: str) -> dict:
    from pagesets import day_shown, fold

    kept = dict(label)
    folded = fold(cut).casefold()
    if kept.get("title") and fold(kept["title"]).casefold() not in folded:
        kept.pop("title", None)
        kept.pop("title_alt", None)
    if kept.get("authors") and not all(fold(a).casefold() in folded for a in kept["authors"]):
        kept.pop("authors", None)
        kept.pop("authors_alt", None)
    if kept.get("date"):
        from ingest_score import _day

        if not any(day_shown(_day(d), cut) for d in [kept["date"]] + list(kept.get("date_alt") or []) if _day(d)):
            kept.pop("date", None)
            kept.pop("date_alt", None)
    return kept


# --------------------------------------------------------------------------- running sets


def run_set(folder: Path, cut: bool = False, write: Path | None = None) -> list[PageResult]:
    truth, labels = read_set(folder)
    corrections = read_corrections(folder.name)
    results = []
    for page_id in sorted(truth):
        text = (folder / f"{page_id}.txt").read_text(encoding="utf-8")
        label = labels.get(page_id)
        if cut:
            made = cut_short(page_id, text, label or {}, truth[page_id].get("body"))
            if made is None:
                continue
            text, label = made
        result = score_page(page_id, text, truth[page_id], label, cut)
        fixed = corrected_label(page_id, label, corrections)
        if fixed is not None:
            if cut:
                fixed = _labels_within(fixed, text)
            got = result.got
            result = replace(result, corrected=metadata_score(fixed, got.title, got.authors, got.date))
        results.append(result)
        if write:
            write.mkdir(parents=True, exist_ok=True)
            meta = {k: v for k, v in result.got.front_matter().items() if v}
            (write / f"{page_id}.md").write_text(dump(meta, result.got.body_md), encoding="utf-8")
    return results


def run(bench: Path = BENCH, write: Path | None = None) -> dict:
    """The development set's figures (the development set alone)."""
    started = time.perf_counter()
    results = run_set(bench / "dev", write=write)
    return summary(results) | {"seconds": time.perf_counter() - started}


def summary(results: list[PageResult]) -> dict:
    scored = [r.body for r in results if r.body is not None]
    precision, recall, f1 = body_totals(scored)
    snippets = [r.snippets for r in results if r.snippets]
    return {
        "pages": len(results), "bodies": len(scored), "precision": precision, "recall": recall, "f1": f1,
        "metadata": metadata_totals([r.fields for r in results if r.fields is not None]),
        "corrections": sum(r.corrected is not None for r in results),
        "metadata_corrected": metadata_totals([r.corrected or r.fields for r in results if (r.corrected or r.fields) is not None]),
        "refused": sum(r.refused for r in results), "extracting": sum(r.seconds for r in results),
        "worst_seconds": max((r.seconds for r in results), default=0.0),
        "snippets": tuple(sum(s[i] for s in snippets) for i in range(4)) if snippets else None,
    }


def format_summary(name: str, s: dict) -> str:
    lines = [(f"{name}: {s['pages']} pages, {s['refused']} without headline or body, "
             f"{s['extracting']:.2f}s extracting (worst page {s['worst_seconds'] * 1000:.0f} ms)")]
    if s["bodies"]:
        lines.append(f"  body ({s['bodies']} pages) precision {s['precision']:.3f}  recall {s['recall']:.3f}  F1 {s['f1']:.3f}")
    if s["snippets"]:
        kept, keep, leaked, drop = s["snippets"]
        lines.append(f"  snippets: {kept}/{keep} that belong kept ({kept / max(keep, 1):.3f}), "
                     f"{leaked}/{drop} that do not leaked ({leaked / max(drop, 1):.3f})")
    lines.append("  " + format_metadata(s["metadata"]))
    if s["corrections"]:
        lines.append(f"  corrected labels ({s['corrections']} pages, bench/labels/corrections.yaml): " + format_metadata(s["metadata_corrected"]))
    return "\n".join(lines)


def failures(results: list[PageResult], limit: int) -> list[str]:
    """The pages each field is wrong on: what the label says and what ingest gave."""
    out = []
    checks = [
        ("title", lambda r: r.fields.title is False, lambda r: (r.label.get("title"), r.got.title)),
        ("authors", lambda r: r.fields.authors is False and r.fields.has_byline, lambda r: (r.label.get("authors"), list(r.got.authors))),
        ("date", lambda r: r.fields.date is False and r.fields.has_date, lambda r: (r.label.get("date"), r.got.date and r.got.date.isoformat())),
    ]
    for name, wrong, show in checks:
        bad = [r for r in results if r.fields is not None and wrong(r)]
        for r in bad[:limit]:
            want, got = show(r)
            out.append(f"  {name:7} {r.page_id[:10]} want {want!r} got {got!r}  {r.url[:70]}")
        if len(bad) > limit:
            out.append(f"  {name:7} ... and {len(bad) - limit} more")
    worst = sorted(((harmonic(*r.body), r) for r in results if r.body is not None), key=lambda pair: pair[0])[:limit]
    for f1, r in worst:
        out.append(f"  body    {r.page_id[:10]} F1 {f1:.3f} P {r.body[0]:.3f} R {r.body[1]:.3f}  {r.url[:70]}")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", dest="sets", type=Path, action="append", default=[], help="another page set folder")
    parser.add_argument("--no-dev", action="store_true", help="leave out the development set")
    parser.add_argument("--tuned", default="dev", help="comma-separated names of the sets used for tuning (default: dev)")
    parser.add_argument("--cut", action="store_true", help="also score every page cut short")
    parser.add_argument("--worst", type=int, default=5, help="how many wrong pages to list per field and set")
    parser.add_argument("--write", type=Path, help="also write each page's Markdown output here (one folder per set)")
    parser.add_argument("--bench", type=Path, default=BENCH, help="the ingest-bench folder")
    args = parser.parse_args()
    folders = ([] if args.no_dev else [args.bench / "dev"]) + args.sets
    tuned = set(filter(None, args.tuned.split(",")))
    groups: dict[str, list[PageResult]] = {"tuned": [], "held out": []}
    started = time.perf_counter()
    for folder in folders:
        for cut in (False, True) if args.cut else (False,):
            name = folder.name + (" cut short" if cut else "")
            results = run_set(folder, cut, args.write / name.replace(" ", "-") if args.write else None)
            role = "tuned" if folder.name in tuned else "held out"
            groups[role].extend(results)
            print(format_summary(f"{name} [{role}]", summary(results)))
            if args.worst:
                print("\n".join(failures(results, args.worst)))
    print()
    for role, results in groups.items():
        if results:
            print(format_summary(f"all {role}", summary(results)))
    everything = groups["tuned"] + groups["held out"]
    print(format_summary("all", summary(everything)))
    print(f"time {time.perf_counter() - started:.2f}s in all (one core)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
