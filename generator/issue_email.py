"""An issue as email: issue.html (email-safe), issue.txt (plain text) and the two as one message.

Mail clients are not browsers: they drop <style> blocks, external stylesheets, scripts
and forms, and block images. So the HTML is tables no wider than 600px with every
style inlined by css-inline (only the @media rules for dark mode stay in a <style>,
where the clients that understand them find them), holds no image, and links
absolutely to the site. The text part says the same with every link spelled out,
wrapped at 72 columns (a URL longer than a line stands alone on its line: cut, it
would no longer work).
"""

from __future__ import annotations

import hashlib
import re
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, parseaddr
from html import unescape
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import css_inline
import jinja2

from . import urls
from .body import credit
from .config import email_address
from .feed_parts import absolutize
from .model import Article, Config, EmailSettings, Issue
from .pages import readable_date, render_template

WIDTH = 72
TEMPLATE = "issue_email.html"


@dataclass(frozen=True)
class IssueEmail:
    subject: str
    html: str
    text: str


def render_issue_email(issue: Issue, articles: Mapping[str, Article], config: Config, env: jinja2.Environment) -> IssueEmail:
    """The issue's HTML and text, from the same stories in the same order."""
    page_url = urls.absolute(config.base_url, urls.issue(issue.period.key))
    note_html = absolutize(issue.note_html, page_url)
    subject = f"{config.title}: {issue.title}"
    unsubscribe = config.email.list_unsubscribe if config.email else ()
    html = render_template(env, TEMPLATE, {"config": config, "issue": issue, "articles": articles, "note_html": note_html, "subject": subject,
                                           "unsubscribe": unsubscribe, "topic_names": config.topic_names})
    text = issue_text(issue, articles, config, note_html, page_url, unsubscribe)
    return IssueEmail(subject=subject, html=inline_css(html), text=text)


_INLINER = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False, minify_css=True)


def inline_css(html: str) -> str:
    """Every rule of the <style> blocks into the style attributes it applies to; @media rules kept."""
    return _INLINER.inline(html).rstrip("\n") + "\n"  # a file ends with a newline (and the .eml's part then equals it)


def wrap(text: str, indent: str = "") -> list[str]:
    """Lines of at most 72 columns; a word longer than that (a URL) is never cut."""
    return textwrap.wrap(" ".join(text.split()), WIDTH, initial_indent=indent, subsequent_indent=" " * len(indent),
                         break_long_words=False, break_on_hyphens=False) or [indent.rstrip()]


def issue_text(issue: Issue, articles: Mapping[str, Article], config: Config, note_html: str, page_url: str,
               unsubscribe: tuple[str, ...]) -> str:
    tz = ZoneInfo(config.timezone)
    blocks: list[list[str]] = [wrap(config.title.upper()), wrap(issue.title) + wrap(issue.count_text), ["Read it on the web:", page_url]]
    if note_html:
        blocks += html_blocks(note_html)

    def heading(name: str) -> None:
        blocks.append([*wrap(name.upper()), "-" * min(WIDTH, len(name))])

    def story(a: Article) -> None:
        outlet = credit(a)
        when = readable_date(a.date, tz) if a.date else "date unknown"
        lines = wrap(a.title) + wrap(f"{outlet} · {when}" if outlet else when)
        if a.summary:
            lines += wrap(a.summary)
        blocks.append(lines + [urls.absolute(config.base_url, urls.article(a.slug))])

    if issue.lead:
        heading("Top stories")
        for slug in issue.lead:
            story(articles[slug])
    for section in issue.sections:
        heading(config.topic_names[section.topic] if section.topic else "Also in this issue")
        for slug in section.slugs:
            story(articles[slug])
    foot = [f"You get {config.title} by email because you signed up for it."]
    foot += [f"Unsubscribe: {url}" for url in unsubscribe]
    foot += ["Every issue: " + urls.absolute(config.base_url, urls.issues_index())]
    blocks.append(["-- "] + [line for part in foot for line in wrap(part)])
    return "\n\n".join("\n".join(block) for block in blocks) + "\n"


_TEXT_BLOCKS = frozenset({"p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "tr", "dt", "dd", "figcaption", "hr"})


class _TextBlocks(HTMLParser):
    """Our own sanitised HTML (a note) as plain-text blocks, each link written out after its text."""

    BLOCKS = _TEXT_BLOCKS

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[list[str]] = []
        self.words: list[str] = []
        self.links: list[tuple[str, int]] = []  # (href, where its text starts in words)
        self.lists: list[list[int]] = []  # per open list: [next number] (or [0] for bullets)
        self.pre = 0
        self.prefix = ""

    def flush(self) -> None:
        text = "".join(self.words)
        self.words = []
        if self.pre:
            if text.strip("\n"):
                self.blocks.append(["    " + line for line in text.strip("\n").splitlines()])
        elif text.strip():
            self.blocks.append(wrap(text, self.prefix))
        self.prefix = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag in self.BLOCKS or tag in ("ul", "ol"):
            self.flush()
        if tag in ("ul", "ol"):
            self.lists.append([int(attr.get("start") or 1) if tag == "ol" else 0])
        elif tag == "li" and self.lists:
            counter = self.lists[-1]
            self.prefix = "  " * (len(self.lists) - 1) + (f"{counter[0]}. " if counter[0] else "- ")
            if counter[0]:
                counter[0] += 1
        elif tag == "blockquote":
            self.prefix = "> "
        elif tag == "pre":
            self.pre += 1
        elif tag == "br":
            self.words.append("\n" if self.pre else " ")
        elif tag == "a":
            self.links.append((attr.get("href") or "", len(self.words)))
        elif tag == "img":
            alt, src = attr.get("alt") or "image", attr.get("src") or ""
            self.words.append(f" [{alt}: {src}] " if src else f" [{alt}] ")
        elif tag in ("td", "th"):
            self.words.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.links:
            href, start = self.links.pop()
            shown = "".join(self.words[start:]).strip()
            if href and not href.startswith("#") and unescape(shown) != href.removeprefix("mailto:"):
                self.words.append(f" ({href.removeprefix('mailto:')})" if href.startswith("mailto:") else f" ({href})")
        elif tag in ("ul", "ol") and self.lists:
            self.flush()
            self.lists.pop()
        elif tag == "pre":
            self.flush()
            self.pre = max(0, self.pre - 1)
        elif tag in self.BLOCKS:
            self.flush()

    def handle_data(self, data: str) -> None:
        self.words.append(data)


def html_blocks(html: str) -> list[list[str]]:
    parser = _TextBlocks()
    parser.feed(html)
    parser.close()
    parser.flush()
    return parser.blocks


def sender_domain(settings: EmailSettings) -> str:
    """The From address's domain: Message-IDs and the List-Id are made under it."""
    return (email_address(settings.sender) or "localhost").rsplit("@", 1)[1]


def list_id(config: Config, settings: EmailSettings) -> str:
    """RFC 2919: what mail filters recognise the digest by ('Labor Digest <labor-digest.example.org>')."""
    label = re.sub(r"[^a-z0-9]+", "-", config.title.lower()).strip("-") or "digest"
    return f"{config.title} <{label}.{sender_domain(settings)}>"


def email_message(mail: IssueEmail, issue: Issue, config: Config, *, to: str | None = None, date: datetime | None = None,
                  message_id: str | None = None) -> EmailMessage:
    """multipart/alternative: the text first, the HTML last (the part a client prefers when it can show it).

    Without `to`, `date` and `message_id` it is the importable issue.eml: dated when
    the issue closes, with a Message-ID made from its content, so the same issue gives
    the same file."""
    settings = config.email
    assert settings is not None, "the commands check for email settings first"
    message = EmailMessage(policy=SMTP)
    name, address = parseaddr(settings.sender)
    message["Subject"] = mail.subject
    message["From"] = Address(display_name=name, addr_spec=address)
    if to:
        message["To"] = to
    message["Date"] = format_datetime(date or issue.closes)
    content = hashlib.blake2b((mail.html + mail.text).encode("utf-8"), digest_size=8).hexdigest()
    message["Message-ID"] = message_id or f"<issue-{issue.period.key}.{content}@{sender_domain(settings)}>"
    message["List-Id"] = list_id(config, settings)
    message["List-Unsubscribe"] = ", ".join(f"<{url}>" for url in settings.list_unsubscribe)
    message.set_content(mail.text, subtype="plain", charset="utf-8", cte="quoted-printable")
    message.add_alternative(mail.html, subtype="html", charset="utf-8", cte="quoted-printable")
    message.set_boundary(f"=_{content}")  # not a random one: the same issue makes the same file
    return message
