"""Time the GitHub Pages workflow's build-and-check steps on a fresh clone, as a runner runs them.

A fresh clone of the repository's HEAD (nothing of this checkout's venv, cache or
output), then the `run:` steps of the workflow's build job, read from
.github/workflows/pages.yml and run by tests/workflowkit.py with the environment the
workflow sets and Pages' address: `python3 dev.py build` makes the virtual environment
and installs the package, then builds the shipped content; `digest check` checks it.
The issue's target: under a minute. A second run in the same clone is the next push
(venv and build cache in place, as the workflow's caches give them).

    python3 bench/workflow_bench.py                   # pip as this machine is set up (its download cache too)
    python3 bench/workflow_bench.py --fresh-pip       # no pip cache, no local index: every package from PyPI
    python3 bench/workflow_bench.py --netlify         # netlify.toml's command too, in another fresh clone
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
from workflowkit import netlify_step, run_steps, workflow_steps

TARGET_S = 60.0
PAGES_CONTEXT = {"steps.pages.outputs.base_url": "https://user.github.io/digest", "vars.DIGEST_STRICT": ""}


def fresh_clone(folder: Path) -> Path:
    clone = folder / "repo"
    subprocess.run(["git", "clone", "--quiet", "--no-local", str(REPO), str(clone)], check=True)
    return clone


def report(title: str, runs) -> float:
    total = sum(r.seconds for r in runs)
    print(f"\n{title}\n\n| step | seconds | exit |\n|---|---:|---:|")
    for r in runs:
        print(f"| {r.step.name} | {r.seconds:.2f} | {r.returncode} |")
    print(f"| all | {total:.2f} | |")
    for r in runs:
        if r.returncode:
            print(f"\n{r.step.name} failed:\n{r.output}", file=sys.stderr)
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time the Pages workflow's build and check steps on a fresh clone.")
    parser.add_argument("--fresh-pip", action="store_true",
                        help="no pip cache, no pip config and no PIP_FIND_LINKS / PIP_*INDEX_URL: every package from PyPI")
    parser.add_argument("--netlify", action="store_true", help="also time netlify.toml's build command in another fresh clone")
    args = parser.parse_args(argv)
    env = {"PIP_NO_CACHE_DIR": "1", "PIP_CONFIG_FILE": os.devnull} if args.fresh_pip else {}
    if args.fresh_pip:
        for name in [n for n in os.environ if n in ("PIP_FIND_LINKS", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL")]:
            del os.environ[name]  # a local wheel folder or index set in this machine's environment
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    print(f"## Hosting recipes on a fresh clone of {commit}{' (pip: no cache, PyPI only)' if args.fresh_pip else ''}")
    ok = True
    with tempfile.TemporaryDirectory(prefix="ld-workflow-") as tmp:
        clone = fresh_clone(Path(tmp))
        steps = workflow_steps(clone / ".github" / "workflows" / "pages.yml", "build", PAGES_CONTEXT)
        runs = run_steps(steps, clone, env)
        first = report("GitHub Pages workflow, first push (fresh clone, no venv, no cache)", runs)
        ok &= all(r.returncode == 0 for r in runs) and len(runs) == len(steps)
        again = run_steps(steps, clone, env)
        report("The next push (venv and build cache kept)", again)
        ok &= all(r.returncode == 0 for r in again)
        print(f"\nTarget: the workflow's build and check steps on a fresh machine under {TARGET_S:g} s: {first:.1f} s: "
              f"{'holds' if first < TARGET_S and ok else 'DOES NOT HOLD'}")
    if args.netlify:
        with tempfile.TemporaryDirectory(prefix="ld-netlify-") as tmp:
            clone = fresh_clone(Path(tmp))
            step, _publish = netlify_step(clone / "netlify.toml", {"URL": "https://labor-digest.netlify.app", "CONTEXT": "production"})
            runs = run_steps([step], clone, env)
            report("Netlify build command (fresh clone)", runs)
            ok &= runs[0].returncode == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
