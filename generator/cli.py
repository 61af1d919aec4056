"""`digest`: the only code that prints or exits.

A user's mistake (SiteError) prints one line per problem and exits 1 with no
traceback; anything else is a bug in Labor Digest and says so.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .errors import SiteError

if TYPE_CHECKING:
    from .check import CheckReport

BASE_URL_VARIABLE = "LABOR_DIGEST_BASE_URL"


def _overrides(args: argparse.Namespace) -> list:
    """Settings given on the command line or in the environment, over config.yaml's."""
    from .config import Override

    if args.base_url is not None:
        return [Override("base_url", args.base_url, "--base-url")]
    if os.environ.get(BASE_URL_VARIABLE):  # set but empty (an unset variable in CI) means: config.yaml's
        return [Override("base_url", os.environ[BASE_URL_VARIABLE], BASE_URL_VARIABLE)]
    return []


def _cmd_build(args: argparse.Namespace) -> int:
    from .build import build
    from .load import DERIVED_ID_NOTE

    report = build(Path(args.config), Path(args.out), drafts=args.drafts, use_cache=not args.no_cache, progress=_progress_bar(),
                   overrides=_overrides(args))
    for path, fields in report.review:
        print(f"review: {path}: check {', '.join(fields)} (then remove them from 'review:')")
    for path in report.derived_ids:
        print(f"note: {path}: {DERIVED_ID_NOTE}")
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
    from .ingest import ingest_paths, parse_copied_at
    from .load import ARTICLES_DIR

    if not args.paths and not args.urls:
        print("error: give a link, a file, a folder or - (standard input), or --urls FILE", file=sys.stderr)
        return 2
    config = load_config(Path(args.config))
    try:
        copied_at = parse_copied_at(args.copied_at, config.timezone) if args.copied_at is not None else None
    except ValueError as exc:
        print(f"error: {exc}; nothing was written", file=sys.stderr)
        return 2
    out = Path(args.out) if args.out else config.root / ARTICLES_DIR
    stdin = sys.stdin.buffer if "-" in args.paths else None
    results = ingest_paths(args.paths, out, config, force=args.force, stdin=stdin, link_lists=args.urls, progress=_progress_bar(),
                           copied_at=copied_at)
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


def _cmd_check(args: argparse.Namespace) -> int:
    from .check import check

    report = check(Path(args.config), drafts=args.drafts, use_cache=not args.no_cache, overrides=_overrides(args))
    for level, problems in (("error", report.errors), ("warning", report.warnings), ("note", report.notes)):
        for problem in problems:
            print(f"{level}: {problem}")
    print(_check_summary(report, args.strict))
    return 1 if report.blocks(args.strict) else 0


def _check_summary(report: CheckReport, strict: bool) -> str:
    def count(n: int, word: str) -> str:
        return f"{n} {word}{'s' if n != 1 else ''}"

    if not report.complete:
        return f"{count(len(report.errors), 'error')} in the settings, articles or theme: fix them, then check again (links and feeds are checked once the site builds)"
    found = (f"checked {count(report.articles, 'article')} and {count(report.outputs, 'output')} in {report.seconds:.2f}s: "
             f"{count(len(report.errors), 'error')}, {count(len(report.warnings), 'warning')}")
    if report.blocks(strict):
        reason = "errors" if report.errors else "warnings (--strict)"
        return f"{found}; not ready to publish: fix the {reason} above"
    if report.warnings:
        return f"{found}; ready to publish (warnings block it only with --strict)"
    return f"{found}; ready to publish"


def _cmd_issue(args: argparse.Namespace) -> int:
    from .newsletter import choose_issue, close_issue, email_settings, load_newsletter, status, write_email_files

    letter = load_newsletter(Path(args.config), overrides=_overrides(args))
    if args.email:
        email_settings(letter.config)  # before anything is closed or written
    issue = choose_issue(letter, args.week, "issue", in_progress=args.close and not args.week)
    if args.close:
        was_open = issue.in_progress
        letter = close_issue(letter, issue)
        issue = choose_issue(letter, issue.period.key, "issue")
        print(f"closed {issue.period.key}: it can be sent now" if was_open else f"{issue.period.key} was already closed")
    print(status(issue, letter.config))
    if args.email:
        for path in write_email_files(letter, issue, Path(args.email)):
            print(f"wrote {path} ({path.stat().st_size / 1024:.1f} KB)")
        if issue.in_progress:
            print(f"note: {issue.period.key} is still in progress: these files are a preview; 'digest send' waits until it is over")
    return 0


def _cmd_send(args: argparse.Namespace) -> int:
    from .newsletter import choose_issue, load_newsletter, send_issue

    letter = load_newsletter(Path(args.config), overrides=_overrides(args))
    issue = choose_issue(letter, args.week, "send")
    key = issue.period.key
    report = send_issue(letter, issue, args.to, again=args.again, on_sent=lambda address: print(f"sent {key} to {address}", flush=True))
    for address, entry in report.skipped:
        print(f"skipped {address}: got {key} on {entry.at:%Y-%m-%d %H:%M %Z} ('--again' sends it again)")
    if report.failure:
        print(f"error: digest send: {report.failure}", file=sys.stderr)
        print(f"got {key}: {', '.join(report.sent) or 'nobody'}", file=sys.stderr)
        print(f"did not get {key}: {', '.join(report.not_sent)}; run the same command again to send to them "
              "(those who got it are skipped)", file=sys.stderr)
        return 1
    print(f"sent {key} to {len(report.sent)} of {len(report.sent) + len(report.skipped)} addresses")
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    from .serve import serve

    return serve(Path(args.config), Path(args.out), host="127.0.0.1", port=args.port, drafts=args.drafts)


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="digest", description="Labor Digest: a themed static digest of labor news, with feeds.")
    parser.add_argument("--version", action="version", version=f"digest {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def base_url_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--base-url", metavar="URL", help=f"the address the site is hosted at, over config.yaml's base_url "
                       f"(also from ${BASE_URL_VARIABLE}); a path such as https://user.github.io/digest/ works")

    def command(name: str, func: Callable, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.add_argument("--config", default="config.yaml", help="site settings (default: config.yaml)")
        p.set_defaults(func=func)
        return p

    p = command("build", _cmd_build, "build the site into a folder")
    p.add_argument("--out", default="public", help="output folder (default: public)")
    p.add_argument("--drafts", action="store_true", help="include articles marked 'draft: true'")
    p.add_argument("--no-cache", action="store_true", help="ignore the build cache (.digest-cache/) and build everything")
    base_url_option(p)

    p = command("check", _cmd_check, "check the site as a build would, plus links, feeds, review items and source links, without writing it")
    p.add_argument("--strict", action="store_true",
                   help="warnings (open review items, missing source_url, links to a missing #id or off base_url's path) block publishing too")
    p.add_argument("--drafts", action="store_true", help="check articles marked 'draft: true' too, as 'build --drafts' publishes them")
    p.add_argument("--no-cache", action="store_true", help="ignore the build cache (.digest-cache/)")
    base_url_option(p)

    p = command("ingest", _cmd_ingest, "turn news pages (links, saved pages, copied text) into Markdown articles")
    p.add_argument("paths", nargs="*", metavar="SOURCE",
                   help="a link (https://...), a saved page (.html), copied text (.txt), a folder of them, or - for standard input")
    p.add_argument("--urls", action="append", default=[], metavar="FILE", help="a file of links, one a line (# comments and blank lines skipped)")
    p.add_argument("--out", default=None, help="article folder (default: content/articles)")
    p.add_argument("--force", action="store_true", help="overwrite articles edited by hand")
    p.add_argument("--copied-at", metavar="WHEN", help="when the copied text was copied, like 2026-12-01T09:30 (a date, or a date-time "
                   "with or without a zone; default: each file's modification time, now for -): relative dates "
                   "('3 hours ago', 'yesterday') and dates without a year are read against it, and go to review")

    p = command("tag", _cmd_tag, "re-assign topics to articles and print what changed")
    p.add_argument("paths", nargs="*", metavar="PATH", help="articles (default: all of content/articles)")
    p.add_argument("--explain", metavar="PATH", help="show the evidence for each topic of one article")

    p = command("issue", _cmd_issue, "show an issue, close the one in progress, or write it as email")
    p.add_argument("week", nargs="?", metavar="WEEK", help="the issue's period, like 2026-W49 (2026-12 for monthly issues); "
                   "default: the latest closed issue, or with --close the one in progress")
    p.add_argument("--email", metavar="DIR", help="write issue.html, issue.txt and issue.eml into DIR")
    p.add_argument("--close", action="store_true", help="end the issue in progress now, so it can be sent and goes into the issues feed")
    base_url_option(p)

    p = command("send", _cmd_send, "send an issue by email through the SMTP server in config.yaml")
    p.add_argument("week", nargs="?", metavar="WEEK", help="the issue's period, like 2026-W49 (default: the latest closed issue)")
    p.add_argument("--to", nargs="+", required=True, metavar="ADDRESS", help="the readers to send it to")
    p.add_argument("--again", action="store_true", help="send also to addresses that already got this issue")
    base_url_option(p)

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
    except BrokenPipeError:
        # The reader of our output went away (`digest tag --explain x.md | head`): not a bug.
        # Point stdout at nothing so the interpreter's last flush does not complain either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except Exception:  # noqa: BLE001 (anything else is our bug: say so, with the traceback)
        traceback.print_exc()
        print("This is a bug in Labor Digest, not in your content: please report it with the lines above.", file=sys.stderr)
        return 2
