"""What a feed validator would reject in an RSS 2.0, Atom 1.0 or JSON Feed 1.1 file (and other XML outputs).

`digest check` runs every feed the build makes through this, as made by the build's
own code (the feed output kind with the theme's templates), so a theme whose feed
template drops a required element, or dates a reader cannot read, is caught before
publishing. The rules are the specifications' musts, the ones the W3C Feed
Validation Service reports as errors: well-formed XML, the required elements, dates
in the format each format names, absolute URLs, one id per entry; not its advice.
The format is found from the document, not its file name, so any feed a theme or a
new output kind adds is checked too.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from .errors import suggest

ATOM = "{http://www.w3.org/2005/Atom}"
JSON_FEED_VERSIONS = ("https://jsonfeed.org/version/1", "https://jsonfeed.org/version/1.1")
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$", re.IGNORECASE)
_RFC822 = re.compile(r"^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{2,4} "
                     r"\d{2}:\d{2}(?::\d{2})? (?:[+-]\d{4}|UT|GMT|[ECMP][SD]T|[A-IK-Z])$")
# The elements each format defines; a misspelt one is no element of the format, and validators reject it.
# Elements in other namespaces (Dublin Core, content:encoded, atom:link in RSS) are extensions: allowed.
RSS_ELEMENTS = {
    "channel": {"title", "link", "description", "language", "copyright", "managingEditor", "webMaster", "pubDate", "lastBuildDate",
                "category", "generator", "docs", "cloud", "ttl", "image", "rating", "textInput", "skipHours", "skipDays", "item"},
    "item": {"title", "link", "description", "author", "category", "comments", "enclosure", "guid", "pubDate", "source"},
}
# ...and the ones that may appear at most once where they appear (Atom's id, title and updated: exactly once).
RSS_ONCE = {
    "channel": RSS_ELEMENTS["channel"] - {"category", "item"},
    "item": {"title", "link", "description", "author", "comments", "guid", "pubDate", "source"},
}
ATOM_ONCE = {"feed": {"generator", "icon", "logo", "rights", "subtitle"}, "entry": {"content", "published", "rights", "source", "summary"}}
XHTML_DIV = "{http://www.w3.org/1999/xhtml}div"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ATOM_ELEMENTS = {
    "feed": {"author", "category", "contributor", "generator", "icon", "id", "link", "logo", "rights", "subtitle", "title", "updated", "entry"},
    "entry": {"author", "category", "content", "contributor", "id", "link", "published", "rights", "source", "summary", "title", "updated"},
}
_EMAIL = re.compile(r"[^@\s()]+@[^@\s()]+\.[^@\s()]+")
_URI_TEXT = re.compile(r'^[^\s<>"{}|\\^`]+$')  # what an IRI reference may not hold unescaped
_DAYS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")


def is_absolute(url: str | None) -> bool:
    parts = urlsplit(url or "")
    return bool(parts.scheme and (parts.netloc or parts.scheme in ("urn", "tag", "mailto")))


def is_rfc3339(text: str | None) -> bool:
    if not text or not _RFC3339.match(text.strip()):
        return False
    try:
        datetime.fromisoformat(text.strip().upper())  # the regex leaves only real calendar dates to check
    except ValueError:
        return False
    return True


def is_rfc822(text: str | None) -> bool:
    if not text or not _RFC822.match(text.strip()):
        return False
    try:
        return parsedate_to_datetime(text.strip()) is not None
    except (TypeError, ValueError):
        return False


def output_problems(path: str, data: bytes) -> list[str]:
    """Why a validator would reject this output; [] when it would not (or it is no feed or XML)."""
    if path.endswith((".xml", ".opml", ".rss", ".atom")):
        try:
            root = ET.fromstring(data)
        except ET.ParseError as exc:
            line, column = exc.position
            return [f"is not well-formed XML (line {line}, column {column + 1}: {str(exc).split(':')[0]}): no reader can use it"]
        if root.tag == "rss":
            return rss_problems(root)
        if root.tag == ATOM + "feed":
            return atom_problems(root)
        return []
    if path.endswith(".json"):
        try:
            doc = json.loads(data)
        except (ValueError, UnicodeDecodeError) as exc:
            return [f"is not valid JSON ({exc}): no reader can use it"]
        if isinstance(doc, dict) and str(doc.get("version", "")).startswith("https://jsonfeed.org/version/"):
            return json_feed_problems(doc)
    return []


def _unknown(el: ET.Element, known: set[str], namespace: str, what: str, fmt: str) -> list[str]:
    """Children of `el` in the format's own namespace that the format does not define."""
    problems = []
    for child in el:
        if not isinstance(child.tag, str) or (child.tag.startswith("{") and not child.tag.startswith(namespace or "\0")):
            continue  # an extension in another namespace
        name = child.tag[len(namespace):] if namespace else child.tag
        if name not in known:
            problems.append(f"{fmt}: {what} holds <{name}>, which {fmt} does not define{suggest(name, sorted(known)).replace('did you mean', 'did you mean <').replace('?)', '>?)')}")
    return problems


# The parts of a message that differ from item to item and feed to feed (which item, which value) are
# marked, so `digest check` can tell one mistake repeated in every item of every feed from many mistakes.
MARK, END = "\x00", "\x01"


def _v(value: object) -> str:
    return f"{MARK}{value!r}{END}"


def _repeated(el: ET.Element, once: set[str], namespace: str, what: str, fmt: str) -> list[str]:
    """Children that the format allows once and that appear more often."""
    counts: dict[str, int] = {}
    for child in el:
        if isinstance(child.tag, str) and (child.tag[len(namespace):] if namespace else child.tag) in once and child.tag.startswith(namespace):
            counts[child.tag] = counts.get(child.tag, 0) + 1
    return [f"{fmt}: {what} holds <{tag[len(namespace):]}> {_v(n)} times; {fmt} allows it once" for tag, n in counts.items() if n > 1]


def _label(index: int, title: str | None) -> str:
    return f"{MARK}item {index}" + (f" ({title.strip()[:60]!r})" if title and title.strip() else "") + END


def rule_of(message: str) -> str:
    """A message without its marked parts: the same for one mistake wherever it is."""
    return re.sub(f"{MARK}.*?{END}", "", message, flags=re.DOTALL)


def readable(message: str) -> str:
    return message.replace(MARK, "").replace(END, "")


def _text(parent: ET.Element, tag: str) -> str | None:
    el = parent.find(tag)
    return None if el is None else (el.text or "")


def rss_problems(root: ET.Element) -> list[str]:
    problems = []
    if root.get("version") != "2.0":
        problems.append(f"RSS: <rss> must have version=\"2.0\", not {_v(root.get('version'))}")
    channels = root.findall("channel")
    if len(channels) != 1:
        return [*problems, f"RSS: <rss> must hold exactly one <channel>, not {_v(len(channels))}"]
    channel = channels[0]
    problems += _unknown(channel, RSS_ELEMENTS["channel"], "", "<channel>", "RSS")
    problems += _repeated(channel, RSS_ONCE["channel"], "", "<channel>", "RSS")
    ttl = _text(channel, "ttl")
    if ttl is not None and not (ttl.strip().isdigit() and int(ttl) > 0):
        problems.append(f"RSS: <ttl> {_v(ttl)} must be a number of minutes, such as 60")
    for parent, required in (("image", ("url", "title", "link")), ("textInput", ("title", "description", "name", "link"))):
        el = channel.find(parent)
        for tag in required if el is not None else ():
            if el.find(tag) is None:
                problems.append(f"RSS: <{parent}> has no <{tag}>, which RSS 2.0 requires")
    for tag in ("managingEditor", "webMaster"):
        value = _text(channel, tag)
        if value is not None and not _EMAIL.search(value):
            problems.append(f"RSS: <{tag}> {_v(value)} must hold an e-mail address, like 'desk@example.org (The Desk)'")
    for tag in ("docs", "image/url", "image/link", "textInput/link"):
        value = _text(channel, tag)
        if value is not None and not is_absolute(value.strip()):
            problems.append(f"RSS: <{tag.replace('/', '> <')}> must be an absolute URL, not {_v(value)}")
    cloud = channel.find("cloud")
    if cloud is not None and not all(cloud.get(a) for a in ("domain", "port", "path", "registerProcedure", "protocol")):
        problems.append("RSS: <cloud> needs domain, port, path, registerProcedure and protocol")
    for hour in channel.findall("skipHours/hour"):
        if not ((hour.text or "").strip().isdigit() and int(hour.text) <= 23):
            problems.append(f"RSS: <skipHours> <hour> {_v(hour.text)} must be a whole hour from 0 to 23")
    for day in channel.findall("skipDays/day"):
        if (day.text or "").strip() not in _DAYS:
            problems.append(f"RSS: <skipDays> <day> {_v(day.text)} must be a day's name in English, such as 'Saturday'")
    for tag in ("title", "link", "description"):
        if channel.find(tag) is None:
            problems.append(f"RSS: <channel> has no <{tag}>, which RSS 2.0 requires")
    link = _text(channel, "link")
    if link is not None and not is_absolute(link.strip()):
        problems.append(f"RSS: the channel's <link> must be an absolute URL, not {_v(link)}")
    language = _text(channel, "language")
    if language is not None and not _LANGUAGE.match(language.strip()):
        problems.append(f"RSS: <language> {_v(language)} is not a language code such as 'en' or 'en-us'")
    for tag in ("pubDate", "lastBuildDate"):
        value = _text(channel, tag)
        if value is not None and not is_rfc822(value):
            problems.append(f"RSS: the channel's <{tag}> {_v(value)} is not an RFC 822 date such as 'Tue, 17 Sep 2024 18:10:00 -0400'")
    for link_el in channel.findall(ATOM + "link"):
        if not is_absolute(link_el.get("href")):
            problems.append(f"RSS: <atom:link rel={_v(link_el.get('rel'))}> must have an absolute href, not {_v(link_el.get('href'))}")
    guids: dict[str, int] = {}
    for index, item in enumerate(channel.findall("item"), start=1):
        label = _label(index, _text(item, "title"))
        problems += _unknown(item, RSS_ELEMENTS["item"], "", label, "RSS")
        problems += _repeated(item, RSS_ONCE["item"], "", label, "RSS")
        if item.find("title") is None and item.find("description") is None:
            problems.append(f"RSS: {label} has neither <title> nor <description>: RSS 2.0 requires one")
        link = _text(item, "link")
        if link is not None and not is_absolute(link.strip()):
            problems.append(f"RSS: {label}: <link> must be an absolute URL, not {_v(link)}")
        guid_el = item.find("guid")
        if guid_el is not None:
            guid = (guid_el.text or "").strip()
            if not guid:
                problems.append(f"RSS: {label} has an empty <guid>")
            elif guid_el.get("isPermaLink", "true") != "false" and urlsplit(guid).scheme not in ("http", "https"):
                problems.append(f"RSS: {label}: <guid> {_v(guid)} is a permalink (no isPermaLink=\"false\") but not a web address")
            if guid in guids:
                problems.append(f"RSS: {label} has the same <guid> as item {_v(guids[guid])}: readers show only one of them")
            guids.setdefault(guid, index)
        date = _text(item, "pubDate")
        if date is not None and not is_rfc822(date):
            problems.append(f"RSS: {label}: <pubDate> {_v(date)} is not an RFC 822 date such as 'Tue, 17 Sep 2024 18:10:00 -0400'")
        enclosure = item.find("enclosure")
        if enclosure is not None and not all(enclosure.get(a) for a in ("url", "length", "type")):
            problems.append(f"RSS: {label}: <enclosure> needs url, length and type")
        elif enclosure is not None and not (enclosure.get("length", "").isdigit() and is_absolute(enclosure.get("url"))):
            problems.append(f"RSS: {label}: <enclosure> needs an absolute url and a length in bytes")
        source = item.find("source")
        if source is not None and not is_absolute(source.get("url")):
            problems.append(f"RSS: {label}: <source> needs the absolute url of the feed it came from")
        comments = _text(item, "comments")
        if comments is not None and not is_absolute(comments.strip()):
            problems.append(f"RSS: {label}: <comments> must be an absolute URL, not {_v(comments)}")
        author = _text(item, "author")
        if author is not None and not _EMAIL.search(author):
            problems.append(f"RSS: {label}: <author> {_v(author)} must hold an e-mail address (a name alone goes in <dc:creator>)")
    return problems


def _atom_common(el: ET.Element, what: str, problems: list[str]) -> None:
    """The elements a feed and an entry must both have: one id (an absolute IRI), one title, one updated."""
    for tag in ("id", "title", "updated"):
        found = el.findall(ATOM + tag)
        if len(found) != 1:
            problems.append(f"Atom: {what} must have exactly one <{tag}>, not {_v(len(found))}")
    identity = _text(el, ATOM + "id")
    if identity is not None and not is_absolute(identity.strip()):
        problems.append(f"Atom: {what}: <id> {_v(identity)} must be an absolute IRI (such as urn:uuid:... or https://...)")
    for tag in ("updated", "published"):
        value = _text(el, ATOM + tag)
        if value is not None and not is_rfc3339(value):
            problems.append(f"Atom: {what}: <{tag}> {_v(value)} is not an RFC 3339 date such as '2024-09-17T18:10:00-04:00'")
    alternates: set[tuple[str | None, str | None]] = set()
    for link in el.findall(ATOM + "link"):
        if not link.get("href"):  # a relative one is allowed: readers resolve it against the feed's address
            problems.append(f"Atom: {what} has a <link> without href")
        if link.get("rel", "alternate") == "alternate":
            kind = (link.get("type"), link.get("hreflang"))
            if kind in alternates:
                problems.append(f"Atom: {what} has two rel=\"alternate\" links of one type and language")
            alternates.add(kind)
    for category in el.findall(ATOM + "category"):
        if not category.get("term"):
            problems.append(f"Atom: {what} has a <category> without term")
    language = el.get(XML_LANG)
    if language is not None and language and not _LANGUAGE.match(language):
        problems.append(f"Atom: {what}: xml:lang {_v(language)} is not a language tag such as 'en' or 'en-US'")
    for tag, attribute in (("link", "href"), ("generator", "uri"), ("content", "src"), ("category", "scheme"), ("icon", None), ("logo", None),
                           ("author/" + ATOM + "uri", None), ("contributor/" + ATOM + "uri", None)):
        for found in el.findall(ATOM + tag):
            value = found.get(attribute) if attribute else found.text
            if value is not None and not _URI_TEXT.match(value.strip()):
                problems.append(f"Atom: {what}: <{tag.rpartition('}')[2] or tag}> {_v(value)} is not a URI (spaces and quotes must be escaped)")
    for person in el.findall(ATOM + "author") + el.findall(ATOM + "contributor"):
        email = _text(person, ATOM + "email")
        if email is not None and not _EMAIL.fullmatch(email.strip()):
            problems.append(f"Atom: {what}: <email> {_v(email)} is not an e-mail address")


def atom_problems(root: ET.Element) -> list[str]:
    problems = _unknown(root, ATOM_ELEMENTS["feed"], ATOM, "the feed", "Atom") + _repeated(root, ATOM_ONCE["feed"], ATOM, "the feed", "Atom")
    _atom_common(root, "the feed", problems)
    feed_has_author = root.find(ATOM + "author") is not None
    for index, entry in enumerate(root.findall(ATOM + "entry"), start=1):
        label = _label(index, _text(entry, ATOM + "title")).replace("item", "entry", 1)
        problems += _unknown(entry, ATOM_ELEMENTS["entry"], ATOM, label, "Atom")
        problems += _repeated(entry, ATOM_ONCE["entry"], ATOM, label, "Atom")
        content = entry.find(ATOM + "content")
        if content is not None and content.get("src") and entry.find(ATOM + "summary") is None:
            problems.append(f"Atom: {label}: <content src=...> points elsewhere, so the entry needs a <summary>")
        for text in (entry.find(ATOM + "content"), entry.find(ATOM + "summary")):
            if text is not None and text.get("type") == "xhtml" and [child.tag for child in text] != [XHTML_DIV]:
                problems.append(f"Atom: {label}: type=\"xhtml\" text must be one XHTML <div>, holding the markup")
        _atom_common(entry, label, problems)
        if not feed_has_author and entry.find(ATOM + "author") is None:
            problems.append(f"Atom: {label} has no <author>, and neither has the feed")
        for author in entry.findall(ATOM + "author") + root.findall(ATOM + "author"):
            if not (_text(author, ATOM + "name") or "").strip():
                problems.append(f"Atom: {label}: an <author> has no <name>")
                break
        has_alternate = any(link.get("rel", "alternate") == "alternate" for link in entry.findall(ATOM + "link"))
        if entry.find(ATOM + "content") is None and not has_alternate:
            problems.append(f"Atom: {label} has neither <content> nor a rel=\"alternate\" link")
    return problems


def json_feed_problems(doc: dict) -> list[str]:
    problems = []
    if doc["version"] not in JSON_FEED_VERSIONS:
        problems.append(f"JSON Feed: unknown version {_v(doc['version'])}")
    if not isinstance(doc.get("title"), str):
        problems.append("JSON Feed: 'title' (text) is required")
    for key in ("home_page_url", "feed_url"):
        if key in doc and not (isinstance(doc[key], str) and is_absolute(doc[key])):
            problems.append(f"JSON Feed: '{key}' must be an absolute URL, not {_v(doc[key])}")
    items = doc.get("items")
    if not isinstance(items, list):
        return [*problems, "JSON Feed: 'items' (a list) is required"]
    ids: dict[str, int] = {}
    for index, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            problems.append(f"JSON Feed: item {index} is not an object")
            continue
        label = _label(index, item.get("title") if isinstance(item.get("title"), str) else None)
        identity = item.get("id")
        if not isinstance(identity, str) or not identity:
            problems.append(f"JSON Feed: {label} needs an 'id' (text)")
        elif identity in ids:
            problems.append(f"JSON Feed: {label} has the same 'id' as item {_v(ids[identity])}: readers show only one of them")
        else:
            ids[identity] = index
        if not any(isinstance(item.get(k), str) for k in ("content_html", "content_text")):
            problems.append(f"JSON Feed: {label} needs 'content_html' or 'content_text'")
        for key in ("url", "external_url", "image"):
            if key in item and not (isinstance(item[key], str) and is_absolute(item[key])):
                problems.append(f"JSON Feed: {label}: '{key}' must be an absolute URL, not {_v(item[key])}")
        for key in ("date_published", "date_modified"):
            if key in item and not (isinstance(item[key], str) and is_rfc3339(item[key])):
                problems.append(f"JSON Feed: {label}: '{key}' {_v(item[key])} is not an RFC 3339 date such as '2024-09-17T18:10:00-04:00'")
        if "tags" in item and not (isinstance(item["tags"], list) and all(isinstance(t, str) for t in item["tags"])):
            problems.append(f"JSON Feed: {label}: 'tags' must be a list of text")
    return problems
