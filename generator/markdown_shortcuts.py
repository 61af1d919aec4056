"""Python-Markdown with two shortcuts that skip work which cannot change its output.

Rendering Markdown is most of a cold build's time, and most of a news story is
plain paragraphs: one line of prose with no Markdown in it. For those,
Python-Markdown tries every block processor in turn and then every inline
pattern, to find nothing. The shortcuts find nothing sooner:

- `PlainParagraphs`, a block processor tried first, takes a one-line block that
  starts with a letter or an opening quote and makes it a paragraph, exactly as
  Python-Markdown's own paragraph processor would. No other block processor can
  take such a block: each needs its block to start with a space, a digit, or one
  of # > * - + _ [ |, or to hold a second line.
- `QuickInline`, Python-Markdown's inline processor, skips an inline pattern when
  the text holds none of the characters the pattern needs to match (a link needs
  "[", emphasis "*" or "_"), and skips the whole text when it holds none of them.
  In a document that defines no link references ("[id]: url"), it also skips the
  four reference patterns, which can only match a defined one.

Both check, when a converter is set up, that its block processors and inline
patterns are the ones they know; anything else (another extension, another
version of Python-Markdown) turns the shortcut off for that converter, so the
worst case is the stock speed, never different output. tests/test_body.py
compares the output with stock Python-Markdown's on many texts.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import Any

import markdown
from markdown import inlinepatterns, util
from markdown.blockprocessors import BlockProcessor
from markdown.treeprocessors import InlineProcessor

# Python-Markdown's block processors (with the tables and footnotes extensions), none of
# which can take a one-line block that starts with a letter or an opening quote.
KNOWN_BLOCK_PROCESSORS = frozenset({
    "empty", "indent", "code", "table", "hashheader", "setextheader", "hr", "olist", "ulist",
    "quote", "footnote", "reference", "paragraph",
})

# What each inline pattern needs in the text for its regular expression to match at
# all, by the expression's source (as in Python-Markdown 3.x and its footnotes
# extension). A pattern whose expression is not listed here is always tried.
PATTERN_TRIGGERS: dict[str, tuple[str, ...]] = {
    r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)": ("`",),  # code
    r"\\(.)": ("\\",),  # backslash escape
    r"\[\^([^\]]*)\]": ("[^",),  # footnote reference
    r"(?<!\!)\[": ("[",),  # link, reference
    r"\!\[": ("![",),  # image
    r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>": ("<",),  # autolink
    r"<([^<> !]+@[^@<> ]+)>": ("<",),  # automail
    r"  \n": ("  \n",),  # line break
    r"(&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)": ("&",),  # entity
    r"""(<(\/?+[a-zA-Z][^\s"'<>@]*+(?:\s+[^\s"'=<>]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s"'=<>]++))?+)*+\s*+/?|!--(?:(?!<!--|-->).)*--|[?](?:(?!<[?]|[?]>).)*[?]|!\[CDATA\[(?:(?!<!\[CDATA\[|\]\]>).)*\]\])>)""": ("<",),  # inline HTML
    r"\*|_": ("*", "_"),  # emphasis and strong (3.11)
    r"\*": ("*",),  # emphasis and strong (before 3.11)
    r"_": ("_",),
}

# Patterns that match only a reference the document defines ("[text][id]", "[id]", and
# the same for images): with none defined, a match leaves the text as it was.
REFERENCE_PATTERNS = frozenset({
    inlinepatterns.ReferenceInlineProcessor, inlinepatterns.ShortReferenceInlineProcessor,
    inlinepatterns.ImageReferenceInlineProcessor, inlinepatterns.ShortImageReferenceInlineProcessor,
})

_PLAIN_START = re.compile(r"""[^\W\d_]|["'“‘(]""")


class PlainParagraphs(BlockProcessor):
    """Takes a one-line block that starts with a letter or an opening quote: a paragraph, and only that."""

    def __init__(self, parser, enabled: bool):
        super().__init__(parser)
        self.enabled = enabled

    def test(self, parent: etree.Element, block: str) -> bool:
        return (
            self.enabled
            and "\n" not in block
            and _PLAIN_START.match(block) is not None
            and not self.parser.state.isstate("list")  # a tight list item's text is not a paragraph
        )

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        # What ParagraphProcessor does with a block outside a tight list.
        etree.SubElement(parent, "p").text = blocks.pop(0).lstrip()


class QuickInline(InlineProcessor):
    """Python-Markdown's inline processor, skipping patterns whose trigger characters are absent."""

    def __init__(self, md: markdown.Markdown):
        super().__init__(md)
        self._plan: list[tuple[Any, tuple[str, ...] | None, bool]] | None = None
        self._any: re.Pattern[str] | None = None
        self._no_references = False

    def run(self, tree: etree.Element, ancestors: list[str] | None = None) -> etree.Element:
        self._no_references = not self.md.references  # the block parser has found them all by now
        return super().run(tree, ancestors)

    def _make_plan(self) -> None:
        # Made on first use: extensions register their patterns after this processor.
        self._plan = [(pattern, PATTERN_TRIGGERS.get(getattr(pattern, "pattern", None)), type(pattern) in REFERENCE_PATTERNS)
                      for pattern in self.inlinePatterns]
        needs = [triggers for _pattern, triggers, _reference in self._plan]
        # With every pattern known, a text holding no trigger at all is left as it is.
        if None in needs:
            self._any = None
        else:
            self._any = re.compile("|".join(re.escape(t) for t in sorted({t for ts in needs for t in ts})))

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if isinstance(data, util.AtomicString):
            return data
        if self._plan is None or len(self._plan) != len(self.inlinePatterns):
            self._make_plan()
        if self._any is not None and self._any.search(data) is None:
            return data
        plan = self._plan
        apply = self._InlineProcessor__applyPattern
        startIndex = 0
        count = len(plan)
        while patternIndex < count:
            pattern, triggers, reference = plan[patternIndex]
            if (reference and self._no_references) or (triggers is not None and not any(t in data for t in triggers)):
                # What a pattern that does not match gives: the next pattern, from the start.
                patternIndex, startIndex = patternIndex + 1, 0
                continue
            data, matched, startIndex = apply(pattern, data, patternIndex, startIndex)
            if not matched:
                patternIndex += 1
        return data


class Shortcuts(markdown.Extension):
    """Registers both shortcuts; list it last, after the extensions whose parts it checks."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(QuickInline(md), "inline", 20)  # replaces the stock one, same priority
        known = {p.name for p in md.parser.blockprocessors._priority} <= KNOWN_BLOCK_PROCESSORS
        md.parser.blockprocessors.register(PlainParagraphs(md.parser, known), "plain_paragraph", 1000)
