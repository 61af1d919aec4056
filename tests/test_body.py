"""Article bodies: the Markdown shortcuts give exactly Python-Markdown's own output."""

from __future__ import annotations

import random
from pathlib import Path

import markdown
import pytest

from generator.body import _ForeignImages, extensions
from generator.markdown_shortcuts import PlainParagraphs, QuickInline

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT.parent / "shared" / "ingest-bench"

SAMPLES = [
    "Plain text with no marks at all, and “curly quotes” — dashes.",
    "Some *emphasis*, **strong**, ***both***, _under_, __strong__ and a * lone star and snake_case_word.",
    "Only _underscores_ here, __strong__ too, and snake_case.",
    "Only *stars* here, **strong** too.",
    "A [link](https://example.com \"title\"), an ![image](/a.png), a [ref][r] and [r].\n\n[r]: https://example.org",
    "Footnote here.[^1]\n\n[^1]: The note, with a [link](https://x.org).",
    "Autolinks <https://example.com> and <someone@example.com>, raw <span class=\"x\">html</span> & an &amp; entity &#169;.",
    "Code `a*b*c` and ``double ` tick`` and \\*escaped\\* \\[brackets\\].",
    "Line one with a break  \nline two\nline three.",
    "> A quote with *emphasis*\n> and [a link](https://x.org)\n\n- item *one*\n- item [two](https://x.org)\n\n1. first\n2. second",
    "| a | b |\n|---|---|\n| *x* | [y](https://y.org) |",
    "```\ncode *not emphasis* [not link](x)\n```\n\nAfter the fence.",
    "# Heading *with* marks\n\nText under it. <!-- a comment --> more.",
    "Mixed: a_b_c, 2*3*4, <3, a < b > c, AT&T, [not a link], ![not an image].",
    # Blocks a plain-paragraph shortcut must leave alone, or must see as Python-Markdown does.
    "<div>\n\nPlain inside a raw HTML block.\n\n</div>\n\nPlain after it.",
    "```\nfirst line\n\nPlain-looking line inside a fence.\n```",
    "Intro.\n\n    indented code\n\n    more code\n\nPlain after code.",
    "- tight item\nlazy continuation line\n- second\n\n- loose now\n\n    Indented paragraph in the item.\n\nPlain after the list.",
    "1. one\n2. two\n\nPlain after.\n\n3. three",
    "> quote\nlazy quote line\n\n“Quoted paragraph” after the quote.",
    "Setext heading\n==============\n\nAnd a paragraph.\n\nAnother\n---\n\n(Parenthetical paragraph.)",
    "* * *\n\nRule above.\n\n'Single-quoted start.'\n\n\"Double-quoted start.\"",
    "[r]: https://example.org\nLine right after a reference.\n\nUses [r].",
    "A paragraph ending with spaces   \n\nNext one.\n\n\tTabbed start.\n\n   Three-space start.",
    "Élan, Ünion and 工会 start paragraphs too.\n\nΑλφα.\n\n2024 was a year.\n\n3. is a list",
    "",
    "\n\n\n",
]

TOKENS = [
    "word", "Word", "“Quote”", "'tick", '"dq', "(paren", "*", "**", "_", "__", "`", "``", "[", "]", "(", ")",
    "![", "<", ">", "&", "&amp;", "&#169;", "\\", "#", "##", "1.", "2)", "-", "+", "|", "---", "===", "```",
    "~~~", "    ", "  \n", "\n", "\n\n", "\n\n\n", "<div>", "</div>", "<b>", "[^1]", "[^1]: note",
    "[r]: http://x.org", "[r]", "http://x.org", "<http://x.org>", "a@b.org", ":", "2024", "=", "\t", "é",
]


def stock_converter() -> markdown.Markdown:
    md = markdown.Markdown(extensions=["tables", "fenced_code", "footnotes", "sane_lists"], output_format="html")
    md.treeprocessors.register(_ForeignImages(md), "page_safe", 5)
    return md


def random_texts(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(TOKENS) + rng.choice(["", " ", " ", "\n"]) for _ in range(rng.randint(1, 40))) for _ in range(count)]


def corpus_bodies() -> list[str]:
    seeds = sorted((ROOT / "content" / "articles").glob("*.md"))
    bodies = [p.read_text(encoding="utf-8").split("\n---\n", 1)[-1] for p in seeds]
    if BENCH.is_dir():  # real pages from many outlets, when the shared bench is beside the repository
        bodies += [p.read_text(encoding="utf-8", errors="replace") for p in sorted(BENCH.rglob("*")) if p.is_file()][:400]
    return bodies


def test_the_shortcuts_are_on() -> None:
    """Every block processor and inline pattern is one the shortcuts know; else they turn off (slow, not wrong)."""
    md = markdown.Markdown(extensions=extensions(), output_format="html")
    md.convert("x")
    plain = md.parser.blockprocessors["plain_paragraph"]
    inline = md.treeprocessors["inline"]
    assert isinstance(plain, PlainParagraphs) and plain.enabled
    assert isinstance(inline, QuickInline) and inline._any is not None
    assert [triggers for _pattern, triggers, _reference in inline._plan].count(None) == 0
    assert sum(reference for _pattern, _triggers, reference in inline._plan) == 4


@pytest.mark.parametrize("text", SAMPLES + corpus_bodies())
def test_output_equals_python_markdowns(text: str) -> None:
    ours = markdown.Markdown(extensions=extensions(), output_format="html")
    assert ours.convert(text) == stock_converter().convert(text)


def test_output_equals_python_markdowns_on_random_markup() -> None:
    ours, stock = markdown.Markdown(extensions=extensions(), output_format="html"), stock_converter()
    for text in random_texts(3000):
        assert ours.reset().convert(text) == stock.reset().convert(text), text
