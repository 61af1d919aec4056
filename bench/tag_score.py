"""Precision, recall and F1 of topic tagging against labelled articles.

Shared by tests/test_topics.py (the labelled sets in tests/topics_eval/) and
bench/tag_eval.py (those plus the real pages read from other repositories), so both
count the same way: per topic, a true positive is an assigned topic the label has, a
false positive one it lacks, a false negative a labelled topic not assigned; micro
figures sum the counts over topics. A page labelled `about_work: false` that gets any
topic is counted apart as well, since that is the error an editor notices first.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Labelled:
    """One labelled article: what the tagger reads and what a reader said it is about."""

    id: str
    title: str
    dek: str | None
    body: str
    topics: frozenset[str]
    about_work: bool = True
    outlet: str = ""
    group: str = ""  # the set it comes from


@dataclass
class Score:
    per_topic: dict[str, list[int]]  # slug -> [tp, fp, fn]
    errors: list[str] = field(default_factory=list)
    pages: int = 0
    not_work: int = 0  # pages labelled not about work
    not_work_tagged: list[str] = field(default_factory=list)  # ... that got a topic anyway

    @property
    def total(self) -> tuple[int, int, int]:
        return tuple(sum(v[i] for v in self.per_topic.values()) for i in range(3))  # type: ignore[return-value]


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall, F1; an empty denominator counts as perfect (nothing to get wrong)."""
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(items: list[Labelled], assigned: list[tuple[str, ...]], slugs: list[str]) -> Score:
    """Compare what was assigned (one tuple per item, same order) with the labels."""
    result = Score({slug: [0, 0, 0] for slug in slugs})
    for item, got_tuple in zip(items, assigned, strict=True):
        got, want = set(got_tuple), set(item.topics)
        result.pages += 1
        for slug in got | want:
            counts = result.per_topic.setdefault(slug, [0, 0, 0])
            counts[0 if slug in got and slug in want else 1 if slug in got else 2] += 1
        if not item.about_work:
            result.not_work += 1
            if got:
                result.not_work_tagged.append(f"{item.id}: {', '.join(sorted(got))}")
        if got != want:
            result.errors.append(f"{item.id}: extra {sorted(got - want)}, missing {sorted(want - got)}")
    return result


def report(name: str, result: Score, *, errors: bool = True) -> str:
    """A table per topic (topics with no label and no assignment are left out), then the micro line."""
    lines = [f"{name}: {result.pages} pages", f"  {'topic':<17} {'P':>5} {'R':>5} {'F1':>5}   tp  fp  fn"]
    for slug, counts in result.per_topic.items():
        if any(counts):
            p, r, f = prf(*counts)
            lines.append(f"  {slug:<17} {p:5.2f} {r:5.2f} {f:5.2f}  {counts[0]:3} {counts[1]:3} {counts[2]:3}")
    p, r, f = prf(*result.total)
    tp, fp, fn = result.total
    lines.append(f"  {'micro':<17} {p:5.3f} {r:5.3f} {f:5.3f}  {tp:3} {fp:3} {fn:3}")
    if result.not_work:
        lines.append(f"  pages not about work: {result.not_work}, given a topic: {len(result.not_work_tagged)}")
    if errors:
        lines += [f"  not about work, tagged: {e}" for e in result.not_work_tagged]
        lines += [f"  miss: {e}" for e in result.errors]
    return "\n".join(lines)
