"""Reading what an editor gives ingest: links, files, folders and standard input."""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# A copied page is rarely over 1 MB; anything past this is the wrong file
# (an export, a log, a video) and would only stall the extractor.
MAX_BYTES = 5 * 1024 * 1024
# A saved page ("complete", with its inline scripts and styles) or a fetched one.
MAX_HTML_BYTES = 10 * 1024 * 1024
STDIN = "-"
STDIN_LABEL = "<stdin>"
HTML_SUFFIXES = (".html", ".htm")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


@dataclass(frozen=True)
class Link:
    """A page to fetch."""

    url: str


class InputError(Exception):
    """A source that cannot be ingested; the message says what is wrong with it."""


def decode(raw: bytes) -> str:
    """Text of a saved page: UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252/latin-1.

    Windows editors still save cp1252; decoding it as latin-1 would turn curly
    quotes into control characters, so cp1252 comes first and latin-1 only for
    the five bytes cp1252 leaves undefined. A UTF-8 copy with a few broken bytes
    (a paste cut mid-character, a stray byte) stays UTF-8, each broken byte a
    U+FFFD the editor can see: read as cp1252, every other accent and quote on
    the page would turn to mojibake. A stray NUL does not make a page binary;
    NULs in numbers do (UTF-16 without its BOM, an image, an archive).
    """
    if not raw.strip():
        raise InputError("is empty: copy the page's text into it (select all, copy, paste) and save")
    if raw.startswith(b"\xef\xbb\xbf"):
        return _checked(raw[3:].decode("utf-8", errors="replace"))
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _checked(raw.decode("utf-16"))
        except UnicodeDecodeError:
            raise InputError("starts like UTF-16 text but is not valid UTF-16: save it again as UTF-8") from None
    head = raw[:65536]
    if head.count(b"\x00") > max(2, len(head) // 100):
        raise InputError("is a binary file, not text: save the copied page as plain text (.txt)")
    try:
        return _checked(raw.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(raw):
        return _checked(raw.decode("utf-8", errors="replace"))
    text = "".join(
        chunk.decode("cp1252", errors="strict") if ok else chunk.decode("latin-1")
        for ok, chunk in _cp1252_chunks(raw)
    )
    return _checked(text)


def _mostly_utf8(raw: bytes) -> bool:
    """Whether bytes that are not all valid UTF-8 are UTF-8 with a few broken sequences.

    cp1252 text practically never forms a valid multi-byte UTF-8 sequence (an
    accented capital followed by a symbol), so valid sequences outnumbering the
    broken ones is UTF-8.
    """
    text = raw.decode("utf-8", errors="replace")
    replaced = text.count("\ufffd")
    broken = replaced - raw.count("\ufffd".encode("utf-8"))
    return len(text) - len(text.encode("ascii", errors="ignore")) - replaced > broken


def _cp1252_chunks(raw: bytes) -> typing.Iterator[tuple[bool, bytes]]:
    undefined = {0x81, 0x8D, 0x8F, 0x90, 0x9D}
    start = 0
    for i, byte in enumerate(raw):
        if byte in undefined:
            if i > start:
                yield True, raw[start:i]
            yield False, raw[i : i + 1]
            start = i + 1
    if start < len(raw):
        yield True, raw[start:]


def _checked(text: str) -> str:
    """Reject decoded text that is mostly control characters: a binary file in disguise."""
    sample = text[:65536]
    control = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f") or 0x7F <= ord(ch) < 0xA0)
    if sample and control / len(sample) > 0.02:
        raise InputError("is a binary file, not text: save the copied page as plain text (.txt)")
    if not text.strip():
        raise InputError("is empty: copy the page's text into it (select all, copy, paste) and save")
    return text


def read_stdin(stdin: typing.TextIO | typing.BinaryIO | bytes | str | None) -> bytes:
    if stdin is None:
        return b""
    if isinstance(stdin, bytes):
        return stdin
    if isinstance(stdin, str):
        return stdin.encode("utf-8")
    data = stdin.read(MAX_HTML_BYTES + 1)
    return data.encode("utf-8") if isinstance(data, str) else data


def read_file(path: Path) -> bytes:
    html = path.suffix.lower() in HTML_SUFFIXES
    limit = MAX_HTML_BYTES if html else MAX_BYTES
    size = path.stat().st_size
    if size > limit:
        raise InputError(
            f"is {size / 1024 / 1024:.1f} MB, over the {limit // 1024 // 1024} MB limit for a {'saved' if html else 'copied'} page: "
            "check it is the right file"
        )
    return path.read_bytes()


def read_link_list(given: str) -> list[tuple[str, Link | InputError]]:
    """The links in a --urls file, one a line; blank lines and # comments are skipped.

    A line that is not a link fails alone, named by file and line.
    """
    try:
        text = Path(given).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return [(given, InputError("does not exist: check the path of the list of links"))]
    except (OSError, UnicodeDecodeError) as exc:
        return [(given, InputError(f"cannot be read as a list of links: {getattr(exc, 'strerror', None) or exc}"))]
    found: list[tuple[str, Link | InputError]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        link = line.strip()
        if not link or link.startswith("#"):
            continue
        if link.lower().startswith(("http://", "https://")):
            found.append((link, Link(link)))
        else:
            found.append((f"{given}:{number}", InputError(f"'{link[:80]}' is not a link: write one http:// or https:// address a line")))
    if not found:
        found.append((given, InputError("has no links in it (one http:// or https:// address a line)")))
    return found


def expand(paths: list[str], link_lists: list[str] = ()) -> list[tuple[str, Path | Link | InputError | None]]:
    """Each PATH as (label, source): a link, a file, a folder's .txt and .html files, "-" standard input."""
    sources: list[Any] = []
    for given in paths:
        if given == STDIN:
            sources.append((STDIN, None))
            continue
        if given.lower().startswith(("http://", "https://")):
            sources.append((given, Link(given)))
            continue
        if _SCHEME.match(given):
            sources.append((given, InputError("is not an http or https link: only web pages can be fetched")))
            continue
        path = Path(given)
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.suffix.lower() in (".txt", *HTML_SUFFIXES) and p.is_file())
            if not files:
                sources.append((given, InputError("is a folder with no .txt or .html files in it")))
            sources.extend((str(p), p) for p in files)
        elif path.is_file():
            sources.append((given, path))
        elif path.exists():
            sources.append((given, InputError("is not a file or a folder")))
        else:
            sources.append((given, InputError("does not exist: check the path")))
    for given in link_lists:
        sources.extend(read_link_list(given))
    return sources
