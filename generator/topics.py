"""Assign topics to an article from the signals in config.yaml, and say why.

An article is read as three fields (title, dek, body), each cut into words. Every
word is folded to a rough stem (case, plural, -ed/-ing, final -e, a doubled last
letter), so "Strikes", "striking" and "strike" are one word while "striker" stays
another. The same folding is applied to the phrases in config.yaml, so an editor
writes a phrase once, in any form.

Phrase syntax (docs/topics.md has the editor's version):
  - words are matched whole, in order, across hyphens and line breaks; "the", "a",
    "an", "per", possessives ("their", "its"...) and what an apostrophe leaves are
    ignored on both sides, so "return to the office" is "return to office";
  - a hyphen inside a word means the parts may also be written joined:
    "lay-off" matches "layoff", "lay-offs" and "lay off";
  - "*" stands for up to three words: "cut * job" matches "cut 1,200 jobs";
  - a phrase of weight 0 counts nothing and silences every shorter phrase inside it,
    for every topic: "credit union: 0" keeps "union" from counting there.

Scoring, per topic: each match is worth the phrase's weight times its field's weight
(tagging.title_weight, tagging.dek_weight; 1 in the body's opening, its paragraphs up to the
40th word; after it 1 scaled by sqrt(400 / words) in bodies longer than 400 words). Each
repeat of one phrase counts half the one before. Then, in order:
  - a topic whose score reaches tagging.threshold is a candidate;
  - nothing is assigned if the article is not about work: its work context, scored the same
    way from tagging.work_signals (default WORK_SIGNALS below), must reach
    tagging.work_threshold, with work words in the headline, dek or opening, or through the
    story with twice the threshold (WORK_SPREAD_MIN), so a baseball "strike" or a phone
    review's "AI" assigns nothing;
  - a candidate is what the story spends its words on, not a mention: evidence worth
    HEAD_MIN in the headline, dek or opening, or phrases worth PARAGRAPH_MIN in SPREAD of
    the paragraphs with a score of at least SIDE_SHARE of the story's strongest topic (else
    a side theme of it); a single match in the body is always a mention, and so is
    evidence in one paragraph alone of a body of ONE_PARAGRAPH paragraphs or more;
  - a sibling boundary (Topic.boundaries, from config.yaml) may drop a candidate beside its
    sibling unless a keep_if phrase occurs, none of its keep_without phrases does, or it has
    enough evidence of its own. Siblings also compete for words: a match inside a longer
    sibling match does not count.

A paragraph repeated word for word (a caption a copied page holds twice) is read once.

Speed: the phrases are compiled once per topics tuple into an index keyed by their first
two stems; an article is tokenised with one regular expression and a dict of stems.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import compress

from .model import Config, Tagging, Topic

# The words that say an article is about work at all, with weights, used unless
# config.yaml sets tagging.work_signals. An article's work context is scored like a
# topic; below tagging.work_threshold (2 by default) it gets no topics.
WORK_SIGNALS: tuple[tuple[str, float], ...] = (
    ("worker", 1.0), ("employee", 1.0), ("staff", 1.0), ("staffer", 1.0), ("employ", 1.0),
    ("employer", 1.5), ("workforce", 1.5), ("workplace", 1.5), ("job", 1.0), ("employment", 1.5),
    ("union", 1.5), ("labor", 1.5), ("labour", 1.5), ("wage", 1.5), ("salary", 1.5),
    ("paycheck", 1.5), ("payroll", 1.5), ("hr", 1.0), ("human resources", 1.5),
    ("boss", 1.0), ("manager", 0.5), ("supervisor", 1.0), ("colleague", 0.7), ("co-worker", 1.0),
    ("hire", 0.7), ("hiring", 1.0), ("fired", 0.3), ("demote", 1.0), ("lay-off", 2.0), ("laid off", 2.0),
    ("contractor", 0.7), ("freelancer", 0.7), ("gig", 0.7), ("overtime", 1.0), ("agent", 0.3),
    ("shift", 0.5), ("career", 0.5), ("corporate", 0.5), ("outsource", 1.0),
    ("at work", 1.0), ("on job", 1.0), ("working conditions", 2.0), ("work from home", 1.5),
    ("remote work", 2.0), ("walkout", 1.0), ("on strike", 1.5), ("picket", 1.5),
    ("nlrb", 2.0), ("osha", 2.0), ("collective bargaining", 2.0), ("unionize", 2.0),
    ("warehouse", 0.5), ("factory", 0.5), ("driver", 0.5), ("courier", 0.7),
    ("nurse", 0.3), ("teacher", 0.3), ("engineer", 0.3), ("executive", 0.3), ("ceo", 0.3),
    ("personnel", 1.0), ("minimum wage", 2.0), ("unemployment", 1.0), ("recruit", 0.5),
    ("applicant", 1.0), ("resign", 0.5), ("promotion", 0.3), ("severance", 1.5),
    ("company", 0.3), ("headquarters", 0.5), ("founder", 0.3), ("workload", 1.0),
    ("ride-hail", 1.0), ("delivery worker", 1.0), ("app-based", 1.0), ("freelance", 1.0),
    ("profession", 1.0), ("farmworker", 1.0), ("autoworker", 1.0), ("dockworker", 1.0), ("steelworker", 1.0),
    ("developer", 0.5), ("machinist", 0.5), ("translator", 0.5), ("pilot", 0.3), ("flight attendant", 0.5),
    ("barista", 0.5), ("cashier", 0.5), ("clerk", 0.5), ("technician", 0.5), ("mechanic", 0.5), ("miner", 0.5),
    ("role", 0.3), ("headcount", 1.5), ("out of work", 1.5), ("grievance", 1.0),
    ("pay", 0.5), ("paid", 0.5), ("pay rise", 1.5), ("walk out", 1.0), ("doctor", 0.3), ("actor", 0.3),
    ("pay per view", 0), ("good job", 0), ("great job", 0), ("job done", 0), ("do job", 0),
    ("do * job", 0), ("does * job", 0), ("did * job", 0), ("under fire", 0),
    ("labour party", 0), ("labour leader", 0), ("labour council", 0), ("labour councillor", 0), ("labour mp", 0),
    ("labour government", 0), ("labour member", 0), ("down tools", 1.5), ("return to office", 1.5), ("rto", 1.5),
)
BODY_REFERENCE_WORDS = 400  # bodies up to this long count in full
LEAD_WORDS = 40  # the opening: the body's paragraphs up to the one that reaches this many words
HEAD_MIN = 4.0  # evidence worth this much in the headline, dek or opening: the story is about the topic
SPREAD = 0.2  # ... or evidence in this share of the paragraphs (and at least two) ...
PARAGRAPH_MIN = 2.0  # ... each with phrases worth this much, as written (one strong phrase, or two weak ones) ...
SIDE_SHARE = 0.4  # ... and a score at least this share of the story's strongest topic (else a side theme)
ONE_PARAGRAPH = 5  # in a body of this many paragraphs or more, evidence in one paragraph alone is a mention
OWN_SHARE = 0.5  # beside a sibling, own evidence must also reach this share of the sibling's score
WORK_HEAD_SHARE = 0.75  # work words worth this share of work_threshold in the headline, dek or opening ...
WORK_SPREAD = 0.3  # ... or in this share of the paragraphs (at least two, at most WORK_CAP): the story is about work
WORK_CAP = 8
WORK_SPREAD_MIN = 2.0  # ... with a work context worth this many times work_threshold
DECAY = 0.5  # each repeat of one phrase counts half the one before
GAP = 3  # "*" in a phrase: up to this many words

# A word, or a blank line (a paragraph break): one pass over the text finds both.
_TOKEN = re.compile(r"\w+|\n\s*\n")
_LINK_TARGET = re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
_URL = re.compile(r"<?https?://[^\s>)\]]+>?")
_HTML_TAG = re.compile(r"<[^>\n]{1,200}>")
# Articles, possessives, and what an apostrophe leaves ("workers' " and "Amazon's" are
# "workers" and "amazon"; "don't" is "don").
_IGNORED = frozenset({"the", "a", "an", "per", "their", "its", "our", "his", "her", "your", "my",
                      "s", "t", "d", "ll", "re", "ve", "m"})
_NUMBERS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
            "eight": "8", "nine": "9", "ten": "10"}
_BREAK = "\n"  # stands between paragraphs: no phrase matches across it
_STEMS: dict[str, str] = {}
FIELDS = ("title", "dek", "body")


def stem(word: str) -> str:
    """A rough stem: the same for "strikes", "striking", "strike"; "" for an ignored word."""
    found = _STEMS.get(word)
    if found is not None:
        return found
    if word[:1] == "\n":
        result = _BREAK
    else:
        w = word.casefold()
        if w in _IGNORED:
            result = ""
        elif w in _NUMBERS:
            result = _NUMBERS[w]
        else:
            result = _fold(w)
    if len(_STEMS) > 500_000:
        _STEMS.clear()
    _STEMS[word] = result
    return result


def _fold(w: str) -> str:
    if len(w) <= 3 or not w.isalpha():
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if w.endswith("ied") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("ing") and len(w) > 5:
        w = w[:-3]
    elif w.endswith("ed") and len(w) > 4:
        w = w[:-2]
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiouls":
        w = w[:-1]
    return w


# --------------------------------------------------------------------------- text


@dataclass(frozen=True)
class _Field:
    tokens: list[str]  # stems, ignored words left out, _BREAK between paragraphs
    words: int
    spans: list[tuple[int, int]] | None = None  # (start, end) of each token in clean(text); explain only

    @property
    def breaks(self) -> list[int]:
        """Token positions of the paragraph breaks (list.index runs in C)."""
        out: list[int] = []
        tokens, at = self.tokens, -1
        try:
            while True:
                at = tokens.index(_BREAK, at + 1)
                out.append(at)
        except ValueError:
            return out


def clean(text: str) -> str:
    """Markdown to readable words: link targets, bare URLs and HTML tags go (a URL slug is not prose)."""
    if "](" in text:
        text = _LINK_TARGET.sub("]", text)
    if "://" in text:
        text = _URL.sub(" ", text)
    if "<" in text:
        text = _HTML_TAG.sub(" ", text)
    return text


def _field(text: str, *, with_spans: bool = False) -> _Field:
    text = clean(text)
    if with_spans:
        found = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
        raw = [w for w, _a, _b in found]
    else:
        raw = _TOKEN.findall(text)
    stems = list(map(_STEMS.get, raw))
    if None in stems:
        stems = list(map(stem, raw))
    words = len(raw) - stems.count(_BREAK)
    if with_spans:
        kept = [(s, (a, b)) for s, (_w, a, b) in zip(stems, found) if s]
        return _Field([s for s, _span in kept], words, [span for _s, span in kept])
    return _Field(list(filter(None, stems)), words)


# --------------------------------------------------------------------------- phrases


@dataclass(frozen=True)
class _Phrase:
    topic: int  # index in the topics tuple; -1 for the work context
    text: str  # as the editor wrote it
    weight: float
    variants: tuple[tuple[str, ...], ...]  # stem sequences; "*" is a gap


def phrase_variants(phrase: str) -> tuple[tuple[str, ...], ...]:
    """The stem sequences a phrase matches: a hyphenated word joined and apart."""
    options: list[list[tuple[str, ...]]] = []
    for word in phrase.split():
        if word == "*":
            options.append([("*",)])
            continue
        parts = [stem(p) for p in _TOKEN.findall(word)]
        parts = [p for p in parts if p and p != _BREAK]
        if not parts:
            continue
        choices = [tuple(parts)]
        if len(parts) > 1:
            joined = stem("".join(_TOKEN.findall(word)))
            choices.append((joined,))
        options.append(choices)
    variants: list[tuple[str, ...]] = [()]
    for choices in options:
        variants = [v + c for v in variants for c in choices]
    return tuple(dict.fromkeys(v for v in variants if v and v[0] != "*" and v[-1] != "*"))


@dataclass(frozen=True)
class _Index:
    topics: tuple[Topic, ...]
    phrases: tuple[_Phrase, ...]
    # first stem -> (one-word phrase numbers, {second stem: ((variant, phrase), ...)}, "word * ..." variants)
    heads: dict[str, tuple[tuple[int, ...], dict[str, tuple], tuple]]
    topic_of: tuple[int, ...]  # per phrase
    weight_of: tuple[float, ...]  # per phrase
    # Per topic number, its boundaries: (sibling number, rule, the keep_if phrases' own topic number,
    # whether its own evidence may keep it, the keep_without phrases' own topic number or None).
    boundaries: tuple[tuple[tuple[int, str, int, bool, int | None], ...], ...] = ()
    siblings: tuple[frozenset[int], ...] = ()  # per topic number: the topics it has a boundary with, either way
    owner: tuple[int, ...] = ()  # per phrase: its topic, or for a keep_if phrase the topic whose boundary it is
    boundary_has_phrases: dict[int, bool] = field(default_factory=dict)  # per keep_if pseudo-topic: any phrases?


_COMPILED: dict[tuple[int, int], tuple[tuple, _Index]] = {}


def compile_topics(topics: tuple[Topic, ...], work_signals: tuple[tuple[str, float], ...] | None = None) -> _Index:
    """The compiled index for these topics; the same tuple objects are looked up by identity
    (hashing fifteen topics with all their phrases costs more than tagging an article)."""
    key = (id(topics), id(work_signals))
    cached = _COMPILED.get(key)
    if cached is not None and cached[0][0] is topics and cached[0][1] is work_signals:
        return cached[1]
    index = _compile(topics, WORK_SIGNALS if work_signals is None else work_signals)
    if len(_COMPILED) > 8:
        _COMPILED.clear()
    _COMPILED[key] = ((topics, work_signals), index)
    return index


@lru_cache(maxsize=8)
def _compile(topics: tuple[Topic, ...], work_signals: tuple[tuple[str, float], ...]) -> _Index:
    """Every phrase of every topic, indexed by its first two words (done once per config)."""
    phrases: list[_Phrase] = []
    for number, topic in enumerate(topics):
        for text, weight in topic.signals:
            phrases.append(_Phrase(number, text, weight, phrase_variants(text)))
    for text, weight in work_signals:
        phrases.append(_Phrase(-1, text, weight, phrase_variants(text)))
    # A boundary's keep_if and keep_without phrases are each scored as a topic of their own
    # (numbered from -2 down), so they are matched in the same pass and never add to any
    # topic's score. keep_if phrases compete for words on their topic's side; keep_without
    # phrases only say whether something is named at all.
    numbers = {topic.slug: number for number, topic in enumerate(topics)}
    boundaries: list[tuple[tuple[int, str, int, bool, int | None], ...]] = []
    owners: dict[int, int] = {}
    markers = iter(range(-2, -1_000_000, -1))
    for number, topic in enumerate(topics):
        mine = []
        for boundary in topic.boundaries:
            if boundary.sibling not in numbers:
                continue  # config.py reports it; a Topic built in code may still name one
            marker = next(markers)
            phrases += [_Phrase(marker, text, 1.0, phrase_variants(text)) for text in boundary.keep_if]
            owners[marker] = number
            without = None
            if boundary.keep_without:
                without = next(markers)
                phrases += [_Phrase(without, text, 1.0, phrase_variants(text)) for text in boundary.keep_without]
                owners[without] = without
            mine.append((numbers[boundary.sibling], boundary.rule, marker, boundary.own_evidence, without))
        boundaries.append(tuple(mine))
    heads: dict[str, tuple[list, dict, list]] = {}
    for number, phrase in enumerate(phrases):
        for variant in phrase.variants:
            single, pairs, gapped = heads.setdefault(variant[0], ([], {}, []))
            if len(variant) == 1:
                single.append(number)
            elif variant[1] == "*":
                gapped.append((variant, number))
            else:
                pairs.setdefault(variant[1], []).append((variant, number))
    return _Index(
        topics,
        tuple(phrases),
        {k: (tuple(s), {k2: tuple(v2) for k2, v2 in p.items()}, tuple(g)) for k, (s, p, g) in heads.items()},
        tuple(p.topic for p in phrases),
        tuple(p.weight for p in phrases),
        tuple(boundaries),
        tuple(frozenset({b[0] for b in boundaries[n]} | {m for m, bs in enumerate(boundaries) if any(b[0] == n for b in bs)})
              for n in range(len(topics))) if any(boundaries) else (),
        tuple(owners.get(p.topic, p.topic) for p in phrases),
        {marker: any(p.topic == marker for p in phrases) for marker, owner in owners.items() if owner >= 0},
    )


def _match_at(variant: tuple[str, ...], tokens: list[str], i: int) -> int:
    """The end of a match of `variant` starting at tokens[i], or -1."""
    j = i
    n = len(tokens)
    for k, want in enumerate(variant):
        if want == "*":
            continue
        if k and variant[k - 1] == "*":
            limit = min(n, j + GAP + 1)
            while j < limit and tokens[j] != want and tokens[j] != _BREAK:
                j += 1
            if j >= limit or tokens[j] != want:
                return -1
        elif j >= n or tokens[j] != want:
            return -1
        j += 1
    return j


# A hit: (phrase number, field number (0 title, 1 dek, 2 body), start token, end token).
_Hit = tuple[int, int, int, int]


def _hits(index: _Index, field_number: int, tokens: list[str]) -> list[_Hit]:
    heads, topic_of = index.heads, index.topic_of
    n = len(tokens)
    found: list[tuple[int, int, int, int]] = []  # topic, start, -end, phrase
    for i in compress(range(n), map(heads.__contains__, tokens)):
        single, pairs, gapped = heads[tokens[i]]
        for number in single:
            found.append((topic_of[number], i, -(i + 1), number))
        if pairs and i + 1 < n:
            for variant, number in pairs.get(tokens[i + 1], ()):
                end = _match_at(variant, tokens, i) if len(variant) > 2 else i + 2
                if end > 0:
                    found.append((topic_of[number], i, -end, number))
        for variant, number in gapped:
            end = _match_at(variant, tokens, i)
            if end > 0:
                found.append((topic_of[number], i, -end, number))
    if not found:
        return []
    weight_of = index.weight_of
    # A phrase of weight 0 silences every shorter phrase inside it, for every topic: "credit union"
    # is not "union", "strike a deal" is not "strike".
    silent = [(start, -negative_end) for _t, start, negative_end, number in found if weight_of[number] == 0]
    # Within one topic, a match inside a longer one counts once (the longer): "in-office
    # mandate" is not also "office mandate".
    found.sort()
    hits: list[_Hit] = []
    last_topic, last_end = None, -1
    for topic, start, negative_end, number in found:
        end = -negative_end
        if topic == last_topic and end <= last_end:
            continue
        if silent and weight_of[number] != 0 and any(a <= start and end <= b and end - start < b - a for a, b in silent):
            continue
        if topic != last_topic:
            last_topic, last_end = topic, end
        else:
            last_end = max(last_end, end)
        hits.append((number, field_number, start, end))
    if index.siblings:
        hits = _claimed_by_siblings(index, hits)
    return hits


def _claimed_by_siblings(index: _Index, hits: list[_Hit]) -> list[_Hit]:
    """Sibling topics compete for words: a match that overlaps a longer match of a sibling
    topic, or one as long that starts first, does not count ("sick pay" is benefits, so its
    "pay" is not pay; in "maternity pay rise" the rise is the maternity pay's). A boundary's
    keep_if phrases compete for their topic. Topics that are not siblings may share words
    ("gender pay gap" is pay too)."""
    owner, weight_of, siblings, topic_of = index.owner, index.weight_of, index.siblings, index.topic_of
    present = {topic_of[h[0]] for h in hits}
    if not any(siblings[t] & present for t in present if t >= 0):
        return hits  # the common case: no two siblings both have words here
    spans: dict[int, list[tuple[int, int]]] = {}
    for number, _field, start, end in hits:
        if weight_of[number] > 0 and topic_of[number] >= 0:
            spans.setdefault(topic_of[number], []).append((start, end))
    out = []
    for hit in hits:
        topic = owner[hit[0]]
        _number, _field, start, end = hit
        if topic >= 0 and any(a < end and start < b and (b - a > end - start or b - a == end - start and a < start)
                              for sibling in siblings[topic] for a, b in spans.get(sibling, ())):
            continue
        out.append(hit)
    return out


# --------------------------------------------------------------------------- scoring


@dataclass(frozen=True)
class Match:
    """One piece of evidence: a phrase found in a field, with what it added."""

    phrase: str
    weight: float  # the phrase's weight in config.yaml
    field: str  # "title", "dek" or "body"
    value: float  # what it added to the score (field weight, body scale and repeats applied)
    context: str = ""  # the words around it, as written


@dataclass(frozen=True)
class TopicEvidence:
    slug: str
    name: str
    score: float
    threshold: float
    assigned: bool
    matches: tuple[Match, ...]
    note: str = ""  # why a score at or over the threshold still assigned nothing
    boundary: str = ""  # the sibling boundary that kept it beside a sibling topic, and why


@dataclass(frozen=True)
class _Scored:
    score: float
    values: tuple[tuple[_Hit, float, int], ...]  # each match, what it added, its unit
    head: float  # the part of the score in the headline, the dek and the opening paragraphs
    paragraphs: frozenset[int]  # body paragraphs with evidence
    units: dict[int, float]  # score by unit: TITLE, DEK, or a body paragraph's number


TITLE, DEK = -2, -1  # units besides the body's paragraphs (0, 1, ...)


@dataclass(frozen=True)
class _Layout:
    """Where the body's words are: paragraph of each break, the opening, its length."""

    breaks: list[int]  # token positions of the paragraph breaks
    lead: int  # paragraphs 0..lead are the opening
    paragraphs: int  # how many paragraphs have words
    scale: float  # what a match after the opening counts (long bodies count each match less)

    def paragraph(self, token: int) -> int:
        return bisect_right(self.breaks, token)


def _body_scale(words: int) -> float:
    return min(1.0, math.sqrt(BODY_REFERENCE_WORDS / max(words, 1)))


def _layout(body: _Field) -> _Layout:
    breaks = body.breaks
    tokens = body.tokens
    # Words per paragraph (tokens between breaks; ignored words are already gone, so
    # this counts the words that carry meaning: close enough to find the opening).
    sizes = [b - a - 1 for a, b in zip([-1, *breaks], [*breaks, len(tokens)])]
    lead, seen = len(sizes) - 1, 0
    for number, size in enumerate(sizes):
        seen += size
        if seen >= LEAD_WORDS:
            lead = number
            break
    return _Layout(breaks, lead, sum(1 for size in sizes if size > 0), _body_scale(body.words))


def _score(index: _Index, hits: list[_Hit], tagging: Tagging, layout: _Layout) -> dict[int, _Scored]:
    weight_of, topic_of = index.weight_of, index.topic_of
    by_phrase: dict[int, list[tuple[float, int, _Hit]]] = {}
    for hit in hits:
        field = hit[1]
        if field == 0:
            unit, where = TITLE, tagging.title_weight
        elif field == 1:
            unit, where = DEK, tagging.dek_weight
        else:
            unit = layout.paragraph(hit[2])
            where = 1.0 if unit <= layout.lead else layout.scale  # the opening counts in full, whatever the length
        by_phrase.setdefault(hit[0], []).append((weight_of[hit[0]] * where, unit, hit))
    per_topic: dict[int, list[tuple[_Hit, float, int]]] = {}
    for number, values in by_phrase.items():
        if len(values) > 1:
            # The strongest first (title before body); one phrase's values share a sign.
            values.sort(key=lambda v: v[0], reverse=weight_of[number] > 0)
        out = per_topic.setdefault(topic_of[number], [])
        factor = 1.0
        for value, unit, hit in values:
            out.append((hit, value * factor, unit))
            factor *= DECAY
    scored: dict[int, _Scored] = {}
    threshold = tagging.threshold
    for topic, values in per_topic.items():
        total = sum(v for _h, v, _u in values)
        units: dict[int, float] = {}
        if total >= threshold or topic == -1:  # where the words are matters only for a candidate (and the work context)
            for _hit, value, unit in values:
                units[unit] = units.get(unit, 0.0) + value
        head = sum(v for u, v in units.items() if u <= layout.lead and v > 0)
        # A paragraph the story spends on the topic: phrases worth PARAGRAPH_MIN there, as written
        # (before repeats and length count less), so one passing "wage" is not a paragraph about pay.
        written: dict[int, float] = {}
        for hit, _value, unit in values if units else ():
            if unit >= 0:
                written[unit] = written.get(unit, 0.0) + weight_of[hit[0]]
        paragraphs = frozenset(u for u, v in written.items() if v >= PARAGRAPH_MIN)
        scored[topic] = _Scored(total, tuple(values), head, paragraphs, units)
    return scored


def _mention(scored: _Scored, layout: _Layout, strongest: tuple[float, str] = (0.0, ""), *, stated: bool = False) -> str:
    """Why evidence that reaches the threshold is only a mention, or "" when the story is about it.

    The headline, dek and opening say what a story is about. Without them, a theme must run
    through the story (a fifth of its paragraphs, each with real evidence) and be one of its
    main themes, not a side theme of the story's strongest topic (`strongest`: its score and
    slug): a union drive names the wages it bargains for, a jobs report names pay. A topic whose
    boundary with that strongest topic is crossed by a keep_if phrase (`stated`: "the workers
    are not part of the union" beside a strike) is on its own side of that line by the story's
    own words.
    """
    positive = [u for _h, v, u in scored.values if v > 0]
    if len(positive) == 1 and positive[0] >= 0:
        return "a mention: a single match, in the body"
    if layout.paragraphs >= ONE_PARAGRAPH and len(set(positive)) == 1 and positive[0] >= 0:
        return f"a mention: in one paragraph of {layout.paragraphs}, not in the headline or dek"
    if scored.head >= HEAD_MIN or stated:
        return ""
    top, name = strongest
    if scored.score < SIDE_SHARE * top:
        return (f"a mention: not in the headline, dek or opening, and a side theme of {name} "
                f"({scored.score:.1f} against {top:.1f}; a theme the story is about needs {SIDE_SHARE:.0%} of its strongest)")
    needed = max(2, math.ceil(SPREAD * layout.paragraphs))
    if len(scored.paragraphs) >= needed:
        return ""
    return (f"a mention: not in the headline, dek or opening, and in {len(scored.paragraphs)} of "
            f"{layout.paragraphs} paragraphs with phrases worth {PARAGRAPH_MIN:g} (a theme the story is about needs {needed})")


def _work_note(index: _Index, work: _Scored | None, layout: _Layout, threshold: float) -> str:
    """Why the story is not about work, or "" when it is.

    Any long story names a company, an executive or a staff member somewhere; a story
    about work names workers, jobs or pay where it starts, or keeps coming back to them.
    Weights as written (before position and length), so this is about which words, not
    how long the story is.
    """
    score = work.score if work else 0.0
    if score < threshold:
        return f"the article does not read as being about work (work context {score:.1f} < {threshold:g})"
    raw: dict[int, float] = {}
    for hit, _value, unit in work.values if work else ():
        raw[unit] = raw.get(unit, 0.0) + index.weight_of[hit[0]]
    head = sum(v for u, v in raw.items() if u <= layout.lead)
    if head >= WORK_HEAD_SHARE * threshold:
        return ""
    strong = sum(1 for u, v in raw.items() if u >= 0 and v >= 1.0)
    needed = min(WORK_CAP, max(2, math.ceil(WORK_SPREAD * layout.paragraphs)))
    if strong >= needed and score >= WORK_SPREAD_MIN * threshold:
        return ""
    if strong < needed:
        return (f"the article does not read as being about work: its work words are not in the headline, dek or opening "
                f"({head:g} < {WORK_HEAD_SHARE * threshold:g}) and in only {strong} of {layout.paragraphs} paragraphs "
                f"(a story about work needs {needed})")
    return (f"the article does not read as being about work: its work words are not in the headline, dek or opening "
            f"({head:g} < {WORK_HEAD_SHARE * threshold:g}), and through the story they are worth {score:.1f} "
            f"(a story about work needs {WORK_SPREAD_MIN * threshold:g})")


@dataclass(frozen=True)
class _Decision:
    assigned: bool
    note: str  # why a score at or over the threshold assigned nothing
    boundary: str = ""  # the sibling boundary that kept it, and why (a dropped one says so in `note`)


def _own(scored: _Scored, sibling: _Scored, layout: _Layout) -> _Scored:
    """A topic's evidence in the units (headline, dek, paragraphs) where it has more than its sibling."""
    theirs = {u for u, v in scored.units.items() if sibling.units.get(u, 0.0) >= v}
    values = tuple(v for v in scored.values if v[2] not in theirs)
    units = {u: v for u, v in scored.units.items() if u not in theirs}
    return _Scored(sum(v for _h, v, _u in values), values, sum(v for u, v in units.items() if u <= layout.lead and v > 0),
                   frozenset(u for u in scored.paragraphs if u not in theirs), units)


@dataclass(frozen=True)
class _Verdict:
    decisions: dict[int, _Decision]  # per topic number with evidence
    work_score: float
    work_note: str  # why the story is not about work ("" when it is)


def _distinct_paragraphs(body: str) -> str:
    """The body with each repeated paragraph left out after its first time: a copied page
    repeats a photo caption or a pull quote, and a repeat is not more of the story."""
    parts = re.split(r"\n\s*\n", body)
    if len(parts) < 3:
        return body
    seen: set[str] = set()
    kept = []
    for part in parts:
        key = " ".join(part.split())
        if key and key in seen:
            continue
        seen.add(key)
        kept.append(part)
    return "\n\n".join(kept) if len(kept) < len(parts) else body


def _analyse(title: str, dek: str | None, body: str, config: Config, *, with_spans: bool = False):
    body = _distinct_paragraphs(body)
    index = compile_topics(config.topics, config.tagging.work_signals)
    fields = [_field(text or "", with_spans=with_spans) for text in (title, dek, body)]  # in the order of FIELDS
    hits = [hit for number, f in enumerate(fields) for hit in _hits(index, number, f.tokens)]
    layout = _layout(fields[2])
    scored = _score(index, hits, config.tagging, layout)
    return index, fields, scored, layout, _decide(index, scored, layout, config.tagging)


def _decide(index: _Index, scored: dict[int, _Scored], layout: _Layout, tagging: Tagging) -> _Verdict:
    """Per topic with evidence: assigned or not, and why not, in the order the rules apply:
    the threshold, the work context, a mention rather than a theme, the sibling boundaries."""
    work = scored.get(-1)
    work_note = _work_note(index, work, layout, tagging.work_threshold)
    decisions: dict[int, _Decision] = {}
    strongest_number = max((n for n in scored if n >= 0), key=lambda n: (scored[n].score, -n), default=-1)
    strongest = (scored[strongest_number].score, index.topics[strongest_number].slug) if strongest_number >= 0 else (0.0, "")
    for number, s in scored.items():
        if number < 0:
            continue
        if s.score < tagging.threshold:
            decisions[number] = _Decision(False, "")
        elif work_note:
            decisions[number] = _Decision(False, work_note)
        else:
            # A keep_if phrase of its boundary with the strongest topic says the story is on this
            # topic's side of that line too, so it is not a side theme of it.
            said = any(b[0] == strongest_number and b[2] in scored for b in index.boundaries[number])
            note = _mention(s, layout, strongest, stated=said)
            decisions[number] = _Decision(not note, note)
    _apply_boundaries(index, scored, layout, tagging, decisions)
    return _Verdict(decisions, work.score if work else 0.0, work_note)


def _apply_boundaries(index: _Index, scored: dict[int, _Scored], layout: _Layout, tagging: Tagging,
                      decisions: dict[int, _Decision]) -> None:
    """Siblings: a topic assigned beside a sibling it has a boundary with must earn its place.

    Strongest first, so a topic dropped here no longer pushes others out. Of two topics
    with boundaries towards each other, the one with more evidence stands.
    """
    assigned = sorted((n for n, d in decisions.items() if d.assigned), key=lambda n: (-scored[n].score, n))
    standing = set(assigned)
    for number in assigned:
        for sibling, rule, marker, own_evidence, without in index.boundaries[number]:
            if sibling not in standing:
                continue
            mutual = any(b[0] == number for b in index.boundaries[sibling])
            if mutual and scored[number].score > scored[sibling].score:
                continue
            name = index.topics[sibling].slug
            kept = scored.get(marker)
            if kept is not None:
                phrase = index.phrases[kept.values[0][0][0]].text
                decisions[number] = replace(decisions[number], boundary=f"kept beside {name}: '{phrase}' ({rule})")
                continue
            if without is not None and without not in scored:
                decisions[number] = replace(decisions[number], boundary=f"kept beside {name}: none of its keep_without phrases "
                                                                       f"occurs ({rule})")
                continue
            own = _own(scored[number], scored[sibling], layout)
            needed = max(tagging.threshold, OWN_SHARE * scored[sibling].score)
            if own_evidence and own.score >= needed and not _mention(own, layout):
                decisions[number] = replace(decisions[number], boundary=f"kept beside {name}: {own.score:.1f} of its evidence is its own ({rule})")
                continue
            standing.discard(number)
            why = ["none of its keep_if phrases occurs"] if index.boundary_has_phrases[marker] else []
            if without is not None:
                phrase = index.phrases[scored[without].values[0][0][0]].text
                why.append(f"'{phrase}', a keep_without phrase, occurs")
            if own_evidence:
                why.append(f"{own.score:.1f} of its evidence is its own, outside the headline, dek and paragraphs more about {name} "
                           f"(it needs {needed:.1f}, and in the headline, dek, opening or two paragraphs)")
            decisions[number] = _Decision(False, f"the boundary with {name}: {rule} ({'; '.join(why)})")
            break


def assign_topics(title: str, dek: str | None, body: str, config: Config) -> tuple[str, ...]:
    """Topic slugs the story is about, in config order."""
    index, *_, verdict = _analyse(title, dek, body, config)
    decisions = verdict.decisions
    return tuple(topic.slug for number, topic in enumerate(index.topics) if number in decisions and decisions[number].assigned)


def _snippet(text: str, field: _Field, start: int, end: int, words: int = 6) -> str:
    """The matched words with a few words either side in the same paragraph, as written, on one line."""
    tokens, spans = field.tokens, field.spans
    first = start
    while first > 0 and start - first < words and tokens[first - 1] != _BREAK:
        first -= 1
    last = end
    while last < len(tokens) and last - end < words and tokens[last] != _BREAK:
        last += 1
    left = "…" if first > 0 and tokens[first - 1] != _BREAK else ""
    right = "…" if last < len(tokens) and tokens[last] != _BREAK else ""
    before = text[spans[first][0] : spans[start][0]]
    inner = text[spans[start][0] : spans[end - 1][1]]
    after = text[spans[end - 1][1] : spans[last - 1][1]]
    return " ".join(f"{left}{before}[{inner}]{after}{right}".split())


@dataclass(frozen=True)
class Explanation:
    topics: tuple[TopicEvidence, ...]  # config order
    work: TopicEvidence  # the work context gate, scored like a topic
    body_words: int
    body_scale: float


def explain_article(title: str, dek: str | None, body: str, config: Config) -> Explanation:
    """Everything `digest tag --explain` shows: per topic, the evidence and the score."""
    index, fields, scored, layout, verdict = _analyse(title, dek, body, config, with_spans=True)
    decisions = verdict.decisions
    cleaned = {"title": clean(title or ""), "dek": clean(dek or ""), "body": clean(_distinct_paragraphs(body or ""))}
    threshold = config.tagging.threshold

    def matches(values: tuple[tuple[_Hit, float, int], ...]) -> tuple[Match, ...]:
        out = []
        for hit, value, _unit in sorted(values, key=lambda hv: (hv[0][1], hv[0][2])):
            number, field_number, start, end = hit
            phrase = index.phrases[number]
            name = FIELDS[field_number]
            context = _snippet(cleaned[name], fields[field_number], start, end)
            out.append(Match(phrase.text, phrase.weight, name, round(value, 2), context))
        return tuple(out)

    evidence = []
    for number, topic in enumerate(index.topics):
        s = scored.get(number)
        decision = decisions.get(number, _Decision(False, ""))
        evidence.append(TopicEvidence(topic.slug, topic.name, round(s.score, 2) if s else 0.0, threshold, decision.assigned,
                                      matches(s.values) if s else (), decision.note, decision.boundary))
    work = scored.get(-1)
    work_evidence = TopicEvidence("work context", "work context", round(verdict.work_score, 2), config.tagging.work_threshold,
                                  not verdict.work_note, matches(work.values) if work else (), verdict.work_note)
    return Explanation(tuple(evidence), work_evidence, fields[2].words, round(layout.scale, 3))


def explain(title: str, dek: str | None, body: str, config: Config) -> list[TopicEvidence]:
    """Per topic (config order): score, threshold, assigned, and the matches behind it."""
    return list(explain_article(title, dek, body, config).topics)
