"""Small text helpers shared by stages: slugs, XML-safe text, words, plain text."""

from __future__ import annotations

import html
import re
import unicodedata

# Characters XML 1.0 forbids (and C1 controls, which no real text needs): removed
# from every input so that no page or feed can be made ill-formed by them.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_WORD = re.compile(r"\w+(?:['’]\w+)*")
_TAG = re.compile(r"<[^>]+>")
# A sentence ends at . ! ? … (or their CJK forms), optionally followed by a closing quote or bracket.
_SENTENCE_END = re.compile(r"(?:(?<=[.!?…。！？])|(?<=[.!?…。！？][\"'”’)]))\s+")


def xml_safe(text: str) -> str:
    return _FORBIDDEN.sub("", text)


# A slug becomes a file name (its article, a temporary file beside it) and a folder:
# file systems allow 255 bytes, and twelve Cyrillic or Greek words, or a Chinese
# headline without spaces, can pass that in UTF-8.
SLUG_MAX_BYTES = 150


def slugify(title: str, max_words: int = 12) -> str:
    """ASCII slug from a title; titles in other scripts keep their letters. At most SLUG_MAX_BYTES in UTF-8."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    if len(words) < 2 and re.search(r"[^\W\d_]", title) and not re.search(r"[A-Za-z]", title):
        words = re.findall(r"[^\W_]+", unicodedata.normalize("NFKC", title).lower())
    slug = "-".join(words[:max_words])
    if len(slug.encode("utf-8")) <= SLUG_MAX_BYTES:
        return slug
    cut = slug.encode("utf-8")[:SLUG_MAX_BYTES].decode("utf-8", errors="ignore")
    return cut.rsplit("-", 1)[0] if "-" in cut else cut


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


def html_to_text(fragment: str) -> str:
    """Visible text of an HTML fragment (our own sanitised output, so a regex suffices)."""
    return " ".join(html.unescape(_TAG.sub(" ", fragment)).split())  # split() splits where \s matches


def first_sentences(text: str, max_words: int = 60) -> str:
    """Up to three whole sentences, at most about max_words words (for summaries)."""
    sentences = _SENTENCE_END.split(text.strip())
    out: list[str] = []
    words = 0
    for sentence in sentences[:3]:
        n = count_words(sentence)
        if out and words + n > max_words:
            break
        out.append(sentence)
        words += n
    summary = " ".join(out)
    if count_words(summary) > max_words * 1.3:
        cut = summary.split()[:max_words]
        summary = " ".join(cut).rstrip(",;:") + "…"
    return summary


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_MARKS = re.compile(r"(\*\*|__|[*_`]|^#+\s*|^>\s?)", re.MULTILINE)


def markdown_to_text(block: str) -> str:
    """Rough plain text of a Markdown block, for deriving a summary without rendering."""
    text = _MD_LINK.sub(r"\1", block)
    text = _TAG.sub("", text)
    text = _MD_MARKS.sub("", text)
    return re.sub(r"\s+", " ", text).strip()
