"""Names and dates as pages print them, made into front matter values: one place for every reader.

A date keeps the time and offset the page shows, and only those: a time without a
zone is not given an offset we would have to guess. What the page leaves out (the
year, the day of "2 hours ago", which of three zones "IST" is) comes from a
`DateContext`: when the page was copied, the page's own copyright year, the order of
its numeric dates, the places it names. A value that needed such a guess is marked
ambiguous, so ingest lists the field under `review`.

A name is a person's name, never a job title, a desk or an outlet.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

# --------------------------------------------------------------------------- months

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        (
            "january jan janeiro janvier enero januari januar jänner gennaio gen stycznia styczeń ledna leden ocak ianuarie "
            "январь января янв січня січень يناير"
        ),
        (
            "february feb fevereiro fev février févr febrero febr februari februar febbraio lutego luty února únor şubat "
            "februarie февраль февраля фев лютого лютий فبراير"
        ),
        (
            "march mar março marco mars marzo maret märz maart marca marzec března březen mart martie марта март березня "
            "березень مارس"
        ),
        (
            "april apr abril abr avril aprile kwietnia kwiecień dubna duben nisan aprilie апреля апрель апр квітня квітень "
            "أبريل"
        ),
        "may maio mai mayo mei maggio mag maja maj května květen mayıs мая май травня травень مايو",
        (
            "june jun junho juin junio juni giugno giu czerwca czerwiec června červen haziran iunie июня июнь червня "
            "червень يونيو"
        ),
        (
            "july jul julho juillet juil julio juli luglio lug lipca lipiec července červenec temmuz iulie июля июль "
            "липня липень يوليو"
        ),
        (
            "august aug agosto ago août agustus agu augustus augusti sierpnia sierpień srpna srpen ağustos "
            "августа август авг серпня серпень أغسطس"
        ),
        (
            "september sep sept setembro set septembre septiembre settembre września wrzesień září eylül septembrie "
            "сентября сентябрь сен вересня вересень سبتمبر"
        ),
        (
            "october oct outubro out octobre octubre ottobre ott oktober okt października październik října říjen ekim "
            "octombrie октября октябрь жовтня жовтень أكتوبر"
        ),
        (
            "november nov novembro novembre noviembre nopember listopada listopad listopadu kasım noiembrie ноября "
            "ноябрь листопада листопад نوفمبر"
        ),
        (
            "december dec dezembro dez décembre déc diciembre dic dicembre desember dezember grudnia grudzień prosince "
            "prosinec aralık decembrie декабря декабрь дек грудня грудень ديسمبر"
        ),
    ],
    start=1,
):
    for _name in _names.split():
        _MONTHS.setdefault(_name, _number)

_MONTH_NAMES = "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True))
# A month name as a whole word ("mar" in "market" is not March), optionally abbreviated with a dot.
_MONTH = r"(?<![^\W\d_])(?P<month>" + _MONTH_NAMES + r")(?![^\W\d_])\.?"
# A year ends at a non-digit, or where a time glued to it begins ("19.2.202016:20").
_YEAR = r"(?P<year>(?:19|20)\d{2})(?:(?!\d)|(?=\d{1,2}[:.]\d\d))"
_DAY = r"(?P<day>[0-3]?\d)"
_ORDINAL = r"(?:st|nd|rd|th|er|º|\.)?"

# Forms with a four-digit year, most specific first. A date may run straight into
# the next word ("18.11.2019Get short URL"), so the year ends at a non-digit, not at a
# word boundary.
_DATE_PATTERNS = [
    re.compile(r"(?<![\d.])(?P<year>(?:19|20)\d{2})([-/.])(?P<mnum>[01]?\d)\2(?P<day>[0-3]?\d)(?!\d)"),
    re.compile(_MONTH + r"\s*" + _DAY + r"(?:st|nd|rd|th)?(?!\d)\s*,?\s*(?:de\s+)?" + _YEAR, re.IGNORECASE),
    re.compile(r"(?<!\d)" + _DAY + _ORDINAL + r"\s*(?:de\s+|of\s+)?" + _MONTH + r"\s*,?\s*(?:de\s+)?['’]?" + _YEAR, re.IGNORECASE),
    re.compile(r"(?P<year>(?:19|20)\d{2})\s*[年.]\s*(?P<mnum>\d{1,2})\s*[月.]\s*(?P<day>\d{1,2})\s*日?"),
    re.compile(r"(?P<year>(?:19|20)\d{2})\s*년\s*(?P<mnum>\d{1,2})\s*월\s*(?P<day>\d{1,2})\s*일"),
    re.compile(r"(?<![\d.:/])(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)" + _YEAR),
]
# "11/19/19 06:56 AM", "10.15.15": a two-digit year, read only in a short line or before a time.
_SHORT_YEAR = re.compile(r"(?<![\d.:/])(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)(?P<yy>\d{2})(?![\d/]|\.\d)")
# Forms without a year ("Nov 19, 6:55 AM", "18 Nov", "1. 11.", "3/9(木)"): read only when
# the context gives the year.
_NO_YEAR = [
    re.compile(_MONTH + r"\s*" + _DAY + r"(?:st|nd|rd|th)?(?![\d:])(?!\s*,?\s*\d{4})", re.IGNORECASE),
    re.compile(r"(?<!\d)" + _DAY + _ORDINAL + r"\s+(?:de\s+)?" + _MONTH + r"(?!\s*,?\s*(?:de\s+)?\d)", re.IGNORECASE),
    re.compile(r"^\D{0,12}?(?<![\d.])" + _DAY + r"\.\s?(?P<mnum>[01]?\d)\.(?![\d.])"),
    re.compile(r"(?<![\d/])(?P<mnum>1[0-2]|0?[1-9])/" + _DAY + r"\s*[(（][月火水木金土日]"),
]
_HAS_DIGIT = re.compile(r"\d")
_YEAR_ANYWHERE = re.compile(r"(?:19|20)\d\d")

# A machine timestamp printed on the page (2019-11-18T22:05:36Z) carries its own offset.
_ISO_TIMESTAMP = re.compile(r"\b(?:19|20)\d{2}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})(?!\w)")
TIME = re.compile(
    r"(?<![\d:])(?P<h>\d{1,2})(?:[:h]|\.(?=[0-5]\d\s*(?:[ap]\.?\s?m|[A-Z]{2,5}\b|Uhr\b)))(?P<m>[0-5]\d)(?::(?P<s>[0-5]\d))?\s*(?P<ampm>[ap]\.?\s?m\.?)?"
    r"(?:,?\s*\(?(?P<tz>[A-Za-z]{1,12}))?(?:\s*(?P<off>[+\-−]\s?\d{1,2}(?::?\d{2})?)(?!\d))?",
    re.IGNORECASE,
)
# "Updated 0339 GMT": a 24-hour time without a colon, read only before a zone name.
_MILITARY_TIME = re.compile(r"(?<![\d:])(?P<h>[01]\d|2[0-3])(?P<m>[0-5]\d)\s*(?P<tz>GMT|UTC|Z)\b")

UPDATED = re.compile(
    r"\b(?:updated?|modified|last updated|atualizad[oa]|diperbarui|обновлено|mis à jour|actualizado|aktualisiert|aggiornato)\b",
    re.IGNORECASE,
)
PUBLISHED = re.compile(
    r"\b(?:published|posted|publicado|publicada|diterbitkan|опубликовано|publié|veröffentlicht|pubblicato|first published)\b",
    re.IGNORECASE,
)

# --------------------------------------------------------------------------- zones

# Zone abbreviations to IANA zones, so the offset follows daylight saving time
# on the day in question ("ET" on September 17 is -04:00, in January -05:00).
# Pages often write "EST" all year round; the zone is what they mean.
_ZONES = {
    "ET": "America/New_York", "EST": "America/New_York", "EDT": "America/New_York",
    "CT": "America/Chicago", "CDT": "America/Chicago",
    "MT": "America/Denver", "MDT": "America/Denver",
    "PT": "America/Los_Angeles", "PDT": "America/Los_Angeles",
    "AKST": "America/Anchorage", "AKDT": "America/Anchorage", "HST": "Pacific/Honolulu", "HDT": "Pacific/Honolulu",
    "NST": "America/St_Johns", "NDT": "America/St_Johns", "ADT": "America/Halifax",
    "GMT": "UTC", "UTC": "UTC", "Z": "UTC", "UK": "Europe/London", "WET": "Europe/Lisbon", "WEST": "Europe/Lisbon",
    "CET": "Europe/Paris", "CEST": "Europe/Paris", "MEZ": "Europe/Berlin", "MESZ": "Europe/Berlin",
    "EET": "Europe/Athens", "EEST": "Europe/Athens", "MSK": "Europe/Moscow", "TRT": "Europe/Istanbul",
    "WAT": "Africa/Lagos", "CAT": "Africa/Maputo", "EAT": "Africa/Nairobi", "SAST": "Africa/Johannesburg",
    "GST": "Asia/Dubai", "IRST": "Asia/Tehran", "PKT": "Asia/Karachi", "NPT": "Asia/Kathmandu",
    "ICT": "Asia/Bangkok", "WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura",
    "SGT": "Asia/Singapore", "MYT": "Asia/Kuala_Lumpur", "HKT": "Asia/Hong_Kong", "PHT": "Asia/Manila",
    "JST": "Asia/Tokyo", "KST": "Asia/Seoul", "AWST": "Australia/Perth", "ACST": "Australia/Adelaide",
    "ACDT": "Australia/Adelaide", "AEST": "Australia/Sydney", "AEDT": "Australia/Sydney",
    "NZST": "Pacific/Auckland", "NZDT": "Pacific/Auckland",
    "BRT": "America/Sao_Paulo", "ART": "America/Argentina/Buenos_Aires", "CLT": "America/Santiago",
    "COT": "America/Bogota", "PET": "America/Lima",
}

# Abbreviations that name more than one zone: the candidates, the usual one first,
# each with words that place a page there (its country, cities, currency, domain).
_AMBIGUOUS_ZONES: dict[str, list[tuple[str, str]]] = {
    "IST": [
        ("Asia/Kolkata", r"india|indian|delhi|mumbai|bengaluru|bangalore|chennai|kolkata|hyderabad|lakh|crore|₹|rs\.? \d|\.in\b"),
        ("Europe/Dublin", r"ireland|irish|dublin|cork|galway|limerick|\.ie\b"),
        ("Asia/Jerusalem", r"israel|israeli|jerusalem|tel aviv|haifa|₪|shekel|\.il\b"),
    ],
    "CST": [
        ("America/Chicago", r"texas|chicago|houston|dallas|san antonio|minnesota|iowa|missouri|wisconsin|illinois|oklahoma|louisiana|alabama|tennessee|arkansas|kansas|nebraska|mexico city"),
        ("Asia/Shanghai", r"china|chinese|beijing|shanghai|shenzhen|guangzhou|xinhua|yuan|renminbi|taiwan|taipei"),
        ("America/Havana", r"cuba|cuban|havana"),
    ],
    "BST": [
        ("Europe/London", r"london|britain|british|england|english|scotland|wales|manchester|£|\buk\b|\.co\.uk\b"),
        ("Asia/Dhaka", r"bangladesh|dhaka|chittagong|taka|৳|\.bd\b"),
    ],
    "AST": [
        ("America/Halifax", r"nova scotia|halifax|new brunswick|prince edward island|puerto rico|san juan|bermuda|caribbean"),
        ("Asia/Riyadh", r"saudi|riyadh|jeddah|kuwait|qatar|doha|bahrain|iraq|baghdad|yemen|mecca"),
    ],
    "AMT": [
        ("Asia/Yerevan", r"armenia|armenian|yerevan|karabakh"),
        ("America/Manaus", r"manaus|amazonas|brasil|brazil"),
    ],
    "PST": [
        ("America/Los_Angeles", r"california|los angeles|san francisco|seattle|oregon|washington state|nevada|las vegas|vancouver|silicon valley"),
        ("Asia/Manila", r"philippines|philippine|filipino|manila|cebu|davao|₱|peso|\.ph\b"),
    ],
    "MST": [
        ("America/Denver", r"colorado|denver|arizona|phoenix|utah|new mexico|montana|wyoming|idaho|alberta|calgary"),
        ("Asia/Kuala_Lumpur", r"malaysia|malaysian|kuala lumpur|penang|ringgit"),
    ],
}


_AMBIGUOUS_WORD = re.compile(r"(?<![^\W\d_])(?:" + "|".join(_AMBIGUOUS_ZONES) + r")(?![^\W\d_])", re.IGNORECASE)

# --------------------------------------------------------------------------- context


@dataclass(frozen=True)
class DateContext:
    """What the rest of the page (and the copy) tells about reading one of its dates."""

    reference: datetime | None = None  # when the page was copied: "2 hours ago", dates without a year
    year: int | None = None  # the page's own year (its copyright line), for dates without one
    day_first: bool | None = None  # numeric dates: day before month, when the page or its language says
    zones: Mapping[str, str] = field(default_factory=dict)  # ambiguous abbreviations the page's places settle
    unsure_zones: frozenset[str] = frozenset()  # ambiguous abbreviations nothing settles


_NUMERIC_DATE = re.compile(r"(?<![\d.:/])(\d{1,2})[/.-](\d{1,2})[/.-](?:19|20)?\d{2}(?![\d/])")
_COPYRIGHT_YEAR = re.compile(r"(?:©|\(c\)|copyright)[^\n]{0,40}?((?:19|20)\d{2})(?:\s*[-–]\s*((?:19|20)\d{2}))?", re.IGNORECASE)


def date_context(text: str, language: str | None = None, reference: datetime | None = None) -> DateContext:
    """Read the page once for what its dates leave out.

    The order of numeric dates comes from any of them that can only be read one
    way (a first number above 12 is a day), else from the language: English pages
    are read month first, others day first. The year for dates printed without one
    is the newest year of the page's copyright lines.
    """
    sample = text[:200_000]
    firsts = seconds = 0
    for m in _NUMERIC_DATE.finditer(sample):
        a, b = int(m.group(1)), int(m.group(2))
        firsts += a > 12 >= b
        seconds += b > 12 >= a
    day_first: bool | None
    if firsts and not seconds:
        day_first = True
    elif seconds and not firsts:
        day_first = False
    else:
        day_first = None if language in (None, "en") else True
    years = [int(y) for m in _COPYRIGHT_YEAR.finditer(sample) for y in m.groups() if y]
    lower = sample.lower()
    zones: dict[str, str] = {}
    unsure: set[str] = set()
    # The ambiguous abbreviations the page writes after a time ("11:06am ist").
    present = {m.group(0).upper() for m in _AMBIGUOUS_WORD.finditer(sample) if _HAS_DIGIT.search(sample, max(0, m.start() - 12), m.start())}
    for abbreviation, candidates in _AMBIGUOUS_ZONES.items():
        if abbreviation not in present:
            continue
        counts = [len(re.findall(r"(?<![^\W\d_])(?:" + signals + r")", lower)) for _zone, signals in candidates]
        best = max(range(len(candidates)), key=lambda i: counts[i])
        if counts[best] and counts.count(counts[best]) == 1:
            zones[abbreviation] = candidates[best][0]
        else:
            unsure.add(abbreviation)
    return DateContext(reference, max(years) if years else None, day_first, zones, frozenset(unsure))


# --------------------------------------------------------------------------- reading one date


def parse_date_in(text: str, context: DateContext | None = None) -> tuple[datetime | date, bool] | None:
    """The first date in a line, with its time and zone when the line gives them.

    Returns (value, ambiguous): ambiguous when reading it needed a guess (the order
    of day and month, the year, a zone abbreviation several zones share, a date
    relative to the copy). A time without a zone is not turned into an offset we
    would have to guess: the day alone is returned. Without a context, only dates
    that print their year are read.
    """
    if not _HAS_DIGIT.search(text) and not (context and context.reference):
        return None
    if _YEAR_ANYWHERE.search(text):
        iso_match = _ISO_TIMESTAMP.search(text)
        if iso_match:
            try:
                return datetime.fromisoformat(iso_match.group(0).replace("Z", "+00:00").replace(" ", "T")), False
            except ValueError:
                pass
        for pattern in _DATE_PATTERNS:
            for m in pattern.finditer(text):
                found = _day_of(m, context)
                if found is not None:
                    day, ambiguous = found
                    value, unsure_zone = _with_time(day, text, m.end(), context)
                    return value, ambiguous or unsure_zone
    m = _SHORT_YEAR.search(text)
    if m and (len(text) <= 60 or TIME.search(text, m.end(), m.end() + 16)):
        found = _day_of(m, context)
        if found is not None:
            value, unsure_zone = _with_time(found[0], text, m.end(), context)
            return value, found[1] or unsure_zone
    if context is None:
        return None
    year = context.reference.year if context.reference else context.year
    if year is not None and len(text) <= 120:
        for k, pattern in enumerate(_NO_YEAR):
            if k >= 2 and len(text) > 30:
                break  # "1. 11.", "3/9(木)": only a line that is hardly more than the date
            m = pattern.search(text)
            if m:
                found = _day_of(m, context, year=year)
                if found is not None:
                    value, _unsure = _with_time(found[0], text, m.end(), context)
                    return value, True
    if context.reference is not None and len(text) <= 120:
        return relative_date(text, context)
    return None


def _day_of(m: re.Match, context: DateContext | None, year: int | None = None) -> tuple[date, bool] | None:
    """The calendar day a pattern matched, and whether its day/month order was a guess."""
    groups = m.groupdict()
    ambiguous = False
    try:
        if groups.get("year"):
            year = int(groups["year"])
        elif groups.get("yy"):
            year = 2000 + int(groups["yy"]) if int(groups["yy"]) < 70 else 1900 + int(groups["yy"])
        if year is None:
            return None
        if groups.get("month"):
            month, day = _MONTHS[groups["month"].lower().rstrip(".")], int(groups["day"])
        elif groups.get("mnum"):
            month, day = int(groups["mnum"]), int(groups["day"])
        else:
            a, b = int(groups["a"]), int(groups["b"])
            if a > 12:
                day, month = a, b
            elif b > 12:
                month, day = a, b
            else:
                day_first = context.day_first if context is not None else None
                if day_first is None:
                    # Slashes are the American order, dots the European one.
                    day_first = groups.get("sep") != "/"
                day, month = (a, b) if day_first else (b, a)
                ambiguous = a != b and (context is None or context.day_first is None)
        value = date(year, month, day)
    except (ValueError, KeyError):
        return None
    undated = not groups.get("year") and not groups.get("yy")
    # A date shown without its year is the last such day on or before the copy.
    if undated and context is not None and context.reference is not None and value > context.reference.date() + timedelta(days=1):
        try:
            value = value.replace(year=value.year - 1)
        except ValueError:
            return None
    return value, ambiguous


def date_start(text: str) -> int | None:
    """Where the first date in the text begins (with or without its year), or None."""
    starts = [m.start() for pattern in (*_DATE_PATTERNS, _SHORT_YEAR, *_NO_YEAR[:2]) for m in [pattern.search(text)] if m]
    return min(starts) if starts else None


def with_time(day: date, text: str, after: int = 0) -> datetime | date:
    """The day with the line's time and zone, when the line shows both (see `parse_date_in`)."""
    return _with_time(day, text, after, None)[0]


def _with_time(day: date, text: str, after: int, context: DateContext | None) -> tuple[datetime | date, bool]:
    """(value, unsure): the day at the line's time in the zone the line names; unsure if that zone was a guess."""
    # The time after the date first ("Nov 20 2019 4:29 AM"), then anywhere in the line.
    for tm in [*TIME.finditer(text, after), *TIME.finditer(text, 0, after), *_MILITARY_TIME.finditer(text)]:
        hour, minute = int(tm["h"]), int(tm["m"])
        ampm = (tm.groupdict().get("ampm") or "").lower().replace(".", "").replace(" ", "")
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        if hour > 23:
            continue
        clock = time(hour, minute, int(tm.groupdict().get("s") or 0))
        offset = _offset(tm.groupdict().get("off"))
        letters = tm["tz"] or ""
        if offset is not None and letters.upper() in ("", "GMT", "UTC"):
            return datetime.combine(day, clock, timezone(offset)), False
        zone, unsure = _zone(letters, context)
        if zone is not None:
            return datetime.combine(day, clock, zone).astimezone(zone), unsure
        return day, False
    return day, False


def _offset(text: str | None) -> timedelta | None:
    """ "+05:30", "-0500", "+3" as an offset from UTC (None if absent or not an offset)."""
    if not text:
        return None
    digits = text.replace("−", "-").replace(" ", "").replace(":", "")
    sign = -1 if digits[0] == "-" else 1
    hours, minutes = (int(digits[1:-2]), int(digits[-2:])) if len(digits) > 3 else (int(digits[1:]), 0)
    if hours > 14 or minutes >= 60:
        return None
    return sign * timedelta(hours=hours, minutes=minutes)


def _zone(letters: str, context: DateContext | None) -> tuple[ZoneInfo | None, bool]:
    """The zone an abbreviation after a time names, and whether that was a guess.

    Pages run words together ("4:29 AM ESTUPDATED"): the zone is the longest known
    abbreviation the letters start with, if in capitals (or the whole word).
    """
    for n in range(min(5, len(letters)), 0, -1):
        candidate = letters[:n].upper()
        if not (letters[:n].isupper() or n == len(letters)):
            continue
        if candidate in _AMBIGUOUS_ZONES:
            if context is not None and candidate in context.zones:
                return ZoneInfo(context.zones[candidate]), False
            return ZoneInfo(_AMBIGUOUS_ZONES[candidate][0][0]), True
        if candidate in _ZONES and (n > 1 or len(letters) == 1):
            return ZoneInfo(_ZONES[candidate]), False
    return None, False


# --------------------------------------------------------------------------- dates relative to the copy

_UNITS = {
    "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1, "segundos": 1, "secondes": 1, "sekunden": 1,
    "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60, "minuto": 60, "minutos": 60, "minuti": 60, "minuten": 60,
    "menit": 60, "минут": 60, "минуты": 60, "минуту": 60, "minutami": 60, "minut": 60, "dakika": 60,
    "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600, "hora": 3600, "horas": 3600, "heure": 3600,
    "heures": 3600, "stunde": 3600, "stunden": 3600, "ora": 3600, "ore": 3600, "uur": 3600, "jam": 3600, "час": 3600,
    "часа": 3600, "часов": 3600, "hodinou": 3600, "hodinami": 3600, "godzin": 3600, "godziny": 3600, "godzinę": 3600,
    "saat": 3600,
    "d": 86400, "day": 86400, "days": 86400, "día": 86400, "días": 86400, "dia": 86400, "dias": 86400, "jour": 86400,
    "jours": 86400, "tag": 86400, "tagen": 86400, "giorno": 86400, "giorni": 86400, "dag": 86400, "dagen": 86400,
    "hari": 86400, "день": 86400, "дня": 86400, "дней": 86400, "dnem": 86400, "dny": 86400, "dni": 86400, "gün": 86400,
    "w": 604800, "wk": 604800, "wks": 604800, "week": 604800, "weeks": 604800, "semana": 604800, "semanas": 604800,
    "semaine": 604800, "semaines": 604800, "woche": 604800, "wochen": 604800, "settimana": 604800, "settimane": 604800,
}
_UNIT = "|".join(sorted(map(re.escape, _UNITS), key=len, reverse=True))
_NUMBER = r"(?P<n>\d{1,3}|an?|one|un|une|uno|una|ein|eine|einem|einer)"
_AGO = re.compile(
    r"(?<![^\W\d_])(?:"
    + _NUMBER + r"\s*(?P<unit>" + _UNIT + r")\s+(?:ago|fa|geleden|(?:yang\s+)?lalu|назад|temu|önce)"
    + r"|(?:hace|há|ha|il y a|vor|před|pred)\s+" + _NUMBER.replace("?P<n>", "?P<n2>") + r"\s*(?P<unit2>" + _UNIT + r")"
    + r")(?![^\W\d_])",
    re.IGNORECASE,
)
# "8h", "3d" standing alone or after a separator ("James Akinaka • 8h").
_COMPACT_AGO = re.compile(r"(?:^|[•·|]\s*)(?P<n>\d{1,3})\s?(?P<unit>[mhdw])$", re.IGNORECASE)
_DAYS_BACK = {
    "today": 0, "hoy": 0, "hoje": 0, "aujourd'hui": 0, "heute": 0, "oggi": 0, "vandaag": 0, "hari ini": 0,
    "сегодня": 0, "dnes": 0, "dzisiaj": 0, "bugün": 0, "just now": 0, "à l'instant": 0,
    "yesterday": 1, "ayer": 1, "ontem": 1, "gestern": 1, "ieri": 1, "gisteren": 1, "kemarin": 1,
    "вчера": 1, "včera": 1, "wczoraj": 1, "dün": 1,
}
_DAY_WORD = re.compile(r"(?<![^\W\d_])(?P<word>" + "|".join(sorted(map(re.escape, _DAYS_BACK), key=len, reverse=True)) + r")(?![^\W\d_])", re.IGNORECASE)
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
# "Monday 5:30PM": a weekday with a time and no date is the last such day before the copy.
_WEEKDAY_AT = re.compile(r"^\W*(?P<weekday>" + "|".join(_WEEKDAYS) + r")\b,?\s*(?:at\s+)?\d{1,2}[:.]\d\d", re.IGNORECASE)


def relative_date(text: str, context: DateContext) -> tuple[datetime | date, bool] | None:
    """A date written relative to the copy ("22 hours ago", "Yesterday at 9:14", "3d"), against `context.reference`.

    Always ambiguous: the copy time is the file's, not necessarily the reader's.
    """
    reference = context.reference
    if reference is None:
        return None
    m = _AGO.search(text) or _COMPACT_AGO.search(text.strip())
    if m:
        groups = m.groupdict()
        count = groups.get("n") or groups.get("n2") or "1"
        unit = (groups.get("unit") or groups.get("unit2") or "").lower()
        n = int(count) if count.isdigit() else 1
        seconds = _UNITS.get(unit) or _UNITS.get(unit.rstrip("s"))
        if seconds is None:
            return None
        return (reference - timedelta(seconds=n * seconds)).date(), True
    m = _DAY_WORD.search(text)
    # "Today 12:01 AM", "Yesterday": the word with a time, or alone (it is a common word too).
    if m and (TIME.search(text) or len(text.strip(" .,:|•·-")) == len(m["word"])):
        day = (reference - timedelta(days=_DAYS_BACK[m["word"].lower()])).date()
        value, _unsure = _with_time(day, text, m.end(), context)
        return value, True
    m = _WEEKDAY_AT.search(text)
    if m:
        back = (reference.weekday() - _WEEKDAYS.index(m["weekday"].lower())) % 7
        day = (reference - timedelta(days=back)).date()
        value, _unsure = _with_time(day, text, m.end(), context)
        return value, True
    return None


# --------------------------------------------------------------------------- names

# Job titles and placeholders that are not people (the issue: not "Staff",
# "Tech Correspondent" or "By").
_NOT_A_PERSON = re.compile(
    r"\b(?:staff|correspondent|reporter|editor|editors|writer|writers|contributor|columnist|producer|"
    r"bureau|desk|team|news|agency|wire|press|service|reuters|associated|afp|editorial|admin|administrator|"
    r"guest|author|authors|updated|published|posted|photographer|analyst|intern|senior|chief|"
    r"newsroom|media|online|digital|the|and|of|redaktion|redacción|redação|rédaction|redazione|"
    r"support|webmaster|anonymous|unknown|sponsored)\b",
    re.IGNORECASE,
)

_NOT_IN_NAMES = frozenset(
    [
        "an", "in", "to", "on", "at", "is", "it", "as", "or", "any", "the", "of", "and", "for", "with", "from", "more", "most", "new", "all", "this", "that", "our", "your", "their",
        "his", "her", "my", "no", "not", "how", "what", "why", "when", "who", "read", "share", "follow", "view", "see",
        "latest", "top", "best", "news", "video", "photos", "next", "previous", "prev", "post", "posts", "home", "insider",
        "sport", "sports", "blog", "page", "print", "email", "menu", "search", "close", "subscribe", "live", "opinion", "world",
        "business", "politics", "tech", "comments", "contact", "about", "login", "register", "sign", "account", "newsletter",
        "podcast", "podcasts", "local", "national", "international", "culture", "science", "health", "travel", "food",
        "lifestyle", "entertainment", "weather", "markets", "economy", "education", "technology", "environment", "climate",
        "events", "magazine", "archive", "archives", "categories", "category", "tags", "tag", "featured", "trending", "popular",
        "more", "january", "february", "march", "september", "october", "november",
        "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today", "yesterday",
    ]
)
_NAME_TOKEN = re.compile(r"^(?:[A-ZÀ-ÖØ-ÞА-ЯЁ][\w'’.-]*|de|da|do|dos|das|del|della|der|den|van|von|la|le|du|bin|binti|al|el|ibn|y|e|ter|te)$")
# Degrees and credentials after a name ("Rachael Link, MS, RD", "Brenda Goodman, MA").
_CREDENTIAL = re.compile(r"^(?:M\.?[AS]c?|Ph\.?D|M\.?D|R\.?[DN]|MPH|MBA|DPhil|JD|LLM|B\.?[AS]c?|CPA|MSc|DO|PA-C|FRCP|MSN|DNP|LCSW|NP)\.?$")


def clean_name(text: str, single: bool = False) -> str | None:
    """A person's name, or None for job titles, outlets and anything not name-shaped.

    `single` accepts a one-word name ("by Catherine"): only where a byline's "by"
    says a person follows.
    """
    text = re.sub(r"\s+", " ", text).strip(" ,;:|·•-–—")
    # A name run together with an outlet or role ("Jonathan GarberFOXBusiness").
    text = re.sub(r"(?<=[a-z])[A-Z]{2,}\w*$", "", text)
    if not text or _NOT_A_PERSON.search(text) or re.search(r"\d|@|http|[()\[\]{}/\\<>=+*#]", text):
        return None
    tokens = text.split()
    if len(tokens) == 1 and single:
        word = tokens[0]
        if len(word) < 3 or word.isupper() or not word[0].isupper() or not word[1:].islower() or word.lower() in _NOT_IN_NAMES:
            return None
        return word
    if not 2 <= len(tokens) <= 5 or not all(_NAME_TOKEN.match(t) for t in tokens):
        return None
    if not tokens[0][0].isupper() or not tokens[-1][0].isupper():
        return None
    # Column names and slogans ("Any Means Necessary") have function words; names do not.
    if any(t.lower().strip(".") in _NOT_IN_NAMES for t in tokens):
        return None
    # A name is not a run of initials or abbreviations ("U.S. Navy", "AP NEWS").
    if sum(1 for t in tokens if t.isupper() and 2 <= len(t) <= 4 and "." not in t) > len(tokens) // 2 and not text.isupper():
        return None
    if text.isupper():
        if len(tokens) > 4 or any(len(t) <= 1 for t in tokens):
            return None
        text = " ".join(t.title() if len(t) > 2 or "." not in t else t for t in tokens)
    return text


_ROLE = re.compile(
    r"(?:[\w.-]+\s+){0,3}"
    r"(?:staff|writers?|reporters?|correspondents?|editors?|columnists?|contributors?|producers?|photographers?|"
    r"journalists?|analysts?|critics?|bloggers?|fellows?|interns?|redakteur(?:in)?|periodista|jornalista|journaliste)\b",
    re.IGNORECASE,
)
# Words that end an outlet's name in a byline ("Sioux Falls Argus Leader", "USA TODAY"):
# common nouns of newspaper names, not any one outlet's.
_OUTLET_WORD = re.compile(
    r"(?i:press|times|news|post|today|journal|herald|tribune|leader|gazette|chronicle|observer|guardian|telegraph|"
    r"standard|star|sun|mail|express|insider|magazine|daily|weekly|review|report|register|record|bulletin|courier|"
    r"dispatch|examiner|inquirer|independent|mirror|monitor|sentinel|wire|agency|network|radio|online|media|"
    r"business|reuters|bloomberg|staff)$"
)


_COLLECTIVE = re.compile(r"(?:staff|staff reports?|desk|team|newsroom|bureau)", re.IGNORECASE)


def name_before_affiliation(text: str) -> str | None:
    """ "JOHN ROE Associated Press" -> "John Roe": a name followed by an outlet or role.

    "Staff" alone after the words is the newsroom, not a person's role: "Labor
    Ledger Staff" names no one (while "Jane Doe, Staff Writer" names Jane Doe).
    """
    tokens = text.split()
    for k in range(len(tokens) - 1, 1, -1):
        head, tail = " ".join(tokens[:k]), " ".join(tokens[k:])
        if _COLLECTIVE.fullmatch(tail):
            return None
        # One word after a name is an outlet only in capitals (an agency: "AP", "PTI");
        # "European Space Agency" is not "European Space" of the Agency.
        outlet = bool(_OUTLET_WORD.search(tail)) and len(tokens) - k >= 2 or tail.isupper() and not head.isupper()
        if _ROLE.match(tail) or (head.isupper() and not tail.isupper()) or outlet:
            name = clean_name(head)
            if name is None:
                continue
            if outlet and k > 2:
                # The name is First [initials or particles] Last; the rest is the outlet's
                # ("Trevor J. Mitchell | Sioux Falls Argus Leader").
                core = [tokens[0]]
                for t in tokens[1:k]:
                    core.append(t)
                    if not (len(t.rstrip(".")) <= 1 or t.islower()):
                        break
                name = clean_name(" ".join(core)) or name
            return name
    return None


# A label or "by" that says a person's name follows, in the languages of the bench.
BY = re.compile(
    r"^(?:(?:article|story|words|text|report|reporting|reported|analysis|interview|photos? and text|written|posted|"
    r"published|compiled|texto|texte|oleh|geschrieben|publicado|publicada|publié|publiée|escrito|escrita|scritto|"
    r"verfasst|автор|текст)\s*)?"
    r"(?:(?:by)+(?:\b|(?-i:(?=[A-Z][a-z])))|(?:por|par|von|oleh|door|(?-i:di|od|av|af)|от)\b)[:\s]*"
    r"|^(?:authors?|autor(?:a|es|in)?|auteur(?:e|s)?|penulis|writer|reporter|text|texto|texte|текст|автор|written by|"
    r"words|story|byline|作者|记者|글|기자)\s*[:：]\s*",
    re.IGNORECASE,
)
_STOP_AT = re.compile(
    r"\s*(?:\S*@|\bhttps?:|\s[|•·—–]\s|[|•·]|\s-\s|\s-$|\s{2,}|(?:\blast\s+)?\bupdated\b|\s+in\s+(?=[A-Z])|\bpublished\b|\bposted\b|\blast\s+modified\b|"
    r"\b(?:on|am|le|el|em|il|op|pada|на)\s+(?=[^\n]{0,25}\d)|\bat\s+\d|\d|\bfollow\b|\bview\s+more\b|\bmore\s+(?:articles|stories|from)\b|"
    r"\bread\s+more\b|\bcontact\b|\bemail\b|\bshare\b)",
    re.IGNORECASE,
)
# What stands between a byline's names and its date ("on Monday,", "publiziert am", "|").
_BEFORE_DATE = re.compile(
    r"(?:[\s,|/•·–—-]+|\b(?:on|am|le|el|em|il|op|pada|at|um|à|de|del|den|the|published|posted|updated|publiziert|"
    r"veröffentlicht|publicado|publicada|publié|publiée|pubblicato|geschrieben|"
    + "|".join(_WEEKDAYS) + r"|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\b\.?)+$",
    re.IGNORECASE,
)
# A part of a byline that is a job title: words ending in a newsroom role.
_ROLE_AFTER_NAME = re.compile(
    r"^(?:\S+\s+){1,3}(?:writers?|reporters?|correspondents?|editors?|columnists?|contributors?|producers?|photographers?|journalists?|analysts?)$",
    re.IGNORECASE,
)
_NAME_SEPARATORS = re.compile(r"\s*(?:,\s*(?:and|und|et|y|e|i|og|och|en|и)\s+|,|;|\s+(?:and|&|und|et|y|e|i|og|och|en|dan|и|avec|with|mit|con|com)\s+)\s*")


def split_names(text: str, single: bool = False) -> list[str]:
    """The people in what follows a byline's "By": "Ana Ruiz and Tom Berg, Staff Writers" -> both names.

    A byline runs on into a date, a handle, a role or the outlet ("By Chaim
    Gartenberg@cgartenberg Nov 19, 2019", "Kevin Johnson and Kevin McCoy USA TODAY"):
    the names end where those begin. `single` accepts a one-word first name.
    """
    # Copied bylines run the name into the role or outlet that followed it in
    # another element ("Meg JamesStaff Writer"): a capital straight after two
    # lower-case letters starts something else (McDonald, DeArdo are unaffected).
    text = re.split(r"(?<=[a-z]{2})(?<!\bMac)(?=[A-Z])", text, maxsplit=1)[0]
    text = re.sub(r"\((?:avec|with|mit|con|com|et|and)\s+([^()]*)\)", r", \1", text, flags=re.IGNORECASE)
    # Parts credited for pictures are not the story's writers.
    text = re.sub(r"(?:,?\s*(?:and|&)\s+)?[^,()]*\((?:photo\w*|pictures|images|video|illustrations?|graphics)\)", "", text, flags=re.IGNORECASE)
    text = re.sub(r" ?\([^()]*\) ?", " ", text)  # one space where it was, not a gap that reads as the byline's end
    # A handle glued to the name ("Alissa Wilkinson@alissamarie") goes; an e-mail address ends the names.
    text = re.sub(r"\b([A-ZÀ-Ý][\w'’-]*[a-zà-ÿ])@\S*", r"\1 ", text)
    # "By STEVEN DAVIDOFF SOLOMON JULY 29, 2016": the names end where the date begins.
    at = date_start(text) if _HAS_DIGIT.search(text) else None
    if at is not None:
        text = _BEFORE_DATE.sub("", text[:at])
    stop = _STOP_AT.search(text)
    if stop:
        text = text[: stop.start()]
    names: list[str] = []
    for part in _NAME_SEPARATORS.split(text):
        part = part.strip(" ,:;")
        # A full stop ends a sentence, not an initial or "Jr." ("Perry Bacon Jr.", "Joe S.").
        if part.endswith(".") and not re.search(r"(?:\b[A-ZÀ-Ý]|\b(?:Jr|Sr|St))\.$", part):
            part = part.rstrip(".").rstrip()
        if not part:
            continue
        if _CREDENTIAL.match(part):
            continue  # "Rachael Link, MS, RD"
        if names and _ROLE_AFTER_NAME.search(part):
            break  # "Tom Krisher, AP Auto Writer": the role, not a second person
        name = clean_name(part, single=single and not names) or name_before_affiliation(part)
        if name:
            names.append(name)
            if name != part and not clean_name(part):
                break  # the outlet or role followed the name: nothing more
        elif names:
            break  # "By Jane Doe, Senior Reporter": stop at the role
    return names


def iso(value: datetime | date | None) -> str | None:
    """ISO 8601: date and time with offset when the time is known, else the day."""
    if value is None:
        return None
    return value.isoformat()
