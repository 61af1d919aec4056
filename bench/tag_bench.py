"""Time topic tagging on 10,000 synthetic articles (not a test: run it by hand).

    .venv/bin/python bench/tag_bench.py [--articles 10000] [--words 700] [--seed 1]

Articles are drawn deterministically (random.Random(seed)) from filler prose mixed with
labor-news phrases, so the matcher sees realistic vocabulary and many real matches.
Prints the wall time and how many articles got each topic.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.config import parse_config
from generator.topics import assign_topics

FILLER = ["the", "company", "said", "on", "tuesday", "that", "it", "would", "review", "the", "plan", "after", "talks", "with", "officials", "and", "analysts", "who", "expect", "results", "to", "improve", "next", "quarter", "while", "critics", "argued", "that", "the", "decision", "came", "too", "late", "for", "many", "people", "in", "the", "region", "where", "costs", "have", "risen", "sharply", "this", "year", "and", "residents", "say", "they", "were", "not", "consulted", "before", "the", "changes", "took", "effect", "according", "to", "documents", "seen", "by", "reporters", "a", "spokesperson", "declined", "to", "comment", "further", "on", "the", "matter"]
LABOR = [
    "return-to-office mandate", "five days a week in the office", "work from home", "hybrid schedule",
    "open letter", "walkout", "union election", "NLRB", "collective bargaining", "on strike",
    "picket line", "laid off", "job cuts", "hiring freeze", "badge data", "monitoring software",
    "minimum wage", "pay gap", "health insurance", "paid leave", "generative AI", "automation",
    "climate pledge", "carbon emissions", "communications policy", "retaliation", "OSHA", "heat illness",
    "gig workers", "independent contractors", "discrimination", "harassment", "employees", "workers",
    "Striking", "Lay-\noffs", "workers’", "[link](https://example.org/return-to-office)",
]


def article(rng: random.Random, words: int) -> tuple[str, str, str]:
    def prose(n: int) -> str:
        out: list[str] = []
        while len(out) < n:
            if rng.random() < 0.04:
                out.append(rng.choice(LABOR))
            else:
                out.append(rng.choice(FILLER))
        return " ".join(out)

    paragraphs = [prose(rng.randint(40, 90)) + "." for _ in range(max(1, words // 65))]
    return prose(10).capitalize(), prose(22) + ".", "\n\n".join(paragraphs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--words", type=int, default=700, help="body length (default 700)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    shipped = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))["topics"]
    topics = yaml.safe_dump(shipped, sort_keys=False, allow_unicode=True)
    config_text = "title: Bench\nbase_url: https://example.org/\ntopics:\n" + "".join(f"  {line}\n" for line in topics.splitlines())
    config = parse_config(config_text, ROOT)
    rng = random.Random(args.seed)
    articles = [article(rng, args.words) for _ in range(args.articles)]
    words = sum(len(a[2].split()) for a in articles)
    start, cpu = time.perf_counter(), time.process_time()
    counts: Counter[str] = Counter()
    for title, dek, body in articles:
        counts.update(assign_topics(title, dek, body, config))
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    # CPU time too: on a shared machine the wall time says more about the neighbours.
    print(f"tagged {args.articles} articles ({words:,} body words) in {seconds:.2f}s wall, {cpu:.2f}s CPU "
          f"({cpu / args.articles * 1000:.3f} ms CPU per article)")
    print("articles per topic:", ", ".join(f"{slug} {n}" for slug, n in sorted(counts.items())))


if __name__ == "__main__":
    main()
