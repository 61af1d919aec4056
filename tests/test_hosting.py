"""Hosting recipes: the address from the host, the GitHub Pages workflow, Netlify, and rsync.

The workflow is linted with actionlint, and its build steps, like netlify.toml's command,
are run the way the host runs them (tests/workflowkit.py) in a copy of this repository:
`python3 dev.py build` makes a fresh virtual environment there, so those tests are slow.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from conftest import build_site, internal_links, make_site, parse_html, sample_files, snapshot
from workflowkit import NETLIFY, PAGES_WORKFLOW, ROOT, copy_repository, netlify_step, run_steps, workflow_steps

BIN = Path(sys.executable).parent


def canonical(page: Path) -> str:
    [link] = [el for el in parse_html(page).iter("link") if el.get("rel") == "canonical"]
    return link.get("href")


# --- base_url from the host ------------------------------------------------------------------


def test_base_url_from_the_command_line_or_the_environment_wins_over_config(tmp_path, monkeypatch):
    site = make_site(tmp_path / "site", sample_files("https://example.org/"))
    built = build_site(site, tmp_path / "a", "--base-url", "https://user.github.io/digest")
    assert built.code == 0, built.stderr
    assert canonical(built.out / "index.html") == "https://user.github.io/digest/"
    for _page, _link, target in internal_links(built.out, "https://user.github.io/digest/"):
        assert (built.out / target).is_file(), target
    monkeypatch.setenv("LABOR_DIGEST_BASE_URL", "https://digest.example.net/")
    assert canonical(build_site(site, tmp_path / "b").out / "index.html") == "https://digest.example.net/"
    built = build_site(site, tmp_path / "c", "--base-url", "https://flag.example.com/")  # the option over the variable
    assert canonical(built.out / "index.html") == "https://flag.example.com/"
    monkeypatch.setenv("LABOR_DIGEST_BASE_URL", "")  # what CI passes for an unset setting: config.yaml's then
    assert canonical(build_site(site, tmp_path / "d").out / "index.html") == "https://example.org/"


def test_config_needs_no_base_url_when_the_host_gives_it(tmp_path):
    files = sample_files()
    files["config.yaml"] = files["config.yaml"].replace("base_url: https://example.org/\n", "")
    site = make_site(tmp_path / "site", files)
    assert build_site(site, tmp_path / "a").stderr.startswith("error: config.yaml:1: 'base_url' is required")
    assert build_site(site, tmp_path / "b", "--base-url", "https://example.org/x/").code == 0


@pytest.mark.parametrize("source", ["--base-url", "LABOR_DIGEST_BASE_URL"])
def test_a_bad_base_url_from_the_host_is_checked_like_config_and_named_by_its_source(tmp_path, monkeypatch, source):
    site = make_site(tmp_path / "site", sample_files())
    args = ("--base-url", "user.github.io/digest") if source == "--base-url" else ()
    if not args:
        monkeypatch.setenv(source, "user.github.io/digest")
    built = build_site(site, tmp_path / "out", *args)
    assert built.code == 1 and not built.out.exists()
    assert built.stderr.splitlines() == [
        f"error: {source}: 'base_url' must start with https:// or http://, not 'user.github.io/digest' (did you mean 'https://user.github.io/digest/'?)",
        "1 problem; nothing was written.",
    ]


# --- GitHub Pages and Netlify ------------------------------------------------------------------


def actionlint(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")  # shellcheck beside it checks run: scripts
    return subprocess.run([str(BIN / "actionlint"), "-no-color", *args], capture_output=True, text=True, env=env, check=False)


def test_every_workflow_passes_actionlint():
    workflows = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
    assert PAGES_WORKFLOW in workflows
    assert shutil.which("shellcheck", path=str(BIN)), "shellcheck (test extras) lets actionlint check run: scripts"
    result = actionlint(*map(str, workflows))
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_actionlint_rejects_a_workflow_that_reads_an_output_no_step_has(tmp_path):
    broken = tmp_path / ".github" / "workflows" / "pages.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(PAGES_WORKFLOW.read_text().replace("steps.pages.outputs.base_url", "steps.page.outputs.base_url"))
    result = actionlint(str(broken))
    assert result.returncode == 1 and "page" in result.stdout


def test_the_workflow_deploys_with_the_official_pages_actions_after_the_check():
    workflow = yaml.safe_load(PAGES_WORKFLOW.read_text())
    on = workflow[True]  # YAML 1.1 reads the key 'on' as true
    assert on["push"]["branches"] == ["main"]
    build, deploy = workflow["jobs"]["build"]["steps"], workflow["jobs"]["deploy"]["steps"]
    uses = [s.get("uses", "").split("@")[0] for s in build]
    assert uses.index("actions/setup-python") < uses.index("actions/configure-pages") < uses.index("actions/upload-pages-artifact")
    names = [s.get("name") for s in build]
    assert names.index("Build") < names.index("Check") < uses.index("actions/upload-pages-artifact")
    [cache] = [s for s in build if s.get("uses", "").startswith("actions/cache@")]
    assert ".digest-cache" in cache["with"]["path"].split()
    assert workflow["jobs"]["deploy"]["needs"] == "build" and deploy[-1]["uses"].startswith("actions/deploy-pages@")
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}


@pytest.fixture(scope="module")
def checkout(tmp_path_factory) -> Path:
    """A copy of this repository, as a fresh checkout has it (no venv, no cache, no output)."""
    return copy_repository(tmp_path_factory.mktemp("checkout") / "repo")


PAGES_URL = "https://user.github.io/digest"  # what actions/configure-pages gives a project site: no final slash


def pages_context(strict: str) -> dict[str, str]:
    return {"steps.pages.outputs.base_url": PAGES_URL, "vars.DIGEST_STRICT": strict}


def failed(runs) -> str:
    return "\n".join(f"--- {r.step.name} (exit {r.returncode}):\n{r.output}" for r in runs)


@pytest.mark.slow
def test_the_workflows_build_steps_publish_the_shipped_digest_under_the_pages_subpath(checkout):
    runs = run_steps(workflow_steps(PAGES_WORKFLOW, "build", pages_context("")), checkout)
    assert [r.step.name for r in runs] == ["Build", "Check"]
    assert all(r.returncode == 0 for r in runs), failed(runs)
    assert re.search(r"^checked 2 articles and \d+ outputs in .*; ready to publish", runs[-1].output, re.MULTILINE), runs[-1].output
    out = checkout / "public"
    assert canonical(out / "index.html") == PAGES_URL + "/"
    links = internal_links(out, PAGES_URL + "/")
    assert links and all((out / target).is_file() for _page, _link, target in links)
    assert [p for p in out.rglob("*") if p.name.startswith(".")] == []  # upload-pages-artifact leaves out hidden files


@pytest.mark.slow
def test_the_workflows_strict_setting_keeps_open_review_items_from_being_published(checkout):
    runs = run_steps(workflow_steps(PAGES_WORKFLOW, "build", pages_context("true")), checkout)
    assert [(r.step.name, r.returncode) for r in runs] == [("Build", 0), ("Check", 1)], failed(runs)
    assert "open review items" in runs[-1].output and "not ready to publish" in runs[-1].output


@pytest.mark.slow
def test_netlifys_build_command_publishes_at_the_netlify_address(checkout):
    step, publish = netlify_step(NETLIFY, {"URL": "https://labor-digest.netlify.app", "CONTEXT": "production"})
    [run] = run_steps([step], checkout)
    assert run.returncode == 0, failed([run])
    assert "ready to publish" in run.output
    assert canonical(checkout / publish / "index.html") == "https://labor-digest.netlify.app/"


def test_netlify_stops_when_the_check_fails(tmp_path):
    """The command runs in bash without -e: a failing check must still fail the deploy."""
    step, _publish = netlify_step(NETLIFY, {"URL": "https://labor-digest.netlify.app"})
    fake = tmp_path / "repo"
    (fake / ".venv" / "bin").mkdir(parents=True)
    (fake / "dev.py").write_text("import sys; sys.exit(1)\n")  # a build that fails
    (fake / ".venv" / "bin" / "digest").write_text("#!/bin/sh\nexit 0\n")
    (fake / ".venv" / "bin" / "digest").chmod(0o755)
    [run] = run_steps([step], fake)
    assert run.returncode == 1


# --- rsync: only what changed goes up ----------------------------------------------------------


def readme_command(program: str) -> list[str]:
    """The README's Deploy recipe for a program, as a list of arguments."""
    deploy = ROOT.joinpath("README.md").read_text(encoding="utf-8").split("\n## Deploy\n", 1)[1].split("\n## ", 1)[0]
    [line] = [line for line in deploy.splitlines() if line.startswith(program + " ")]
    return shlex.split(line.split("  #")[0])


def test_the_readmes_rsync_recipe_uploads_only_the_files_an_edit_changed(tmp_path):
    site = make_site(tmp_path / "site", sample_files())
    out, served = tmp_path / "public", tmp_path / "served"
    assert build_site(site, out).code == 0
    command = readme_command("rsync")
    assert command[-2:] == ["public/", "user@example.org:/var/www/digest/"]

    def upload() -> set[str]:
        done = subprocess.run([*command[:-2], "--out-format=%n", f"{out}/", f"{served}/"], capture_output=True, text=True, check=True)
        return {line for line in done.stdout.splitlines() if not line.endswith("/")}

    first = upload()
    assert first == set(snapshot(out))
    assert upload() == set()
    before = snapshot(out)
    time.sleep(1.05)  # rsync compares times in whole seconds: an edit is not made in the second of the last build
    story = site / "content" / "articles" / "undated.md"
    story.write_text(story.read_text() + "\nThe vote was moved to Friday.\n")
    assert build_site(site, out).code == 0
    after = snapshot(out)
    rewritten = {path for path, was in after.items() if before.get(path) != was}
    assert "articles/warehouse-union-vote-set/index.html" in rewritten and len(rewritten) < len(first) / 3
    assert upload() == rewritten
    assert {p.relative_to(served).as_posix(): p.read_bytes() for p in served.rglob("*") if p.is_file()} == \
           {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


# --- a fresh checkout with the build cache restored --------------------------------------------


def test_a_fresh_checkout_with_the_cache_restored_prepares_no_article_again(tmp_path, monkeypatch):
    """A runner's checkout gives every file a new mtime and the same bytes: the cached articles still hold."""
    import generator.build

    site = make_site(tmp_path / "site", sample_files())
    out = tmp_path / "out"
    assert build_site(site, out).code == 0
    prepared: list[str] = []
    real = generator.build.prepare_article
    monkeypatch.setattr(generator.build, "prepare_article", lambda job: prepared.append(job[0]) or real(job))
    articles = sorted((site / "content" / "articles").glob("*.md"))
    later = time.time() + 60
    for path in articles:
        os.utime(path, (later, later))
    before = snapshot(out)
    rebuilt = build_site(site, out)
    assert rebuilt.code == 0 and prepared == [] and snapshot(out) == before
    assert "(0 files written" in rebuilt.stdout
    story = site / "content" / "articles" / "undated.md"
    story.write_text(story.read_text().replace("next month", "next monday"))  # same size, other text
    os.utime(story, (later, later))
    assert build_site(site, out).code == 0 and prepared == ["content/articles/undated.md"]
