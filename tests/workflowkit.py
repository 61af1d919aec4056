"""Run the hosting recipes' build steps on this machine, the way the host runs them.

GitHub Actions: the `run:` steps of one job of a workflow, in order, each as the
runner does (`bash --noprofile --norc -eo pipefail` on a script file, in the
checkout), with the workflow's, the job's and the step's `env:`. The `uses:` steps
stand for things the caller provides: the checkout is a copy of the repository,
setup-python is this machine's python3, and the outputs of other steps (Pages' address)
come in `context`, which also gives every `${{ ... }}` expression its value.

Netlify: netlify.toml's build command in bash, with [build.environment] and the
variables Netlify sets (URL, CONTEXT).

The test suite runs them (tests/test_hosting.py), and so does the benchmark that times
them on a fresh clone (bench/workflow_bench.py).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PAGES_WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
NETLIFY = ROOT / "netlify.toml"

# This machine's environment stands for the runner's, less what only a developer here would have
# set (their LABOR_DIGEST_BASE_URL, say) and what the host sets itself.
NOT_PASSED = ("LABOR_DIGEST_", "DIGEST_", "GITHUB_", "NETLIFY", "URL", "DEPLOY_", "CONTEXT", "VIRTUAL_ENV", "PYTEST_")

_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def evaluate(text: str, context: dict[str, str]) -> str:
    """Replace each `${{ a || 'b' }}` with the first operand that is not empty.

    Only names given in `context` and quoted literals are understood: a workflow that
    starts using anything else makes this fail loudly, not run with a guess.
    """

    def value(match: re.Match) -> str:
        for operand in (o.strip() for o in match.group(1).split("||")):
            if len(operand) >= 2 and operand[0] == operand[-1] == "'":
                found = operand[1:-1]
            elif operand in context:
                found = context[operand]
            else:
                raise KeyError(f"{match.group(0)!r} needs {operand!r}: give it a value in the context")
            if found:
                return found
        return ""

    return _EXPRESSION.sub(value, str(text))


@dataclass(frozen=True)
class Step:
    name: str
    script: str
    env: dict[str, str]
    shell: tuple[str, ...] = ("bash", "--noprofile", "--norc", "-eo", "pipefail")  # GitHub's default on Linux


@dataclass(frozen=True)
class StepRun:
    step: Step
    returncode: int
    output: str
    seconds: float


def workflow_steps(path: Path, job: str, context: dict[str, str]) -> list[Step]:
    """The job's `run:` steps with their environment (workflow, then job, then step env)."""
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    spec = workflow["jobs"][job]
    outer = {**workflow.get("env", {}), **spec.get("env", {})}
    steps = []
    for index, step in enumerate(spec["steps"]):
        if "run" not in step:
            continue
        env = {k: evaluate(v, context) for k, v in {**outer, **step.get("env", {})}.items()}
        steps.append(Step(step.get("name", f"step {index + 1}"), evaluate(step["run"], context), env))
    return steps


def netlify_step(path: Path, context: dict[str, str]) -> tuple[Step, str]:
    """netlify.toml's build command as a step, with the folder it publishes."""
    config = tomllib.loads(path.read_text(encoding="utf-8"))
    build = config["build"]
    env = {**{k: str(v) for k, v in build.get("environment", {}).items()}, **context}
    return Step("netlify build", build["command"], env, shell=("bash",)), build["publish"]  # Netlify: the command in bash, no -e


def run_steps(steps: list[Step], cwd: Path, extra_env: dict[str, str] | None = None) -> list[StepRun]:
    """Run steps in order in cwd, stopping at the first that fails, as a runner does."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(NOT_PASSED)}
    base.update(CI="true", GITHUB_ACTIONS="true", GITHUB_WORKSPACE=str(cwd), **(extra_env or {}))
    runs = []
    for number, step in enumerate(steps):
        script = cwd.parent / f".{cwd.name}-step-{number}.sh"
        script.write_text(step.script, encoding="utf-8")
        started = time.perf_counter()
        done = subprocess.run([*step.shell, str(script)], cwd=cwd,
                              env={**base, **step.env}, capture_output=True, text=True, check=False)
        runs.append(StepRun(step, done.returncode, done.stdout + done.stderr, time.perf_counter() - started))
        script.unlink()
        if done.returncode:
            break
    return runs


def copy_repository(dest: Path, source: Path = ROOT) -> Path:
    """The repository's files as a checkout has them: tracked and new ones, nothing git ignores."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=source,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for rel in filter(None, listed):
        target = dest / rel
        if (source / rel).is_file():  # a file deleted but not yet committed is listed, and absent
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / rel, target)
    return dest
