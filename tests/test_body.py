"""Article bodies: the quick inline processor gives exactly Python-Markdown's own output."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest

from generator.body import _EXTENSIONS, _ForeignImages

ROOT = Path(__file__).resolve().parents[1]

SAMPLES = [
    "Plain text with no marks at all, and “curly quotes” — dashes.",
    "Some *emphasis*, **strong**, ***both***, _under_, __strong__ and a * lone star and snake_case_word.",
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
]


def stock_converter() -> markdown.Markdown:
    md = markdown.Markdown(extensions=["tables", "fenced_code", "footnotes", "sane_lists"], output_format="html")
    md.treeprocessors.register(_ForeignImages(md), "page_safe", 5)
    return md


def bodies() -> list[str]:
    seeds = sorted((ROOT / "content" / "articles").glob("*.md"))
    return SAMPLES + [p.read_text(encoding="utf-8").split("\n---\n", 1)[-1] for p in seeds]


@pytest.mark.parametrize("text", bodies())
def test_quick_inline_output_equals_python_markdowns(text: str) -> None:
    ours = markdown.Markdown(extensions=_EXTENSIONS, output_format="html")
    assert ours.convert(text) == stock_converter().convert(text)
