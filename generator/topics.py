"""Assign topics to an article from the signals in config.yaml, and say why.

An article is read as three fields (title, dek, body), each cut into words. Every
word is folded to a rough stem (case, plural, -ed/-ing, final -e and a doubled last
letter), so "Strikes", "striking" and "strike" are one word, while "striker" stays
another. The same folding is applied to the phrases in config.yaml, so an editor
writes a phrase once, in any form.

Phrase syntax (see docs/topics.md):
  - words are matched whole, in order, across hyphens and line breaks;
    "the", "a", "an", "per" and possessives ("their", "its"...) are ignored on
    both sides, so "return to the office" is "return to office";
  - a hyphen inside a word means the parts may also be written joined or apart:
    "lay-off" matches "layoff", "lay-offs", "lay off", "laid off" does not;
  - "*" stands for up to three words: "return * office" matches "returning
    workers to their offices".

Scoring, per topic: each match is worth the phrase's weight times its field's
weight (title, dek from config.tagging; body 1). A phrase repeated counts less each
time (1, 1/2, 1/4 ...). Body evidence is scaled down in long articles
(sqrt(400 / words), at most 1), and body-only evidence that sits in a single
paragraph of a longer article is a passing mention and assigns nothing. An article
must also read as being about work at all (the work-context words below), so a
baseball "strike" or a product review's "AI" assigns nothing.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from .model import Config, Tagging, Topic

# The words that say an article is about work at all, with weights. An article's
# work context is scored like a topic; below WORK_THRESHOLD it gets no topics.
WORK_SIGNALS: tuple[tuple[str, float], ...] = (
    ("worker", 1.0), ("employee", 1.0), ("staff", 1.0), ("staffer", 1.0), ("employ", 1.0),
    ("employer", 1.5), ("workforce", 1.5), ("workplace", 1.5), ("job", 1.0), ("employment", 1.5),
    ("union", 1.5), ("labor", 1.5), ("labour", 1.5), ("wage", 1.5), ("salary", 1.5),
    ("paycheck", 1.5), ("payroll", 1.5), ("hr", 1.0), ("human resources", 1.5),
    ("boss", 1.0), ("manager", 0.5), ("supervisor", 1.0), ("colleague", 0.7), ("co-worker", 1.0),
    ("hire", 0.7), ("hiring", 1.0), ("fired", 0.7), ("demote", 1.0), ("lay-off", 2.0), ("laid off", 2.0),
    ("contractor", 0.7), ("freelancer", 0.7), ("gig", 0.7), ("overtime", 1.0), ("agent", 0.5),
    ("shift", 0.5), ("career", 0.7), ("office", 0.5), ("corporate", 0.5), ("outsource", 1.0),
    ("at work", 1.0), ("on job", 1.0), ("working conditions", 2.0), ("work from home", 2.0),
    ("remote work", 2.0), ("walkout", 1.0), ("on strike", 1.5), ("picket", 1.5),
    ("nlrb", 2.0), ("osha", 2.0), ("collective bargaining", 2.0), ("unionize", 2.0),
    ("warehouse", 0.5), ("factory", 0.5), ("plant", 0.3), ("driver", 0.5), ("courier", 0.7),
    ("nurse", 0.3), ("teacher", 0.3), ("engineer", 0.3), ("executive", 0.3), ("ceo", 0.3),
    ("personnel", 1.0), ("minimum wage", 2.0), ("unemployment", 1.0), ("recruit", 0.5),
    ("applicant", 1.0), ("resign", 0.5), ("promotion", 0.5), ("severance", 1.5),
    ("company", 0.3), ("headquarters", 0.5), ("founder", 0.3), ("training", 0.3), ("workload", 1.0),
    ("ride-hail", 1.0), ("delivery worker", 1.0), ("app-based", 1.0),
)
WORK_THRESHOLD = 2.0
BODY_REFERENCE_WORDS = 400  # bodies up to this long count in full
DECAY = 0.5  # each repeat of one phrase counts half the one before
GAP = 3  # "*" in a phrase: up to this many words

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_PARAGRAPH = re.compile(r"\n[ \t]*\n")
_LINK_TARGET = re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
_URL = re.compile(r"<?https?://[^\s>)\]]+>?")
_HTML_TAG = re.compile(r"<[^>\n]{1,200}>")
_IGNORED = frozenset({"the", "a", "an", "per", "their", "its", "our", "his", "her", "your", "my"})
_NUMBERS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
            "eight": "8", "nine": "9", "ten": "10"}
_BREAK = "\n"  # stands between paragraphs: no phrase matches across it
_STEMS: dict[str, str] = {}


def stem(word: str) -> str:
    """A rough stem: the same for "strikes", "striking", "strike"; "" for an ignored word."""
    found = _STEMS.get(word)
    if found is not None:
        return found
    w = word.casefold().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.replace("'", "")
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
    if len(w) > 2 and w[-1] == w[-2] and w[-1] not in "aeiouls":
        w = w[:-1]
    return w


# --------------------------------------------------------------------------- text


@dataclass(frozen=True)
class _Field:
    name: str  # "title", "dek" or "body"
    tokens: tuple[str, ...]  # stems, ignored words left out, _BREAK between paragraphs
    paragraphs: tuple[int, ...]  # paragraph number of each token
    words: int
    spans: tuple[tuple[int, int], ...] = ()  # (start, end) of each token in clean(text); explain only


def clean(text: str) -> str:
    """Markdown to readable words: link targets, bare URLs and HTML tags go (a URL slug is not prose)."""
    if "](" in text:
        text = _LINK_TARGET.sub("]", text)
    if "://" in text:
        text = _URL.sub(" ", text)
    if "<" in text:
        text = _HTML_TAG.sub(" ", text)
    return text


def _paragraphs(text: str):
    start = 0
    for match in _PARAGRAPH.finditer(text):
        yield start, text[start : match.start()]
        start = match.end()
    yield start, text[start:]


def _field(name: str, text: str, *, with_spans: bool = False) -> _Field:
    tokens: list[str] = []
    paragraphs: list[int] = []
    spans: list[tuple[int, int]] = []
    words = 0
    for number, (offset, paragraph) in enumerate(_paragraphs(clean(text))):
        if with_spans:
            found = [(m.group(), m.start() + offset, m.end() + offset) for m in _TOKEN.finditer(paragraph)]
            raw = [w for w, _a, _b in found]
        else:
            raw = _TOKEN.findall(paragraph)
        if not raw:
            continue
        words += len(raw)
        stems = list(map(stem, raw))
        if tokens:
            tokens.append(_BREAK)
            paragraphs.append(number)
            spans.append((offset, offset))
        for i, s in enumerate(stems):
            if s:
                tokens.append(s)
                paragraphs.append(number)
                if with_spans:
                    spans.append(found[i][1:])
    return _Field(name, tuple(tokens), tuple(paragraphs), words, tuple(spans))


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
        parts = [p for p in parts if p]
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
    first: dict[str, tuple[tuple[tuple[str, ...], int], ...]]  # first stem -> (variant, phrase number)


@lru_cache(maxsize=8)
def compile_topics(topics: tuple[Topic, ...]) -> _Index:
    """Every phrase of every topic, indexed by its first word (done once per config)."""
    phrases: list[_Phrase] = []
    for number, topic in enumerate(topics):
        for text, weight in topic.signals:
            phrases.append(_Phrase(number, text, weight, phrase_variants(text)))
    for text, weight in WORK_SIGNALS:
        phrases.append(_Phrase(-1, text, weight, phrase_variants(text)))
    first: dict[str, list[tuple[tuple[str, ...], int]]] = {}
    for number, phrase in enumerate(phrases):
        for variant in phrase.variants:
            first.setdefault(variant[0], []).append((variant, number))
    return _Index(topics, tuple(phrases), {k: tuple(v) for k, v in first.items()})


def _match_at(variant: tuple[str, ...], tokens: tuple[str, ...], i: int) -> int:
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


@dataclass(frozen=True)
class _Hit:
    phrase: int
    field: str
    start: int  # token index in the field
    end: int
    paragraph: int


def _hits(index: _Index, field: _Field) -> list[_Hit]:
    tokens = field.tokens
    first = index.first
    found: list[tuple[int, int, int, int]] = []  # topic, start, -length, phrase
    for i in [i for i, t in enumerate(tokens) if t in first]:
        for variant, number in first[tokens[i]]:
            end = _match_at(variant, tokens, i)
            if end > 0:
                found.append((index.phrases[number].topic, i, i - end, number))
    # A phrase of weight 0 silences every shorter phrase inside it, for every topic: "credit union"
    # is not "union", "strike a deal" is not "strike".
    silent = [(start, start - negative_length) for _t, start, negative_length, number in found if index.phrases[number].weight == 0]
    # Within one topic, overlapping matches count once (the longest): "in-office mandate"
    # is not also "office mandate".
    found.sort()
    hits: list[_Hit] = []
    last_topic, last_end = None, -1
    for topic, start, negative_length, number in found:
        end = start - negative_length
        if topic == last_topic and start < last_end:
            continue
        if silent and index.phrases[number].weight != 0 and any(a <= start and end <= b and end - start < b - a for a, b in silent):
            continue
        last_topic, last_end = topic, end
        hits.append(_Hit(number, field.name, start, end, field.paragraphs[start]))
    return hits


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


@dataclass(frozen=True)
class _Scored:
    score: float
    values: tuple[tuple[_Hit, float], ...]
    passing: bool  # body-only evidence in one paragraph of a longer article


def _body_scale(words: int) -> float:
    return min(1.0, math.sqrt(BODY_REFERENCE_WORDS / max(words, 1)))


def _score(index: _Index, hits: list[_Hit], tagging: Tagging, body: _Field) -> dict[int, _Scored]:
    field_weight = {"title": tagging.title_weight, "dek": tagging.dek_weight, "body": _body_scale(body.words)}
    by_phrase: dict[int, list[tuple[float, _Hit]]] = {}
    for hit in hits:
        value = index.phrases[hit.phrase].weight * field_weight[hit.field]
        by_phrase.setdefault(hit.phrase, []).append((value, hit))
    per_topic: dict[int, list[tuple[_Hit, float]]] = {}
    for number, values in by_phrase.items():
        values.sort(key=lambda vh: -abs(vh[0]))
        topic = index.phrases[number].topic
        for rank, (value, hit) in enumerate(values):
            per_topic.setdefault(topic, []).append((hit, value * DECAY**rank))
    paragraphs = len(set(body.paragraphs))
    out: dict[int, _Scored] = {}
    for topic, values in per_topic.items():
        positive = [h for h, v in values if v > 0]
        # Body-only evidence is a passing mention when it is a single match, or when
        # a longer article has it all in one paragraph.
        passing = all(h.field == "body" for h in positive) and (
            len(positive) < 2 or paragraphs >= 4 and len({h.paragraph for h in positive}) <= 1
        )
        out[topic] = _Scored(sum(v for _h, v in values), tuple(values), passing)
    return out


def _analyse(title: str, dek: str | None, body: str, config: Config, *, with_spans: bool = False):
    index = compile_topics(config.topics)
    fields = [_field(name, text or "", with_spans=with_spans) for name, text in (("title", title), ("dek", dek), ("body", body))]
    hits = [hit for f in fields for hit in _hits(index, f)]
    scored = _score(index, hits, config.tagging, fields[2])
    work = scored.get(-1)
    work_score = work.score if work else 0.0
    return index, fields, scored, work_score


def assign_topics(title: str, dek: str | None, body: str, config: Config) -> tuple[str, ...]:
    """Topic slugs whose evidence reaches the threshold, in config order."""
    index, _fields, scored, work_score = _analyse(title, dek, body, config)
    if work_score < WORK_THRESHOLD:
        return ()
    threshold = config.tagging.threshold
    return tuple(
        topic.slug
        for number, topic in enumerate(index.topics)
        if number in scored and scored[number].score >= threshold and not scored[number].passing
    )


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
    index, fields, scored, work_score = _analyse(title, dek, body, config, with_spans=True)
    cleaned = {"title": clean(title or ""), "dek": clean(dek or ""), "body": clean(body or "")}
    by_name = {f.name: f for f in fields}
    threshold = config.tagging.threshold
    gate = work_score >= WORK_THRESHOLD
    order = {"title": 0, "dek": 1, "body": 2}

    def matches(values: tuple[tuple[_Hit, float], ...]) -> tuple[Match, ...]:
        out = []
        for hit, value in sorted(values, key=lambda hv: (order[hv[0].field], hv[0].start)):
            phrase = index.phrases[hit.phrase]
            context = _snippet(cleaned[hit.field], by_name[hit.field], hit.start, hit.end)
            out.append(Match(phrase.text, phrase.weight, hit.field, round(value, 2), context))
        return tuple(out)

    evidence = []
    for number, topic in enumerate(index.topics):
        s = scored.get(number)
        score = s.score if s else 0.0
        note = ""
        if s and score >= threshold:
            if not gate:
                note = f"the article does not read as being about work (work context {work_score:.1f} < {WORK_THRESHOLD})"
            elif s.passing:
                note = "a passing mention: body only, and a single match or all in one paragraph"
        assigned = bool(s) and score >= threshold and not note
        evidence.append(TopicEvidence(topic.slug, topic.name, round(score, 2), threshold, assigned, matches(s.values) if s else (), note))
    work = scored.get(-1)
    work_evidence = TopicEvidence("work context", "work context", round(work_score, 2), WORK_THRESHOLD, gate, matches(work.values) if work else ())
    return Explanation(tuple(evidence), work_evidence, by_name["body"].words, round(_body_scale(by_name["body"].words), 3))


def explain(title: str, dek: str | None, body: str, config: Config) -> list[TopicEvidence]:
    """Per topic (config order): score, threshold, assigned, and the matches behind it."""
    return list(explain_article(title, dek, body, config).topics)
