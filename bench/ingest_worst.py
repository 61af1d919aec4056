"""Worst time per page of `digest ingest` on huge, mangled and hostile copied text.

    .venv/bin/python bench/ingest_worst.py [--pages DIR ...] [--limit SECONDS] [--repeat N]

Each input is written as a .txt file into a throwaway site and ingested alone
through `ingest_paths` (reading, decoding, extraction, topics, the writer), so a
page's time is what an editor waits for it. The inputs are made here: one 5 MB
line, 100,000 one-word lines, and pages built to make line-by-line rules and
regular expressions work hardest (near-dates, near-bylines, e-mail and link
fragments, long runs without spaces, mixed scripts, controls). Each --pages
folder adds every .txt page in it three times: as it is, with its lines
shuffled, and cut at a third. The summary names the slowest inputs and says
whether any went over --limit (default 2 s, the issue's bound).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.config import parse_config
from generator.ingest import ingest_paths

FIVE_MB = 5 * 1024 * 1024 - 1024  # just under the limit for copied text
SENTENCE = "Workers at the plant voted to strike after talks on pay and hours broke down on Tuesday. "
MIXED = ("工会宣布罢工。", "صوت العمال لصالح الإضراب. ", "Рабочие проголосовали за забастовку. ", "✊🏽👷‍♀️🏭 ", "Les salariés ont voté la grève. ")


def _fill(unit: str, size: int = FIVE_MB) -> str:
    """`unit` repeated to about `size` bytes of UTF-8."""
    return unit * max(1, size // len(unit.encode("utf-8")))


def made_inputs() -> Iterator[tuple[str, bytes]]:
    rng = random.Random(12)
    yield "one 5 MB line of prose", _fill(SENTENCE).encode()
    yield "one 5 MB word", ("x" * FIVE_MB).encode()
    yield "100,000 one-word lines", "\n".join(["Workers"] * 100_000).encode()
    yield "100,000 lines of prose", "\n".join([SENTENCE] * 50_000).encode()
    yield "lines of 1,900 characters", "\n".join([SENTENCE * 21] * 2_700).encode()
    yield "5 MB of blank lines and spaces", _fill(" \n\t\n").encode() + SENTENCE.encode() * 4
    yield "5 MB, CR line ends", _fill(SENTENCE + "\r").encode()
    yield "5 MB of near-dates", _fill("12/31/2024 10:30 PM ET 3rd May 2021, 22 hours ago ").encode()
    yield "near-dates, one a line", "\n".join(["Published on: 12 March 2021 at 4:29 AM ESTUPDATED"] * 60_000).encode()
    yield "near-bylines, one a line", "\n".join(["By Ana Ruiz and Tom Berg, Staff Writer | Article by"] * 60_000).encode()
    yield "5 MB of e-mail fragments", _fill("a.b-c_d@e.f-g.h.i.j.k.l.m.n.o.p.q " * 3 + "@" * 50 + " ").encode()
    yield "5 MB of link fragments", _fill("https://example.org/a/b/c?d=e&f=g#h " + "/" * 40).encode()
    yield "5 MB of punctuation", _fill(".,;:!?-–—()[]«»“”'\"…").encode()
    yield "5 MB of capitalised words", _fill("Ana Maria Ortega De La Cruz Workers Union Local ").encode()
    yield "5 MB of CJK, no line ends", _fill("工厂工人在周二的工资谈判破裂后投票决定罢工").encode()
    yield "5 MB of mixed scripts", "".join(rng.choice(MIXED) for _ in range(FIVE_MB // 40)).encode()[:FIVE_MB]
    yield "5 MB of digits", _fill("1234567890 2021 ").encode()
    controls = "".join(chr(c) for c in range(0x20) if c not in (9, 10, 13))
    yield "prose with controls and NULs", "".join(SENTENCE + controls[n % len(controls)] + "\n" for n in range(11_000)).encode()
    yield "prose with invalid UTF-8", _fill(SENTENCE, 1_000_000).encode().replace(b"Tuesday", b"Tu\xed\xa0\x80es\xffday")
    words = [bytes(rng.randrange(33, 127) for _ in range(rng.randrange(1, 12))).decode() for _ in range(400_000)]
    yield "5 MB of random ASCII words", " ".join(words).encode()[:FIVE_MB]


def page_inputs(folder: Path) -> Iterator[tuple[str, bytes]]:
    rng = random.Random(12)
    for path in sorted(folder.glob("*.txt")):
        raw = path.read_bytes()
        lines = raw.splitlines()
        rng.shuffle(lines)
        yield f"{folder.name}/{path.name}", raw
        yield f"{folder.name}/{path.name} shuffled", b"\n".join(lines)
        yield f"{folder.name}/{path.name} cut", raw[: len(raw) // 3]


def time_ingest(site: Path, name: str, raw: bytes, repeat: int) -> tuple[float, str]:
    """The best of `repeat` runs (the least disturbed by the machine), and the outcome."""
    config = parse_config("title: Bench\nbase_url: https://example.org/\n", site)
    source = site / "content" / "sources" / "page.txt"
    source.write_bytes(raw)
    best, outcome = float("inf"), ""
    for _ in range(repeat):
        for article in (site / "content" / "articles").glob("*.md"):
            article.unlink()
        before = time.perf_counter()
        result = ingest_paths([str(source)], site / "content" / "articles", config)[0]
        best = min(best, time.perf_counter() - before)
        outcome = result.status if result.status != "failed" else f"failed: {result.message[:60]}"
    return best, outcome


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=Path, action="append", default=[], help="a folder of copied pages (.txt) to add, shuffled and cut")
    parser.add_argument("--limit", type=float, default=2.0, help="seconds a page may take (default 2)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per input; the best counts (default 1)")
    parser.add_argument("--show", type=int, default=10, help="how many of the slowest page inputs to list (default 10)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp)
        (site / "content" / "sources").mkdir(parents=True)
        made = [(name, *time_ingest(site, name, raw, args.repeat)) for name, raw in made_inputs()]
        print(f"{'seconds':>8}  input: outcome")
        for name, seconds, outcome in made:
            print(f"{seconds:8.3f}  {name}: {outcome}")
        pages = [(name, *time_ingest(site, name, raw, args.repeat)) for folder in args.pages for name, raw in page_inputs(folder)]
    if pages:
        print(f"\n{len(pages)} page inputs from {', '.join(str(p) for p in args.pages)}; the slowest:")
        for name, seconds, outcome in sorted(pages, key=lambda r: -r[1])[: args.show]:
            print(f"{seconds:8.3f}  {name}: {outcome}")
    everything = made + pages
    name, worst, _ = max(everything, key=lambda r: r[1])
    over = [r for r in everything if r[1] > args.limit]
    print(f"\nworst {worst:.3f} s a page ({name}) over {len(everything)} inputs; "
          f"{len(over)} over the {args.limit:g} s limit" + (": " + ", ".join(r[0] for r in over) if over else ""))
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
