"""Names and dates as pages print them, made into front matter values: one place for every reader.

A date keeps the time and offset the page shows, and only those: a time without a
zone is not given an offset we would have to guess. A name is a person's name, never
a job title, a desk or an outlet.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

# --------------------------------------------------------------------------- dates


_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        "january jan janeiro janvier enero januari januar gennaio январь января янв",
        "february feb fevereiro fev février febrero februari februar febbraio февраль февраля фев",
        "march mar março marco mars marzo maret märz maart марта март",
        "april apr abril avril aprile апреля апрель апр",
        "may maio mai mayo mei maggio мая май",
        "june jun junho juin junio juni giugno июня июнь",
        "july jul julho juillet julio juli luglio июля июль",
        "august aug agosto août agustus agu augustus августа август авг",
        "september sep sept setembro septembre septiembre settembre сентября сентябрь сен",
        "october oct outubro octobre octubre oktober okt ottobre октября октябрь",
        "november nov novembro novembre noviembre nopember ноября ноябрь",
        "december dec dezembro décembre diciembre desember dezember dicembre desember декабря декабрь дек",
    ],
    start=1,
):
    for _name in _names.split():
        _MONTHS.setdefault(_name, _number)

_MONTH = r"(?P<month>" + "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True)) + r")\.?"
_DATE_PATTERNS = [
    re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<mnum>\d{1,2})-(?P<day>\d{1,2})\b"),
    re.compile(_MONTH.replace("(?P<month>", r"\b(?P<month>") + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d{2})(?:\b|(?=\d{1,2}:\d{2}))", re.IGNORECASE),
    re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th|er|\.)?\s+(?:de\s+)?" + _MONTH + r",?\s+(?:de\s+)?(?P<year>(?:19|20)\d{2})\b", re.IGNORECASE),
    re.compile(r"\b(?P<year>(?:19|20)\d{2})\s*[年.]\s*(?P<mnum>\d{1,2})\s*[月.]\s*(?P<day>\d{1,2})\s*日?"),
    re.compile(r"\b(?P<year>(?:19|20)\d{2})\s*년\s*(?P<mnum>\d{1,2})\s*월\s*(?P<day>\d{1,2})\s*일"),
    re.compile(r"\b(?P<a>\d{1,2})([/.])(?P<b>\d{1,2})\2(?P<year>(?:19|20)\d{2})\b"),
]
_YEAR = re.compile(r"(?:19|20)\d\d")

# A machine timestamp printed on the page (2019-11-18T22:05:36Z) carries its own offset.
_ISO_TIMESTAMP = re.compile(r"\b(?:19|20)\d{2}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})(?!\w)")
TIME = re.compile(
    r"(?<![\d:])(?P<h>\d{1,2})(?:[:h]|\.(?=[0-5]\d\s*(?:[ap]\.?\s?m|[A-Z]{2,5}\b)))(?P<m>[0-5]\d)(?::(?P<s>[0-5]\d))?\s*(?P<ampm>[ap]\.?\s?m\.?)?"
    r"(?:\s*\(?(?P<tz>[A-Za-z]{2,12}))?(?:\s*(?P<off>[+-]\d{2}:?\d{2}))?",
    re.IGNORECASE,
)

# Zone abbreviations to IANA zones, so the offset follows daylight saving time
# on the day in question ("ET" on September 17 is -04:00, in January -05:00).
# Pages often write "EST" all year round; the zone is what they mean.
_ZONES = {
    "ET": "America/New_York", "EST": "America/New_York", "EDT": "America/New_York",
    "CT": "America/Chicago", "CST": "America/Chicago", "CDT": "America/Chicago",
    "MT": "America/Denver", "MST": "America/Denver", "MDT": "America/Denver",
    "PT": "America/Los_Angeles", "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles",
    "AKST": "America/Anchorage", "HST": "Pacific/Honolulu",
    "GMT": "UTC", "UTC": "UTC", "Z": "UTC", "BST": "Europe/London", "WET": "Europe/Lisbon",
    "CET": "Europe/Paris", "CEST": "Europe/Paris", "EET": "Europe/Athens", "EEST": "Europe/Athens",
    "MSK": "Europe/Moscow", "IST": "Asia/Kolkata", "WIB": "Asia/Jakarta", "SGT": "Asia/Singapore",
    "HKT": "Asia/Hong_Kong", "JST": "Asia/Tokyo", "KST": "Asia/Seoul",
    "AEST": "Australia/Sydney", "AEDT": "Australia/Sydney", "BRT": "America/Sao_Paulo",
}
UPDATED = re.compile(r"\b(?:updated?|modified|last updated|atualizad[oa]|diperbarui|обновлено|mis à jour|actualizado|aktualisiert)\b", re.IGNORECASE)
PUBLISHED = re.compile(r"\b(?:published|posted|publicado|diterbitkan|опубликовано|publié)\b", re.IGNORECASE)


def parse_date_in(text: str) -> tuple[datetime | date, bool] | None:
    """The first date in a line, with its time and zone when the line gives them.

    Returns (value, ambiguous). A time without a zone is not turned into an
    offset we would have to guess: the day alone is returned.
    """
    if not _YEAR.search(text):  # every form below has a four-digit year
        return None
    iso_match = _ISO_TIMESTAMP.search(text)
    if iso_match:
        try:
            return datetime.fromisoformat(iso_match.group(0).replace("Z", "+00:00").replace(" ", "T")), False
        except ValueError:
            pass
    for pattern in _DATE_PATTERNS:
        m = pattern.search(text)
        if not m:
            continue
        groups = m.groupdict()
        ambiguous = False
        try:
            year = int(groups["year"])
            if groups.get("month"):
                month = _MONTHS[groups["month"].lower().rstrip(".")]
                day = int(groups["day"])
            elif groups.get("mnum"):
                month, day = int(groups["mnum"]), int(groups["day"])
            else:
                a, b = int(groups["a"]), int(groups["b"])
                if a > 12:
                    day, month = a, b
                elif b > 12 or m.group(2) == "/":
                    month, day = a, b
                    ambiguous = b <= 12
                else:  # dotted day.month.year is the European order
                    day, month = a, b
                    ambiguous = b <= 12
            day_value = date(year, month, day)
        except (ValueError, KeyError):
            continue
        return with_time(day_value, text, m.end()), ambiguous
    return None


def with_time(day: date, text: str, after: int = 0) -> datetime | date:
    # The time after the date first ("Nov 20 2019 4:29 AM"), then anywhere in the line.
    for tm in list(TIME.finditer(text[after:])) + list(TIME.finditer(text[:after])):
        hour, minute = int(tm["h"]), int(tm["m"])
        ampm = (tm["ampm"] or "").lower().replace(".", "").replace(" ", "")
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        if hour > 23:
            continue
        clock = time(hour, minute, int(tm["s"] or 0))
        if tm["off"]:
            off = tm["off"].replace(":", "")
            sign = -1 if off[0] == "-" else 1
            delta = timedelta(hours=int(off[1:3]), minutes=int(off[3:5]))
            return datetime.combine(day, clock, timezone(sign * delta))
        # Pages run words together ("4:29 AM ESTUPDATED"): the zone is the
        # longest known abbreviation the letters start with.
        letters = tm["tz"] or ""
        zone = next((letters[:n].upper() for n in range(min(5, len(letters)), 1, -1) if letters[:n].upper() in _ZONES and (letters[:n].isupper() or n == len(letters))), "")
        if zone in _ZONES:
            return datetime.combine(day, clock, ZoneInfo(_ZONES[zone])).astimezone(ZoneInfo(_ZONES[zone]))
        return day
    return day


# --------------------------------------------------------------------------- names

# Job titles and placeholders that are not people (the issue: not "Staff",
# "Tech Correspondent" or "By").
_NOT_A_PERSON = re.compile(
    r"\b(?:staff|correspondent|reporter|editor|editors|writer|writers|contributor|columnist|producer|"
    r"bureau|desk|team|news|agency|wire|press|service|reuters|associated|afp|editorial|admin|administrator|"
    r"guest|author|authors|updated|published|posted|photographer|analyst|intern|senior|chief|"
    r"newsroom|media|online|digital|the|and|of)\b",
    re.IGNORECASE,
)


_NOT_IN_NAMES = frozenset(
    ["any", "the", "of", "and", "for", "with", "from", "more", "most", "new", "all", "this", "that", "our", "your", "their", "his", "her", "my", "no", "not", "how", "what", "why", "when", "who", "read", "share", "follow", "view", "see", "latest", "top", "best", "news", "video", "photos", "next", "previous", "prev", "post", "posts", "home", "insider", "sport", "sports", "blog", "page", "print", "email", "menu", "search", "close", "subscribe", "live", "opinion", "world", "business", "politics", "tech", "comments"]
)
_NAME_TOKEN = re.compile(r"^(?:[A-ZÀ-ÖØ-ÞА-ЯЁ][\w'’.-]*|de|da|do|dos|das|del|della|der|den|van|von|la|le|du|bin|binti|al|el|ibn|y|e)$")




def clean_name(text: str) -> str | None:
    """A person's name, or None for job titles, outlets and anything not name-shaped."""
    text = re.sub(r"\s+", " ", text).strip(" ,;:|·•-–—")
    # A name run together with an outlet or role ("Jonathan GarberFOXBusiness").
    text = re.sub(r"(?<=[a-z])[A-Z]{2,}\w*$", "", text)
    if not text or _NOT_A_PERSON.search(text) or re.search(r"\d|@|http", text):
        return None
    tokens = text.split()
    if not 2 <= len(tokens) <= 5 or not all(_NAME_TOKEN.match(t) for t in tokens):
        return None
    if not tokens[0][0].isupper() or not tokens[-1][0].isupper():
        return None
    # Column names and slogans ("Any Means Necessary") have function words; names do not.
    if any(t.lower() in _NOT_IN_NAMES for t in tokens):
        return None
    if text.isupper():
        text = text.title()
    return text


_ROLE = re.compile(
    r"(?:(?:senior|chief|staff|contributing|special|political|national|foreign|business|tech|technology|sports?|deputy|managing)\s+)*"
    r"(?:staff|writers?|reporters?|correspondents?|editors?|columnists?|contributors?|producers?|photographers?)\b",
    re.IGNORECASE,
)


def name_before_affiliation(text: str) -> str | None:
    """ "JOHN ROE Associated Press" -> "John Roe": a name followed by an outlet or role."""
    tokens = text.split()
    for k in range(len(tokens) - 1, 1, -1):
        head, tail = " ".join(tokens[:k]), " ".join(tokens[k:])
        if _ROLE.match(tail) or (head.isupper() and not tail.isupper()):
            name = clean_name(head)
            if name:
                return name
    return None


def split_names(text: str) -> list[str]:
    # Copied bylines run the name into the role or outlet that followed it in
    # another element ("Meg JamesStaff Writer"): a capital straight after two
    # lower-case letters starts something else (McDonald, DeArdo are unaffected).
    text = re.split(r"(?<=[a-z]{2})(?<!\bMac)(?=[A-Z])", text, maxsplit=1)[0]
    # A byline often runs on into a date or a role: cut at the first separator.
    text = re.split(r"\s[|•·—–]\s|\s-\s|\s{2,}|\bupdated\b|\bpublished\b|\bposted\b|\bon\s+\w+\s+\d", text, maxsplit=1, flags=re.IGNORECASE)[0]
    parts = re.split(r",\s*(?:and\s+)?|\s+(?:and|&|y|e|et|und|dan|и)\s+", text)
    names = []
    for part in parts:
        name = clean_name(part) or name_before_affiliation(part)
        if name:
            names.append(name)
        elif names or not part.strip():
            break  # "By Jane Doe, Senior Reporter": stop at the role
    return names


def iso(value: datetime | date | None) -> str | None:
    """ISO 8601: date and time with offset when the time is known, else the day."""
    if value is None:
        return None
    return value.isoformat()
