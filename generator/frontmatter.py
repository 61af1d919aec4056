"""Split a Markdown file into YAML front matter and body, and write one back.

Timestamps are kept as strings by the loader so that `load` can check them and
say what is wrong with an impossible date instead of failing inside PyYAML.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem
from .text import xml_safe

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _DuplicateKey(yaml.constructor.ConstructorError):
    def __init__(self, key: Any, first_line: int, mark: Any):
        super().__init__(None, None, f"duplicate key '{key}'", mark)
        self.key, self.first_line = key, first_line


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        """PyYAML lets a second 'tags:' silently replace the first; here it is a mistake to report."""
        seen: dict[Any, int] = {}
        for key_node, _value in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                key = key_node.value
                if key in seen:
                    raise _DuplicateKey(key, seen[key], key_node.start_mark)
                seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)


def _timestamp_as_text(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    return loader.construct_scalar(node)  # type: ignore[arg-type]


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)

FENCE = re.compile(r"^---[ \t]*\r?$", re.MULTILINE)

# The key order ingest writes, and the closed set of keys an article may have.
KEY_ORDER = (
    "title",
    "dek",
    "authors",
    "date",
    "updated",
    "publication",
    "section",
    "source_url",
    "summary",
    "tags",
    "tags_auto",
    "tags_manual",
    "slug",
    "draft",
    "republish",
    "id",
    "added",
    "review",
    "source_file",
    "source_hash",
    "ingest_hash",
)


def _xml_safe_values(value: Any) -> Any:
    """YAML escapes ("\\x01", "\\uFFFE") decode to characters XML forbids: remove them here too."""
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, dict):
        return {(xml_safe(k) if isinstance(k, str) else k): _xml_safe_values(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_xml_safe_values(v) for v in value]
    return value


def load_yaml(text: str, path: str, line_offset: int = 0) -> tuple[Any, list[Problem]]:
    """Parse YAML; a syntax error becomes a Problem with the file's line and column."""
    try:
        return _xml_safe_values(yaml.load(text, Loader=_Loader)), []
    except yaml.reader.ReaderError as exc:
        # A control character: PyYAML reports its offset, not its line.
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        msg = f"YAML syntax error: character #x{exc.character:04x} is not allowed: delete it (it is invisible in most editors)"
        return None, [Problem(path, line + line_offset, msg, column)]
    except _DuplicateKey as exc:
        msg = f"'{exc.key}' is given twice (also on line {exc.first_line + 1 + line_offset}): keep one"
        return None, [Problem(path, exc.problem_mark.line + 1 + line_offset, msg, exc.problem_mark.column + 1)]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        hint = _quote_hint(text, mark)
        msg = f"YAML syntax error: {hint}" if hint else (
            f"YAML syntax error: {problem}; check the indentation, and quote values that contain ': ' or start with a special character"
        )
        if mark is None:
            return None, [Problem(path, None, msg)]
        return None, [Problem(path, mark.line + 1 + line_offset, msg, mark.column + 1)]


def _quote_hint(text: str, mark: Any) -> str | None:
    """The usual mistake, named: an unquoted value holding ': ' (a headline such as 'Nurses: the strike')."""
    lines = text.splitlines()
    line = lines[mark.line] if mark is not None and mark.line < len(lines) else ""
    pair = re.match(r"^(\s*(?:-\s+)?[\w-]+):\s+(.*?)\s*$", line)
    if pair and ": " in pair.group(2) and not pair.group(2).startswith(("'", '"', "[", "{")):
        quoted = '"' + pair.group(2).replace("\\", "\\\\").replace('"', '\\"') + '"'
        return f"a value that holds ': ' must be in quotes, like {pair.group(1).strip()}: {quoted}"
    return None


def split(text: str, path: str) -> tuple[dict[str, Any], str, int, list[Problem]]:
    """Return (front matter, body, line where the body starts, problems)."""
    text = text.removeprefix("\ufeff")
    first = text.split("\n", 1)[0].rstrip("\r")
    if first.strip() != "---":
        return {}, text, 1, [Problem(path, 1, "no front matter: start the file with a line '---', then 'title: ...', then another '---'")]
    closing = FENCE.search(text, len(first) + 1)
    if not closing:
        return {}, text, 1, [Problem(path, 1, "front matter is not closed: add a line '---' after the last key")]
    yaml_text = text[len(first) + 1 : closing.start()]
    body = text[closing.end() :].lstrip("\r\n")
    body_line = text.count("\n", 0, closing.end()) + 2
    data, problems = load_yaml(yaml_text, path, line_offset=1)
    if problems:
        return {}, body, body_line, problems
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return {}, body, body_line, [Problem(path, 2, "front matter must be a set of 'key: value' lines")]
    return data, body, body_line, []


def key_line(text: str, key: str) -> int | None:
    """The line a top-level key stands on, for messages (computed only on error)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(rf"{re.escape(str(key))}\s*:", line):
            return number
        if number > 1 and line.strip() == "---":
            break
    return None


def dump(front_matter: dict[str, Any], body: str) -> str:
    """Front matter from a dict with safe_dump (never by string formatting), known keys first."""
    ordered = {k: front_matter[k] for k in KEY_ORDER if k in front_matter}
    ordered.update({k: v for k, v in front_matter.items() if k not in ordered})
    head = yaml.safe_dump(ordered, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
    return f"---\n{head}---\n\n{body.strip()}\n"


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def fingerprint(front_matter: dict[str, Any], body: str) -> str:
    """A hash of an article's content, `ingest_hash` excluded.

    Ingest stores it when it writes a file; a file whose fingerprint no longer
    matches was edited by hand and is never overwritten without --force.
    """
    data = {k: v for k, v in front_matter.items() if k != "ingest_hash"}
    canonical = json.dumps(_plain(data), sort_keys=True, ensure_ascii=False) + "\n" + body.strip()
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write an article file (or a saved page's bytes) through a temporary file and a rename: never half-written.

    Line endings are written as they are in `text`, and an existing file keeps its
    permissions.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text if isinstance(text, bytes) else text.encode("utf-8"))
        try:
            os.chmod(tmp, path.stat().st_mode & 0o777)
        except OSError:
            pass  # a new file keeps mkstemp's private mode
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
