"""`digest tag`: re-assign topics to existing articles, and explain one article's topics.

Three front matter keys (docs/topics.md):
  tags         the published topics; the only one an editor edits
  tags_auto    what the tagger proposed when it last wrote `tags`
  tags_manual  the editor's decisions, kept for good: "+pay" (added by hand),
               "-surveillance" (removed by hand)

A difference between `tags` and `tags_auto` is an edit the editor made since the
last write; it is recorded in `tags_manual` before anything else happens, so it
survives any number of retags with any signals. Then

    tags = (proposed topics - removed by hand) + added by hand

Files are edited surgically: only the lines of those three keys (and `ingest_hash`,
when the file was untouched since ingest) change; comments, key order, quoting
and the body stay exactly as they were.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .frontmatter import FENCE, KEY_ORDER, fingerprint, split, write_atomic
from .load import list_article_files
from .model import Config
from .topics import HEAD_MIN, LEAD_WORDS, PARAGRAPH_MIN, SIDE_SHARE, SPREAD, assign_topics, explain_article

TAG_KEYS = ("tags", "tags_auto", "tags_manual")


@dataclass(frozen=True)
class RetagResult:
    path: Path
    before: tuple[str, ...]  # published topics before
    after: tuple[str, ...]  # and after (equal when nothing changed or the file was skipped)
    message: str = ""


@dataclass(frozen=True)
class Decisions:
    """An article's topic state, read from its front matter."""

    tags: tuple[str, ...]
    auto: tuple[str, ...]
    added: tuple[str, ...]  # by hand, kept whatever the signals say
    removed: tuple[str, ...]  # by hand, never proposed again
    added_now: tuple[str, ...] = ()  # edits since the last write, not yet in tags_manual
    removed_now: tuple[str, ...] = ()


def _slugs(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return ()
    return tuple(dict.fromkeys(str(v).strip() for v in value if str(v).strip()))


def read_decisions(front_matter: dict[str, Any]) -> Decisions:
    """What the editor decided, including edits to `tags` not yet recorded in `tags_manual`.

    The last write published (tags_auto - removed) + added; any difference between that and
    `tags` now is the editor's doing. (A file the generator never tagged has neither key,
    so every topic in its `tags` was chosen by hand.)
    """
    tags = _slugs(front_matter.get("tags"))
    auto = _slugs(front_matter.get("tags_auto"))
    stored_added: list[str] = []
    stored_removed: list[str] = []
    for entry in _slugs(front_matter.get("tags_manual")):
        if entry.startswith("-"):
            stored_removed.append(entry[1:].strip())
        else:
            stored_added.append(entry.lstrip("+").strip())
    expected = [t for t in auto if t not in stored_removed] + [t for t in stored_added if t not in auto]
    added_now = tuple(t for t in tags if t not in expected)
    removed_now = tuple(t for t in expected if t not in tags)
    added = [t for t in stored_added if t not in removed_now] + list(added_now)
    removed = [t for t in stored_removed if t not in added_now] + list(removed_now)
    return Decisions(tags, auto, tuple(dict.fromkeys(added)), tuple(dict.fromkeys(removed)), added_now, removed_now)


def published_topics(proposed: tuple[str, ...], decisions: Decisions, config: Config) -> tuple[str, ...]:
    """(proposed - removed by hand) + added by hand, in config order; unknown slugs last."""
    chosen = {t for t in proposed if t not in decisions.removed} | set(decisions.added)
    known = [t.slug for t in config.topics if t.slug in chosen]
    return tuple(known + [t for t in decisions.added if t not in known])


def tag_fields(proposed: tuple[str, ...], front_matter: dict[str, Any], config: Config) -> dict[str, list[str]]:
    """The values of tags, tags_auto and tags_manual for an article whose signals now propose
    `proposed`, keeping the editor's decisions in `front_matter` (an existing file's, or {}).
    For ingest when it overwrites an article: pass the old front matter."""
    return decided_fields(proposed, read_decisions(front_matter), config)


def decided_fields(proposed: tuple[str, ...], decisions: Decisions, config: Config) -> dict[str, list[str]]:
    """tag_fields, for decisions already read."""
    return {
        "tags": list(published_topics(proposed, decisions, config)),
        "tags_auto": list(proposed),
        "tags_manual": manual_entries(decisions, config),
    }


def manual_entries(decisions: Decisions, config: Config) -> list[str]:
    order = {t.slug: n for n, t in enumerate(config.topics)}
    added = sorted(decisions.added, key=lambda t: (order.get(t, len(order)), t))
    removed = sorted(decisions.removed, key=lambda t: (order.get(t, len(order)), t))
    return [f"+{t}" for t in added] + [f"-{t}" for t in removed]


# --------------------------------------------------------------------------- surgical edit


def _value_lines(key: str, value: list[str], *, flow: bool, indent: str, comment: str, newline: str) -> list[str]:
    if flow or not value:
        text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10**6).strip()
        return [f"{key}: {text}{comment}{newline}"]
    items = yaml.safe_dump(value, default_flow_style=False, allow_unicode=True, width=10**6).splitlines()
    return [f"{key}:{comment}{newline}"] + [f"{indent}{item}{newline}" for item in items]


def _block(lines: list[str], start: int, end: int, key: str) -> int | None:
    """The line where top-level `key` starts, between start and end (the closing fence)."""
    pattern = re.compile(rf"^{re.escape(key)}[ \t]*:")
    for number in range(start, end):
        if pattern.match(lines[number]):
            return number
    return None


def _block_end(lines: list[str], first: int, end: int) -> int:
    """One past the last line of the value that starts on line `first`."""
    number = first + 1
    while number < end:
        line = lines[number]
        if line.strip() and (line[0] in " \t" or line.startswith("- ") or line.rstrip("\r\n") == "-"):
            number += 1
        else:
            break
    return number


def edit_front_matter(text: str, values: dict[str, list[str] | None]) -> str:
    """Replace only the given keys' lines; None removes a key, a missing key is inserted
    after the other tag keys (or where KEY_ORDER puts it). Everything else stays byte for byte."""
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    lines = text[len(bom):].splitlines(keepends=True)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    closing = next((n for n in range(1, len(lines)) if FENCE.match(lines[n].rstrip("\n"))), None)
    if not lines or lines[0].strip() != "---" or closing is None:
        raise ValueError("no front matter")
    anchor: int | None = None
    style_indent = ""  # a new key's list is indented like the tag key already there
    for key, value in values.items():
        first = _block(lines, 1, closing, key)
        if first is not None:
            last = _block_end(lines, first, closing)
            old = lines[first:last]
            head = old[0].rstrip("\r\n")
            after_colon = head.split(":", 1)[1]
            comment = ""
            hash_at = after_colon.find(" #")
            if hash_at >= 0:
                comment = "  " + after_colon[hash_at:].strip()
                after_colon = after_colon[:hash_at]
            flow = after_colon.strip().startswith("[")
            indent = re.match(r"[ \t]*", old[1]).group() if len(old) > 1 else style_indent
            style_indent = indent
            new = [] if value is None else _value_lines(key, value, flow=flow, indent=indent, comment=comment, newline=newline)
            lines[first:last] = new
            closing += len(new) - len(old)
            anchor = first + len(new)
        elif value is not None:
            if anchor is None:
                later = [k for k in KEY_ORDER[KEY_ORDER.index(key) + 1 :] if k not in values]
                places = [n for k in later if (n := _block(lines, 1, closing, k)) is not None]
                anchor = min(places) if places else closing
            new = _value_lines(key, value, flow=False, indent=style_indent, comment="", newline=newline)
            lines[anchor:anchor] = new
            closing += len(new)
            anchor += len(new)
    return bom + "".join(lines)


def _replace_line(text: str, key: str, value: str) -> str:
    pattern = re.compile(rf"^({re.escape(key)}[ \t]*:[ \t]*)\S+(.*?)$", re.MULTILINE)
    return pattern.sub(lambda m: f"{m.group(1)}{value}{m.group(2)}", text, count=1)


# --------------------------------------------------------------------------- commands


def _article_paths(paths: list[Path] | None, config: Config) -> list[Path]:
    if not paths:
        return [Path(path) for _rel, path in list_article_files(config)]
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*.md") if not p.name.startswith(".")))
        else:
            out.append(path)
    return out


def _universal(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def retag_file(path: Path, config: Config) -> RetagResult:
    """Re-assign one article's topics, keeping the editor's decisions; write only on change."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            text = handle.read()  # line endings as they are, to write them back so
    except (OSError, UnicodeDecodeError) as exc:
        return RetagResult(path, (), (), f"skipped: cannot be read ({getattr(exc, 'strerror', None) or exc})")
    # Parsed (and fingerprinted) the way every other reader sees it: universal newlines.
    data, body, _line, problems = split(_universal(text), str(path))
    if problems:
        return RetagResult(path, (), (), f"skipped: {problems[0].message}")
    for key in TAG_KEYS:
        value = data.get(key)
        if value is not None and not isinstance(value, (list, str)):
            return RetagResult(path, (), (), f"skipped: '{key}' must be a list of topic slugs")
    decisions = read_decisions(data)
    proposed = assign_topics(*_title_dek(data), body, config)
    fields = decided_fields(proposed, decisions, config)
    tags = fields["tags"]
    # None: the key is absent. An empty `tags:` an editor wrote stays; the other two go when empty.
    wanted: dict[str, list[str] | None] = {
        "tags": tags if tags or "tags" in data else None,
        "tags_auto": fields["tags_auto"] or None,
        "tags_manual": fields["tags_manual"] or None,
    }
    current = {key: list(_slugs(data[key])) if key in data else None for key in TAG_KEYS}
    notes = []
    if decisions.added_now:
        notes.append("kept as added by hand: " + ", ".join(decisions.added_now))
    if decisions.removed_now:
        notes.append("kept as removed by hand: " + ", ".join(decisions.removed_now))
    message = "; ".join(notes)
    changes = {key: value for key, value in wanted.items() if value != current[key]}
    if not changes:
        return RetagResult(path, decisions.tags, decisions.tags, message)
    try:
        new_text = edit_front_matter(text, changes)
    except ValueError:
        return RetagResult(path, decisions.tags, decisions.tags, "skipped: the front matter could not be edited; edit 'tags:' by hand")
    new_data, new_body, _line, new_problems = split(_universal(new_text), str(path))
    if new_problems or new_body != body or any(
        (list(_slugs(new_data[k])) if k in new_data else None) != wanted[k] for k in TAG_KEYS
    ):
        return RetagResult(path, decisions.tags, decisions.tags, "skipped: the front matter could not be edited safely; edit 'tags:' by hand")
    stored = data.get("ingest_hash")
    if isinstance(stored, str) and stored == fingerprint(data, body):
        # Untouched since ingest: keep it recognisable as such for the next ingest.
        new_text = _replace_line(new_text, "ingest_hash", fingerprint(new_data, new_body))
    write_atomic(path, new_text)
    return RetagResult(path, decisions.tags, tuple(tags), message)


def retag_paths(paths: list[Path] | None, config: Config) -> list[RetagResult]:
    """`digest tag [PATH...]`: every article (default: content/articles), one result each."""
    return [retag_file(path, config) for path in _article_paths(paths, config)]


def _title_dek(data: dict[str, Any]) -> tuple[str, str | None]:
    return str(data.get("title") or ""), str(data["dek"]) if data.get("dek") else None


def explain_path(path: Path, config: Config) -> str:
    """`digest tag --explain PATH`: per topic, the evidence, where it was, and the score against the threshold."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return f"{path}: cannot be read ({getattr(exc, 'strerror', None) or exc})"
    data, body, _line, problems = split(text, str(path))
    if problems:
        return "\n".join(f"{p}" for p in problems)
    ex = explain_article(*_title_dek(data), body, config)
    decisions = read_decisions(data)
    proposed = tuple(e.slug for e in ex.topics if e.assigned)
    published = published_topics(proposed, decisions, config)
    t = config.tagging
    out = [
        f"{path}",
        f"  published (tags): {', '.join(decisions.tags) or '(none)'}",
        f"  after 'digest tag': {', '.join(published) or '(none)'}",
        f"  the signals propose: {', '.join(proposed) or '(none)'}",
    ]
    if decisions.added or decisions.removed:
        parts = [f"added {', '.join(decisions.added)}"] if decisions.added else []
        parts += [f"removed {', '.join(decisions.removed)}"] if decisions.removed else []
        out.append(f"  by hand (kept whatever the signals say): {'; '.join(parts)}")
    out.append(
        f"  scoring: threshold {t.threshold:g}; a match counts its weight x {t.title_weight:g} in the title, "
        f"x {t.dek_weight:g} in the dek, x 1 in the opening (the body up to {LEAD_WORDS} words), x {ex.body_scale:g} "
        f"after it ({ex.body_words} words; full weight up to 400); each repeat of a phrase counts half the one before"
    )
    out.append(
        f"  a topic the story is about: evidence worth {HEAD_MIN:g} in the headline, dek or opening, or phrases worth "
        f"{PARAGRAPH_MIN:g} in {SPREAD:.0%} of the paragraphs (at least 2) and {SIDE_SHARE:.0%} of the strongest topic's score; "
        "less is a mention"
    )
    work = ex.work
    verdict = "about work" if work.assigned else (work.note or "NOT about work") + ": no topics are assigned"
    words = ", ".join(dict.fromkeys(f"{m.phrase} ({m.field})" for m in work.matches[:8]))
    out.append(f"  work context: {work.score:g} (needs {work.threshold:g}), {verdict}{'; ' + words if words else ''}")
    out.append("")
    silent = []
    for e in sorted(ex.topics, key=lambda e: (-e.score, e.slug)):
        if not e.matches:
            silent.append(e.slug)
            continue
        if e.assigned:
            verdict = f">= {e.threshold:g}: assigned"
        elif e.note:
            verdict = f">= {e.threshold:g} but not assigned: {e.note}"
        else:
            verdict = f"< {e.threshold:g}: not assigned"
        hand = " (added by hand)" if e.slug in decisions.added else " (removed by hand)" if e.slug in decisions.removed else ""
        out.append(f"{e.slug}: score {e.score:g} {verdict}{hand}")
        if e.boundary:
            out.append(f"  boundary: {e.boundary}")
        width = max(len(m.phrase) for m in e.matches)
        for m in e.matches:
            out.append(f"  {m.field:<5} {m.phrase:<{width}}  {m.value:+6.2f}  {m.context}")
    if silent:
        out.append(f"no evidence: {', '.join(silent)}")
    for slug in decisions.added:
        if slug not in {e.slug for e in ex.topics}:
            out.append(f"{slug}: added by hand (not a topic in config.yaml)")
    return "\n".join(out)

