"""`digest`: the only code that prints or exits.

A user's mistake (SiteError) prints one line per problem and exits 1 with no
traceback; anything else is a bug in Labor Digest and says so.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from . import __version__
from .errors import SiteError


def _cmd_build(args: argparse.Namespace) -> int:
    from .build import build

    report = build(Path(args.config), Path(args.out), drafts=args.drafts, use_cache=not args.no_cache, progress=_progress_bar())
    for path, fields in report.review:
        print(f"review: {path}: check {', '.join(fields)} (then remove them from 'review:')")
    for path in report.derived_ids:
        print(f"note: {path}: no 'id:'; its feed id is derived from the file name and changes if the file is renamed")
    w = report.write
    print(
        f"built {report.articles} articles, {report.pages} pages, {report.feeds} feeds into {args.out} "
        f"in {report.seconds:.2f}s ({len(w.written)} files written, {w.unchanged} unchanged, {len(w.removed)} removed)"
    )
    return 0


def _progress_bar():
    """A progress bar on a terminal (tqdm), nothing otherwise: logs get the one-line summary."""
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    bars: dict[str, tqdm] = {}

    def show(stage: str, done: int, total: int) -> None:
        bar = bars.get(stage)
        if bar is None:
            bar = bars[stage] = tqdm(total=total, desc=stage, unit="", leave=False, file=sys.stderr)
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    return show


def _cmd_ingest(args: argparse.Namespace) -> int:
    from .config import load_config
    from .ingest import ingest_paths

    config = load_config(Path(args.config))
    out = Path(args.out) if args.out else config.root / "content" / "articles"
    stdin = sys.stdin.buffer if "-" in args.paths else None
    results = ingest_paths(args.paths, out, config, force=args.force, stdin=stdin)
    for r in results:
        target = f" -> {r.article}" if r.article else ""
        message = f": {r.message}" if r.message else ""
        print(f"{r.status}: {r.source}{target}{message}", file=sys.stderr if r.status == "failed" else sys.stdout)
    return 1 if any(r.status == "failed" for r in results) else 0


def _cmd_tag(args: argparse.Namespace) -> int:
    from . import retag
    from .config import load_config

    config = load_config(Path(args.config))
    if args.explain:
        print(retag.explain_path(Path(args.explain), config))
        return 0
    results = retag.retag_paths([Path(p) for p in args.paths] or None, config)
    changed = 0
    for r in results:
        if r.before != r.after:
            changed += 1
            print(f"{r.path}: {', '.join(r.before) or '(none)'} -> {', '.join(r.after) or '(none)'}{' ' + r.message if r.message else ''}")
        elif r.message:
            print(f"{r.path}: {r.message}")
    print(f"{changed} of {len(results)} articles changed")
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    from .serve import serve

    return serve(Path(args.config), Path(args.out), host="127.0.0.1", port=args.port, drafts=args.drafts)


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="digest", description="Labor Digest: a themed static digest of labor news, with feeds.")
    parser.add_argument("--version", action="version", version=f"digest {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, func: Callable, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.add_argument("--config", default="config.yaml", help="site settings (default: config.yaml)")
        p.set_defaults(func=func)
        return p

    p = command("build", _cmd_build, "build the site into a folder")
    p.add_argument("--out", default="public", help="output folder (default: public)")
    p.add_argument("--drafts", action="store_true", help="include articles marked 'draft: true'")
    p.add_argument("--no-cache", action="store_true", help="ignore the build cache (.digest-cache/) and build everything")

    p = command("ingest", _cmd_ingest, "turn copied news pages into Markdown articles")
    p.add_argument("paths", nargs="+", metavar="PATH", help="a .txt file, a folder of them, or - for standard input")
    p.add_argument("--out", default=None, help="article folder (default: content/articles)")
    p.add_argument("--force", action="store_true", help="overwrite articles edited by hand")

    p = command("tag", _cmd_tag, "re-assign topics to articles and print what changed")
    p.add_argument("paths", nargs="*", metavar="PATH", help="articles (default: all of content/articles)")
    p.add_argument("--explain", metavar="PATH", help="show the evidence for each topic of one article")

    p = command("serve", _cmd_serve, "build, serve on 127.0.0.1 and rebuild on change")
    p.add_argument("--out", default="public", help="output folder (default: public)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    p.add_argument("--drafts", action="store_true", help="include drafts")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        return args.func(args)
    except SiteError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        print(f"{len(exc.problems)} problem{'s' if len(exc.problems) != 1 else ''}; nothing was written.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception:  # noqa: BLE001 (anything else is our bug: say so, with the traceback)
        traceback.print_exc()
        print("This is a bug in Labor Digest, not in your content: please report it with the lines above.", file=sys.stderr)
        return 2
