"""Where a page's links lead, and which ids it holds: what `digest check` needs to find broken links.

A page's links are read once, when it is made (or read back from the last build's
output), and kept by page key in the build cache: a check after an edit reads only
the pages the edit changed, then resolves every link of the site against the set of
its outputs. Links are read from start tags with a regular expression: our pages are
well-formed (templates autoescape, bodies come out of nh3), text never holds a raw
'<', and the insides of comments, scripts and styles are skipped; a real parser
would take seconds on 22,000 pages.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from html import unescape
from urllib.parse import quote, unquote, urljoin, urlsplit

from . import urls

# Comments, and the insides of scripts and styles (their start tags are kept: a script's src is a link).
# One leading '<' lets the regex engine skip to each tag instead of trying every character.
_HIDDEN = re.compile(r"<(?:!--.*?-->|((script|style)\b[^>]*>).*?</\2\s*>)", re.DOTALL | re.IGNORECASE)
_START_TAG = re.compile(r"""<[a-zA-Z][^\s/>]*((?:\s+[^\s"'=/>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*/?>""")
_ATTRIBUTE = re.compile(r"""([^\s"'=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_NOT_PAGES = ("mailto:", "tel:", "javascript:", "data:", "sms:")
OUTSIDE = "../"  # a target that starts with it is on the site's host but outside base_url's path


@dataclass(frozen=True)
class PageLinks:
    """A page's links as (link as written, target) and the ids of its elements.

    A target is an output path ('articles/x/index.html'), with '#fragment' when the
    link has one, or OUTSIDE + a path on the same host but outside the site."""

    links: tuple[tuple[str, str], ...]
    ids: frozenset[str]


class LinkReader:
    """Reads pages of one site; remembers resolutions, which most pages share (the theme's links)."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        base = urlsplit(base_url)
        self.origin = (base.scheme, base.netloc)
        self.base_path = base.path or "/"
        self._targets: dict[tuple[str, str], str | None] = {}
        self._shared: dict = {}  # one object per distinct link and id set, so the cache stores each once

    def read(self, path: str, html: bytes | str) -> PageLinks:
        text = html.decode("utf-8", "replace") if isinstance(html, bytes) else html
        text = _HIDDEN.sub(lambda m: "<" + m.group(1) if m.group(1) else "", text)
        page = urls.url_of(path)
        links: list[tuple[str, str]] = []
        ids: list[str] = []
        for tag in _START_TAG.finditer(text):
            attributes = tag.group(1)
            if "=" not in attributes:
                continue
            for name, double, single, bare in _ATTRIBUTE.findall(attributes):
                name = name.lower()
                if name in ("href", "src"):
                    raw = unescape(double or single or bare).strip()
                    target = self.target(page, raw)
                    if target is not None:
                        links.append(self._one((raw, target)))
                elif name == "id":
                    ids.append(sys.intern(unescape(double or single or bare)))
        return PageLinks(self._one(tuple(dict.fromkeys(links))), self._one(frozenset(ids)))

    def _one(self, value):
        return self._shared.setdefault(value, value)

    def share(self, links: PageLinks) -> PageLinks:
        """The same links, made of this reader's shared objects (a worker's come back as copies)."""
        return PageLinks(self._one(tuple(self._one(pair) for pair in links.links)), self._one(links.ids))

    def target(self, page: str, raw: str) -> str | None:
        """The output a link leads to, or None when it leads off the site (or to no page: mailto:)."""
        relative = not raw.startswith(("/", "http:", "https:")) and ":" not in raw.split("/", 1)[0]
        key = (page if relative else "", raw)
        if key not in self._targets:
            self._targets[key] = self._resolve(page, raw)
        return self._targets[key]

    def _resolve(self, page: str, raw: str) -> str | None:
        if raw.lower().startswith(_NOT_PAGES):
            return None
        parts = urlsplit(urljoin(self.base_url + quote(page, safe="/%"), raw))
        if (parts.scheme, parts.netloc) != self.origin:
            return None
        fragment = f"#{unquote(parts.fragment)}" if parts.fragment else ""
        if not parts.path.startswith(self.base_path):
            return sys.intern(OUTSIDE + unquote(parts.path).lstrip("/") + fragment)
        return sys.intern(urls.output_path(unquote(parts.path[len(self.base_path):])) + fragment)


def shown(target: str) -> str:
    """A target as a reader would type it after the site's address: 'articles/x/'."""
    return urls.url_of(target) or "the home page"
