#!/usr/bin/env python3
"""Set up and run Labor Digest from a fresh clone with nothing but python3.

    python3 dev.py build   # virtual environment + package, then build the digest into public/
    python3 dev.py test    # the same, plus test tools (Chromium, axe-core, vnu.jar), then the whole test suite
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
TOOLS = ROOT / ".tools"
PY = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
NPM_TOOLS = {"axe-core": "axe.min.js", "vnu-jar": "build/dist/vnu.jar"}


def run(*cmd: str | Path, **kw) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, cwd=ROOT, **kw)


def ensure_venv(extra: str = "") -> None:
    if not PY.exists():
        try:
            venv.EnvBuilder(with_pip=True).create(VENV)
        except (subprocess.CalledProcessError, OSError):
            # Debian's python3 ships venv's pip bootstrap separately.
            shutil.rmtree(VENV, ignore_errors=True)
            apt_install(f"python3.{sys.version_info.minor}-venv")
            venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / f".installed{extra}"
    project = (ROOT / "pyproject.toml").stat().st_mtime
    if not stamp.exists() or stamp.stat().st_mtime < project:
        run(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        run(PY, "-m", "pip", "install", "--quiet", "-e", f".{extra}")
        stamp.touch()


def apt_install(*packages: str) -> None:
    if not shutil.which("apt-get"):
        sys.exit(f"Install {' '.join(packages)} with your system's package manager, then run this again.")
    prefix = [] if os.geteuid() == 0 else ["sudo"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run(*prefix, "apt-get", "update", "-qq", env=env)
    run(*prefix, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages, env=env)


def npm_file(package: str, member: str) -> Path:
    """One file from an npm package, unpacked into .tools/ once (npm pack: no node_modules)."""
    target = TOOLS / package / Path(member).name
    if target.exists():
        return target
    if not shutil.which("npm"):
        apt_install("npm")
    target.parent.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(["npm", "pack", package, "--silent", "--pack-destination", str(target.parent)],
                            check=True, cwd=ROOT, capture_output=True, text=True)
    tarball = target.parent / result.stdout.strip().splitlines()[-1]
    with tarfile.open(tarball) as archive:
        source = archive.extractfile(f"package/{member}")
        target.write_bytes(source.read())
    tarball.unlink()
    return target


def ensure_test_tools() -> None:
    missing = [p for p, exe in (("chromium", "/usr/bin/chromium"), ("default-jre-headless", "java"), ("rsync", "rsync")) if not (Path(exe).exists() if exe.startswith("/") else shutil.which(exe))]
    if missing:
        apt_install(*missing)
    for package, member in NPM_TOOLS.items():
        npm_file(package, member)


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else ""
    if command == "build":
        ensure_venv()
        run(PY, "-m", "generator", "build", "--out", "public", *argv[2:])
        print(f"The digest is in {ROOT / 'public'}; preview it with: .venv/bin/digest serve")
        return 0
    if command == "test":
        ensure_venv("[test]")
        ensure_test_tools()
        env = dict(os.environ, LABOR_DIGEST_TOOLS=str(TOOLS), LABOR_DIGEST_ARTIFACTS=str(ROOT / "test-artifacts"))
        return subprocess.run([str(PY), "-m", "pytest", *argv[2:]], cwd=ROOT, env=env, check=False).returncode  # pytest's own exit status is ours
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
