"""Score topic tagging on real news pages: per topic, per set, per outlet fold.

    .venv/bin/python bench/tag_eval.py --mirror /work/.mirror [--ingest-bench ../shared/ingest-bench] [--errors]
    .venv/bin/python bench/tag_eval.py --dragnet DIR --bbc DIR --scrapinghub DIR ...
    .venv/bin/python bench/tag_eval.py --mirror /work/.mirror --fresh-half A [--errors]   # the fresh set's tuning halves, A and B
    .venv/bin/python bench/tag_eval.py --mirror /work/.mirror --fresh-half C              # its unseen part: totals only

Pages:
  - tests/topics_eval/real.yaml: pages copied in (permissive licences), always read;
  - bench/topics_real/labels.yaml: labels for pages whose text stays in its repository,
    read from a git directory or an unpacked copy of it: --dragnet (seomoz/dragnet_data),
    --bbc (suraj-deshmukh/BBC-Dataset-News-Classification), --scrapinghub
    (scrapinghub/article-extraction-benchmark); --mirror DIR finds all three as
    DIR/<owner>+<name>/repo. A set whose repository is not given is skipped, and said so;
  - the seed articles in content/articles/ (labelled in labels.yaml too);
  - bench/topics_real/allsides.yaml: the fresh set (labelled before the tagger ever saw it),
    read from ramybaly/Article-Bias-Prediction (--allsides, or found under --mirror), split by
    outlet into half A (for tuning: its errors may be listed) and half B (the second round's
    unseen figure, tuned on from the third round), and a later part C (the third round's unseen
    figure: totals and per-topic counts only, never its pages). Scored only with --fresh-half, each
    page twice: as the repository gives it (headline, body) and as `digest ingest` reads the
    page's copied text (headline line, then the body, through the text reader);
  - --ingest-bench DIR: the ingest-bench dev pages as an editor gets them, copied page
    text through `digest ingest`'s text reader, then tagged (their labels are the
    scrapinghub ones: the same pages).

Outlet folds, for tuning on one part and reporting on the other: fold A is every outlet
but the BBC (2012-2023 pages from the extraction sets and Dragnet, about 40 outlets),
fold B the BBC News set (2004-2005). Not a test: a measurement, run by hand.
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import tarfile
import time
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from tag_score import Labelled, Score, prf, report, score

from generator.config import load_config
from generator.frontmatter import split
from generator.topics import assign_topics

REAL = ROOT / "tests" / "topics_eval" / "real.yaml"
LABELS = ROOT / "bench" / "topics_real" / "labels.yaml"
FRESH = ROOT / "bench" / "topics_real" / "allsides.yaml"
REPOSITORIES = {  # set -> (owner+name in a mirror, commit the labels were made at)
    "dragnet": ("seomoz+dragnet_data", "95559bee8812387d8e2cca2e8090004319ab9602"),
    "bbc": ("suraj-deshmukh+BBC-Dataset-News-Classification", "e337a35e552c65d996343f80e6403afad9367b3c"),
    "scrapinghub": ("scrapinghub+article-extraction-benchmark", "4a3bc979f76c0df73cb95fe272e2fc1b96f9f010"),
    "allsides": ("ramybaly+Article-Bias-Prediction", "ced8111a720948e6a410e52031ace99c4e53f096"),
}
DRAGNET_COMMENTS = "!@#$%^&*()  COMMENTS"  # Dragnet's marker between article and comments


class Repository:
    """A file of one repository at its pinned commit, from a work tree or a git directory."""

    def __init__(self, path: Path, commit: str):
        self.path, self.commit = path, commit

    def read(self, rel: str) -> bytes:
        if (self.path / rel).is_file():
            return (self.path / rel).read_bytes()
        done = subprocess.run(["git", f"--git-dir={self.path}", "show", f"{self.commit}:{rel}"], check=False, capture_output=True)
        if done.returncode:
            raise FileNotFoundError(f"{self.path}: no {rel} at {self.commit[:12]}")
        return done.stdout


def paragraphs(lines: list[str]) -> str:
    return "\n\n".join(line.strip() for line in lines if line.strip())


def read_dragnet(repo: Repository, entries: list[dict]) -> list[Labelled]:
    texts: dict[str, str] = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(repo.read("dragnet_Corrected.tar.gz"))) as archive:
            for member in archive.getmembers():
                if member.isfile():
                    texts[member.name.lstrip("./")] = archive.extractfile(member).read().decode("utf-8", "replace")
    except FileNotFoundError:  # an unpacked copy: Corrected/ beside the archive
        texts = {e["path"]: repo.read(e["path"]).decode("utf-8", "replace") for e in entries}
    out = []
    for e in entries:
        lines = [line.strip() for line in texts[e["path"]].split(DRAGNET_COMMENTS)[0].splitlines() if line.strip()]
        head = [e["title_line"]] + ([e["dek_line"]] if "dek_line" in e else [])
        dek = lines[e["dek_line"]] if "dek_line" in e else None
        out.append(_labelled(e, lines[e["title_line"]], dek, paragraphs(lines[max(head) + 1 :])))
    return out


def read_bbc(repo: Repository, entries: list[dict]) -> list[Labelled]:
    out = []
    for e in entries:
        lines = repo.read(e["path"]).decode("latin-1").splitlines()
        out.append(_labelled(e, lines[0].strip(), None, paragraphs(lines[1:])))
    return out


def read_scrapinghub(repo: Repository, entries: list[dict]) -> list[Labelled]:
    truth = json.loads(repo.read("ground-truth.json"))
    return [_labelled(e, e["title"], None, paragraphs(truth[e["path"]]["articleBody"].splitlines())) for e in entries]


def read_allsides(repo: Repository, entries: list[dict]) -> tuple[list[Labelled], list[Labelled]]:
    """Each page as the repository gives it, and as ingest reads its copied text."""
    from generator.ingest.textpage import extract

    given, ingested = [], []
    for e in entries:
        page = json.loads(repo.read(e["path"]))
        body = paragraphs(page["content_original"].splitlines())
        label = _labelled(e, page["title"].strip(), None, body)
        given.append(label)
        result = extract(f"{page['title'].strip()}\n\n{body}\n")
        ingested.append(Labelled(label.id, result.title or "", result.dek, result.body_md, label.topics, label.about_work,
                                 label.outlet, label.group))
    return given, ingested


def read_seeds(entries: list[dict]) -> list[Labelled]:
    out = []
    for e in entries:
        data, body, _line, _problems = split((ROOT / e["path"]).read_text(encoding="utf-8"), e["path"])
        out.append(_labelled(e, str(data.get("title", "")), data.get("dek"), body))
    return out


def _labelled(entry: dict, title: str, dek: str | None, body: str) -> Labelled:
    return Labelled(entry["id"], title, dek or None, body, frozenset(entry["topics"]), entry["about_work"],
                    entry.get("outlet", ""), entry.get("set", "real.yaml"))


def read_real() -> list[Labelled]:
    return [_labelled(e, e["title"], e.get("dek"), e["body"]) for e in yaml.safe_load(REAL.read_text(encoding="utf-8"))]


def read_ingest_bench(bench: Path, labels: dict[str, Labelled]) -> list[Labelled]:
    """Each dev page's copied text through the text reader, with the label of the same page."""
    from generator.ingest.textpage import extract

    out = []
    for page in sorted((bench / "dev").glob("*.txt")):
        label = labels.get(page.stem)
        if label is None:
            continue
        result = extract(page.read_text(encoding="utf-8"))
        out.append(Labelled(label.id, result.title or "", result.dek, result.body_md, label.topics, label.about_work, label.outlet, "ingest-bench"))
    return out


def lowest_f1(result: Score) -> tuple[str, float]:
    scored = [(prf(*c)[2], slug) for slug, c in result.per_topic.items() if any(c)]
    f, slug = min(scored) if scored else (1.0, "-")
    return slug, f


def repository(args: argparse.Namespace, name: str) -> Repository | None:
    path = getattr(args, name) or (args.mirror / REPOSITORIES[name][0] / "repo" if args.mirror else None)
    return Repository(path, REPOSITORIES[name][1]) if path is not None and path.exists() else None


def fresh(args: argparse.Namespace, config, slugs: list[str]) -> int:
    """One part of the fresh set, as given and as ingested. Part C's pages are never listed."""
    repo = repository(args, "allsides")
    if repo is None:
        print("the fresh set needs --allsides or --mirror")
        return 2
    entries = [e for e in yaml.safe_load(FRESH.read_text(encoding="utf-8")) if e["half"] == args.fresh_half]
    given, ingested = read_allsides(repo, entries)
    listed = args.errors and args.fresh_half != "C"
    for name, items in (("as given", given), ("as ingested from copied text", ingested)):
        result = score(items, [assign_topics(i.title, i.dek, i.body, config) for i in items], slugs)
        slug, f = lowest_f1(result)
        work = [i for i in items if i.about_work]
        print(report(f"fresh half {args.fresh_half}, {name}", result, errors=listed))
        print(f"  lowest topic F1: {slug} {f:.2f}; about-work pages {len(work)} from {len({i.outlet for i in work})} outlets\n")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror", type=Path, help="a folder of <owner>+<name>/repo git directories")
    for name in REPOSITORIES:
        parser.add_argument(f"--{name}", type=Path, help=f"the {name} repository (git directory or work tree)")
    parser.add_argument("--ingest-bench", type=Path, help="../shared/ingest-bench: also tag its dev pages as ingested")
    parser.add_argument("--config", type=Path, default=ROOT / "config.yaml")
    parser.add_argument("--errors", action="store_true", help="list every page tagged differently from its label")
    parser.add_argument("--fold", choices=["A", "B"], help="report only this fold (tune on one, look at the other last)")
    parser.add_argument("--fresh-half", choices=["A", "B", "C"], help="score this part of the fresh set alone (C: totals only)")
    args = parser.parse_args()
    config = load_config(args.config)
    slugs = [t.slug for t in config.topics]

    entries = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    by_set: dict[str, list[dict]] = defaultdict(list)
    for e in entries:
        by_set[e["set"]].append(e)
    if args.fresh_half:
        return fresh(args, config, slugs)
    items = read_real() + read_seeds(by_set.pop("seeds", []))
    readers = {"dragnet": read_dragnet, "bbc": read_bbc, "scrapinghub": read_scrapinghub}
    for name, reader in readers.items():
        repo = repository(args, name)
        if repo is None:
            print(f"skipped {name}: give --{name} or --mirror")
            continue
        items += reader(repo, by_set[name])

    started = time.perf_counter()
    assigned = [assign_topics(i.title, i.dek, i.body, config) for i in items]
    seconds = time.perf_counter() - started

    def show(name: str, chosen: list[int]) -> None:
        result = score([items[n] for n in chosen], [assigned[n] for n in chosen], slugs)
        slug, f = lowest_f1(result)
        work = [n for n in chosen if items[n].about_work]
        on_work = score([items[n] for n in work], [assigned[n] for n in work], slugs)
        p, r, f1 = prf(*on_work.total)
        print(report(name, result, errors=args.errors))
        print(f"  lowest topic F1: {slug} {f:.2f}; about-work pages {len(work)} from "
              f"{len({items[n].outlet for n in work})} outlets, on them alone: P {p:.3f} R {r:.3f} F1 {f1:.3f}\n")

    everything = list(range(len(items)))
    fold_a = [n for n in everything if items[n].group != "bbc"]
    fold_b = [n for n in everything if items[n].group == "bbc"]
    if args.fold is None:
        show("all real pages", everything)
    if args.fold != "B":
        show("fold A (every outlet but the BBC)", fold_a)
    if fold_b and args.fold != "A":
        show("fold B (BBC News)", fold_b)
    groups = sorted({items[n].group for n in (fold_a if args.fold == "A" else fold_b if args.fold == "B" else everything)})
    for group in groups:
        chosen = [n for n in everything if items[n].group == group]
        result = score([items[n] for n in chosen], [assigned[n] for n in chosen], slugs)
        p, r, f = prf(*result.total)
        print(f"set {group:<12} pages {len(chosen):3}  P {p:.3f} R {r:.3f} F1 {f:.3f}  "
              f"not about work {result.not_work}, tagged {len(result.not_work_tagged)}")
    if args.ingest_bench:
        labels = {i.id: i for i in items if i.group in ("scrapinghub", "real.yaml")}
        by_page = {e["path"]: labels[e["id"]] for e in by_set["scrapinghub"] if e["id"] in labels}
        for e in yaml.safe_load(REAL.read_text(encoding="utf-8")):
            if e["source"]["repository"] == "scrapinghub/article-extraction-benchmark":
                by_page[e["source"]["path"].split("/")[1].split(".")[0]] = labels[e["id"]]
        ingested = read_ingest_bench(args.ingest_bench, by_page)
        got = [assign_topics(i.title, i.dek, i.body, config) for i in ingested]
        result = score(ingested, got, slugs)
        print()
        print(report("ingest-bench dev pages, as ingested", result, errors=True))
    print(f"\ntagged {len(items)} pages in {seconds:.2f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
