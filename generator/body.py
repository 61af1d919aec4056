"""An article's body: Markdown to sanitised HTML, cut to what the site may republish.

Scraped text is hostile: raw HTML in Markdown goes through nh3 (the Ammonia
sanitiser) with an allow-list, so no script, event handler or javascript: link
survives, and images from other hosts become links so no page loads anything
from outside the site.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from html import escape
from urllib.parse import urlsplit

import markdown
import nh3
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension
from markdown.treeprocessors import Treeprocessor

from .markdown_shortcuts import Shortcuts
from .model import Article, Config, RenderedArticle
from .text import count_words, xml_safe

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details",
    "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small",
    "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "time", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
    "ol": {"start"},
    "li": {"id"},
    "sup": {"id"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def _is_external(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.scheme or parts.netloc)


class _PageSafe(markdown.Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_ForeignImages(md), "page_safe", 5)


_HEADING = re.compile(r"h[1-6]")


class _ForeignImages(Treeprocessor):
    """Headings start at h2 (the page's title is the only h1); foreign images become links."""

    def run(self, root: etree.Element) -> None:
        levels = [int(el.tag[1]) for el in root.iter() if _HEADING.fullmatch(el.tag)]
        shift = max(0, 2 - min(levels)) if levels else 0
        parents: dict[etree.Element, etree.Element] | None = None  # made only when a foreign image turns up
        for el in list(root.iter()):
            if shift and _HEADING.fullmatch(el.tag):
                el.tag = f"h{min(6, int(el.tag[1]) + shift)}"
            elif el.tag == "img" and _is_external(el.get("src", "")):
                src, alt = el.get("src", ""), el.get("alt") or "image"
                if parents is None:
                    parents = {child: parent for parent in root.iter() for child in parent}
                parent = parents.get(el)
                el.attrib.clear()
                if parent is not None and parent.tag == "a":
                    el.tag, el.text = "span", alt
                else:
                    el.tag, el.text = "a", f"Image: {alt}"
                    el.set("href", src)


def extensions() -> list[markdown.Extension]:
    """A converter's extensions, made anew for each (the footnotes one keeps state). As objects,
    not names: finding them by name scans every installed package's entry points.
    Shortcuts() comes last: it checks the parts the others registered (see markdown_shortcuts.py)."""
    return [TableExtension(), FencedCodeExtension(), FootnoteExtension(), SaneListExtension(), _PageSafe(), Shortcuts()]


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    # Raw <img> in Markdown bypasses the tree: drop foreign sources here too.
    if tag == "img" and attribute == "src" and _is_external(value):
        return None
    return value


_IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")
# HTML requires an alt on every img (empty: decorative) and allows rel only on a link with an href;
# a dropped javascript: link leaves an <a> without one.
_IMG_WITHOUT_ALT = re.compile(r"<img(?![^>]*\salt=)")
_REL_WITHOUT_HREF = re.compile(r'<a(?![^>]*\shref=)([^>]*?) rel="noopener noreferrer"')


def sanitise(html: str) -> str:
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        attribute_filter=_attribute_filter,
    )
    # nh3 decodes character references: "&#1;" would come out as a character XML forbids,
    # "&#0;" as U+FFFD (a character lost on the way, which feed validators flag).
    clean = _REL_WITHOUT_HREF.sub(r"<a\1", _IMG_WITHOUT_ALT.sub('<img alt=""', _IMG_WITHOUT_SRC.sub("", clean)))
    return xml_safe(clean).replace("\ufffd", "")


_converter: markdown.Markdown | None = None


def markdown_to_html(text: str) -> str:
    # One converter per process, reset before each use: Python-Markdown keeps state
    # (footnotes, link references) between calls, and building a new one costs
    # about a fifth of a conversion.
    global _converter
    if _converter is None:
        _converter = markdown.Markdown(extensions=extensions(), output_format="html")
    return sanitise(_converter.reset().convert(text))


_BLOCK_SPLIT = re.compile(r"\n[ \t]*\n")


def excerpt_markdown(body: str, words: int) -> tuple[str, bool]:
    """The opening blocks of a body, about `words` long; (text, True) when anything was cut.

    Whole paragraphs are kept; only a first paragraph far longer than the excerpt
    is cut, at the end of a sentence.
    """
    blocks = [b for b in _BLOCK_SPLIT.split(body.strip()) if b.strip()]
    kept: list[str] = []
    total = 0
    for block in blocks:
        if "```" in block or "~~~" in block:
            break  # never cut into a code fence
        n = count_words(block)
        if kept and total + n > words * 1.4:
            break
        if not kept and n > words * 1.6:
            sentences = re.split(r"(?<=[.!?…])\s+", block)
            cut, count = [], 0
            for sentence in sentences:
                cut.append(sentence)
                count += count_words(sentence)
                if count >= words:
                    break
            kept.append(" ".join(cut) if len(cut) < len(sentences) else block)
            total += count
            if len(cut) < len(sentences):
                return "\n\n".join(kept) + " …", True
            continue
        kept.append(block)
        total += n
        if total >= words:
            break
    return "\n\n".join(kept), len(kept) < len(blocks)


def credit(article: Article) -> str | None:
    """Who published the original: the outlet's name, else the host of its URL."""
    if article.publication:
        return article.publication
    host = urlsplit(article.source_url).hostname if article.source_url else None
    return host.removeprefix("www.") if host else None


def render_body(article: Article, config: Config) -> RenderedArticle:
    """The HTML an article's page publishes, which feeds and search reuse unchanged."""
    if article.republish == "full":
        text, cut = article.body_md, False
    else:
        text, cut = excerpt_markdown(article.body_md, config.excerpt_words)
    return RenderedArticle.from_html(
        article,
        markdown_to_html(text),
        read_more(article) if cut else "",
        is_excerpt=cut,
        word_count=count_words(article.body_md),
    )


def read_more(article: Article) -> str:
    """The line that ends an excerpt: where the rest of the story is."""
    outlet = credit(article)
    if article.source_url:
        href = escape(article.source_url, quote=True)
        label = f"Read the full story at {escape(outlet)}" if outlet else "Read the full story"
        return f'<p class="read-more"><a href="{href}">{label}</a></p>'
    origin = f" from {escape(outlet)}" if outlet else ""
    return f'<p class="read-more">This is an excerpt of a story{origin}; the original is not linked.</p>'
