"""Turn the text of a copied news page into an article: metadata and a Markdown body.

Pure: `extract(text)` takes the page text (what "select all, copy" gives) and
returns an `Extraction`; no I/O. Published extractors (jusText, boilerpipe,
trafilatura, Readability) work on HTML; copied text has lost the markup, so this
module keeps only the signals that survive in plain text:

1. Each line gets shallow features: length, sentence shape (terminal
   punctuation), stop-word density in the page's language, whether it belongs
   to a run of short lines (menus, link lists), and whether it carries
   boilerplate vocabulary (copyright, share/subscribe prompts, photo credits).
2. Lines are classified good / near-good / short / bad (jusText's classes), and
   a heading that opens page furniture ("Most Popular", "Related", "Comments",
   "About the Author", ...) becomes a barrier no article region may cross.
3. The article is the contiguous region with the most prose (a maximum-sum
   run over per-line scores: prose adds, short and boilerplate lines subtract,
   each more in a long run), so it bridges a caption or an ad between
   paragraphs but not a menu. The first paragraph under the page's first
   byline (or under a date below a headline) weighs extra: that is where an
   article starts, and it keeps long comment threads or teaser lists from
   outweighing a short article.
4. Inside that region, short lines stay only when their neighbours make them
   look like subheadings or list items (context smoothing); a block of data
   rows right after the last paragraph (tour dates, results) is taken in.
5. Metadata is read from the lines just above the region: the headline, the
   dek under it, the byline and the date block; the outlet from copyright and
   trademark lines; the URL from any address in the text whose path matches the
   headline. A field the page does not show is left empty and listed in
   `review`; nothing is invented.

Rules are written against general signals, never one outlet's strings; each rule
says why it exists.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime

from .extraction import Extraction, missing
from .normalize import PUBLISHED, TIME, UPDATED, clean_name, name_before_affiliation, parse_date_in, split_names, with_time

# --------------------------------------------------------------------------- languages

# Short stop-word lists: density of these words separates running prose (full of
# function words) from menus, tag clouds and headlines (jusText's main signal).
_STOP_WORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split())
    for lang, words in {
        "en": "a about after all also an and any are as at be because been but by can could did do does "
        "for from had has have he her his how i if in into is it its just more most my no not of on one "
        "or our out over said says she so some than that the their them then there these they this to "
        "up was we were what when which who will with would you your",
        "pt": "a ao aos as com como da das de do dos e ela ele eles em entre era essa esse esta este foi "
        "há isso já mais mas muito na nas no nos não o os ou para pela pelo por que se sem ser seu sua "
        "são também tem um uma é",
        "es": "a al como con de del el en entre era es esta este fue ha han la las lo los más no o para "
        "pero por que se sin sobre su sus también un una y ya",
        "fr": "à au aux avec ce ces dans de des du elle en est et il ils la le les leur mais ne on ou par "
        "pas pour qu que qui sa se ses son sont sur un une été",
        "de": "als am an auch auf aus bei das dass dem den der des die durch ein eine einem einen einer "
        "es für hat ich im in ist mit nach nicht noch sich sie so und von vor war werden wie wird zu zum zur",
        "it": "a al alla che con da dal del della di e è gli ha i il in la le lo ma non per più si sono "
        "su un una",
        "nl": "aan als bij dat de deze die dit een en het in is met naar niet of om op te van voor was "
        "wordt zijn",
        "id": "ada adalah akan atau bahwa bisa dalam dan dari dengan di ia ini itu juga kami karena ke "
        "kepada lebih mereka pada saat sebagai sudah tidak untuk yang",
        "ru": "а без бы в во вы да для до его ее её если же за и из или им их к как когда ли мы на не "
        "но о об от по при с со так также то только у уже что это я",
        "ar": "أن إلى التي الذي على عن في كان لا ما من مع هذا هذه و",
    }.items()
}

# Scripts written without spaces: length in characters stands in for words, and
# stop-word density is not measured.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_TOKEN = re.compile(r"\w+")


def detect_language(tokens: list[str]) -> str | None:
    """The language whose stop words cover the most tokens (None if no list fits)."""
    if not tokens:
        return None
    best, best_hits = None, 0
    for lang, words in _STOP_WORDS.items():
        hits = sum(1 for t in tokens if t in words)
        if hits > best_hits:
            best, best_hits = lang, hits
    return best if best_hits >= max(3, len(tokens) * 0.03) else None


# --------------------------------------------------------------------------- boilerplate vocabulary

# Headings that open page furniture after an article, in the bench's languages.
# A line that consists of one of these (nothing else) ends the article region:
# what follows is lists of other stories, comments, bios or sign-up boxes.
_FURNITURE_HEADINGS = re.compile(
    r"^(?:"
    r"(?:most|more) (?:popular|read|viewed|shared|emailed)(?: (?:stories|articles|now|today|on \w+))?|"
    r"(?:the )?latest(?: (?:in|from|on) .{1,40}| news| stories| articles| videos)?|"
    r"(?:you )?(?:may|might) (?:also )?(?:like|enjoy|be interested in).{0,30}|"
    r"related(?: (?:articles?|stories|posts?|news|content|coverage|topics|reading|videos?))?|"
    r"recommended(?: (?:for you|stories|articles|reading))?|read (?:more|next|this next)|up next|what to read next|"
    r"more (?:from|on|in|about) .{1,40}|more(?: [A-Z][\w.&'’-]*){1,3}|more (?:stories|articles|news|videos)|"
    r"top (?:stories|news|videos)|trending(?: now| stories| news)?|popular(?: now| stories| posts)?|"
    r"editor'?s'? picks?|around the web|sponsored(?: content| stories| links)?|promoted(?: stories)?|"
    r"about (?:the|this) (?:author|writer|reporter)s?|about us|"
    r"(?:about|sobre|über|à propos de|tentang|acerca de|об авторе) (?:[A-ZÀ-Ý][\w'’.-]+ ?){1,4}|"
    r"(?:sobre|über|à propos de|tentang) (?:o|a|den|die|l'|el|la)? ?(?:autor|autora|auteur|penulis)|"
    r"(?:\d+ )?comments?(?: \(\d+\))?|\d+ (?:responses|comments|replies|thoughts) (?:to|on) .{1,200}|(?:show|view|load) (?:all )?comments|leave a (?:comment|reply)|post a comment|join the (?:conversation|discussion)|"
    r"(?:sign up for|subscribe to) (?:our|the) .{1,40}|newsletters?|"
    r"share (?:this|the) (?:article|story|post)|tags?|topics|filed under|"
    r"subscribe(?: now| today| for free)?|sign (?:me )?up(?: now| today| for free)?|get (?:our|the) newsletter|"
    r"(?:você|voce) (?:também )?(?:pode|vai) gostar(?: de)?|(?:te|le) puede interesar|también te puede gustar|vous aimerez aussi|"
    r"leia (?:também|mais)|veja (?:também|mais)|mais lidas|notícias relacionadas|relacionad[oa]s|comentários|"
    r"baca juga|berita terkait|artikel terkait|terpopuler|komentar|"
    r"читайте также|похожие (?:статьи|новости)|комментарии|популярное|"
    r"lire aussi|à lire aussi|articles similaires|les plus lus|"
    r"lea también|noticias relacionadas|lo más leído|"
    r"mehr zum thema|das könnte sie auch interessieren|meistgelesen|"
    r"관련(?:기사|뉴스)|많이 본 \w+|인기기사|相关(?:新闻|文章|阅读)|热门(?:新闻|文章)"
    r")\s*(?:[:.!…]|\.\.\.)?$",
    re.IGNORECASE,
)

# Furniture headings that also open boxes in the middle of an article (a
# "Related" link list between paragraphs): enough prose after them may bridge them.
_INLINE_FURNITURE = re.compile(
    r"^(?:related(?: (?:articles?|stories|posts?|news|content|coverage|reading))?|recommended|read (?:more|next|also)|also read|see also|"
    r"leia (?:também|mais)|veja (?:também|mais)|baca juga|читайте также|lire aussi|à lire aussi|lea también|mehr zum thema|"
    r"subscribe(?: now| today| for free)?|sign (?:me )?up(?: now| today| for free)?|get (?:our|the) newsletter)\s*[:.!…]?$",
    re.IGNORECASE,
)

# The header of a reader's comment ("jane says:", "Alex on September 17, 2018 at
# 6:34 am said:"): once comments begin the article has ended.
_COMMENT_HEADER = re.compile(r"^\S.{0,60}?(?:\s(?:on|at)\s.{4,40})?\s(?:says|said|wrote|writes|replied)\s*:$", re.IGNORECASE)

# Lines that are boilerplate wherever they stand: legal lines, prompts to share,
# subscribe or enable JavaScript, ads, and picture credits. Each alternative is a
# phrase that does not occur in running news prose.
_BOILERPLATE = re.compile(
    r"(?:©|\(c\)\s*\d{4}|\bcopyright\s*(?:©|\(c\)|\d{4})|^copyright\b|\ball rights reserved\b|todos os direitos|hak cipta|все права"
    r"|\bterms (?:of|and) (?:use|service|conditions)\b|\bprivacy (?:policy|notice)\b|\bcookies?\b.{0,60}\b(?:accept|consent|policy|use)"
    r"|\benable javascript\b|\bjavascript (?:is )?(?:disabled|required)\b|\bturn on javascript\b"
    r"|^advertisement$|^(?:sponsored|promoted|ad)$|^publicidade$|^iklan$|^реклама$|^광고$"
    r"|\b(?:photo|image|picture|video|illustration|graphic)s? (?:credit|courtesy|by|via|source)\b"
    r"|\((?:photo|image|picture|credit)s?\b[^)]*\)|\b(?:AP|AFP|EPA|Reuters|Getty|File|Staff)? ?photos?\s?/\s?\w|\bcredits?:\s|\bimage (?:copyright|caption)\b"
    r"|^(?:related|see also|also read|read also|more|watch|listen|tags?|topics|filed under)\s*:|\bstory continues below\b|\bshare via\b"
    r"|\b\d+[- ]min(?:ute)?s? read\b|\blisten to this (?:article|story)\b|\bphotograph: |^(?:skip )?advertisement\b"
    r"|\bcontributed (?:to )?(?:this )?(?:report|story|article)\b|\bfile photo\b|\((?:AP|AFP|Reuters|EPA|Getty Images|Bloomberg)\)$|(?-i:\b[A-Z]{3,}/[A-Z][a-z]+)|^(?:additional )?(?:reporting|writing|editing|compiled|produced) by\b|\bour standards\b"
    r"|등록번호|발행인|편집인|개인정보|저작권|版权所有|(?<!\.)\.\.$"
    r"|\b(?:unsupported|not supported) (?:on|by) (?:your|this) (?:device|browser)\b|\byour browser does not support\b|\bgetty images\b|\bshutterstock\b|\bistock\b"
    r"|^(?:photo|image|foto|credit|source|fonte|sumber)\s*:|/\s*(?:AP|AFP|Reuters|EPA|Getty)\b"
    r"|^\([^()]*\w\s?/\s?\w[^()]*\)$|\bsharing options\b|^(?:share|close|print|email)$"
    r"|\bexternal links?\b|\bcopy link\b|\blink copied\b|\bcopied!|^sharing is caring\b|\b(?:media|image|video) ?caption"
    r"|\bopens? in (?:a )?new (?:window|tab)\b"
    r"|\brecommended videos?\b|\bwatch (?:now|the video|live)\b|\bskip to (?:main )?content\b"
    r")",
    re.IGNORECASE,
)

# A legal line however long: a copyright sign or "all rights reserved".
_LEGAL = re.compile(r"©|\ball rights reserved\b|todos os direitos reservados|все права защищены", re.IGNORECASE)

# Sign-up and follow boxes in sentence form ("Need more? Subscribe to our
# magazine ..."): phrases addressed to the reader, not said by anyone in a story.
_PITCH_BOX = re.compile(
    r"\bsubscribe to\b|\bsign up (?:for|to) (?:our|free|the (?:\w+ )?newsletter)\b|\bour (?:free |daily |weekly )?(?:\w+ )?newsletter\b"
    r"|\bunsubscribe\b|\bno spam\b|\bopt-in\b|\bthanks for (?:signing up|subscribing)\b|\byour inbox\b|\bclick here\b|\bsend me\b|\b(?:delivered|straight) to your inbox\b|\bfollow (?:us|him|her|them) on\b|\bvisit our\b",
    re.IGNORECASE,
)

# An author bio: "<Name> is a technology correspondent at ...", "<Name> covers
# labor for ...". It closes many articles and is about the writer, not the story.
_BIO = re.compile(
    r"^[A-ZÀ-Ý][\w.'’-]+(?: [A-ZÀ-Ý][\w.'’-]+){1,3} (?:is|was|has been) (?:a|an|the) (?:[\w-]+ ){0,4}"
    r"(?:reporter|writer|correspondent|editor|journalist|columnist|contributor|producer|author|intern|fellow)\b"
    r"|^[A-ZÀ-Ý][\w.'’-]+(?: [A-ZÀ-Ý][\w.'’-]+){0,3} covers [\w ,]{3,60}? (?:for|at)\b",
)

# Prompts to the reader. Labor reporting says "workers sign up" or quotes a
# union newsletter, so these words condemn only a button or a label (a few
# words, or no sentence at all), not a paragraph.
_PROMPT = re.compile(
    r"\bsign up\b|\bsubscribed?\b|\bnewsletters?\b|\bstay (?:up to date|informed|in the loop|connected)\b|\bfollow us\b"
    r"|\bshare (?:this|on)\b|\bclick here\b|\bdownload (?:the|our) app\b|\bget the app\b|\bread (?:more|the full|full)\b"
    r"|\bcontinue reading\b|\bregister (?:here|now|today)\b|\bbuy tickets\b|\blearn more\b|\bsee (?:full|all|more)\b",
    re.IGNORECASE,
)

# A paragraph that gives an e-mail address with a call to contact the writer is
# a tip-line or newsletter pitch, not reporting: articles rarely print addresses.
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_PITCH = re.compile(r"\b(?:contact|reach|tips?|signal|whatsapp|securedrop)\b", re.IGNORECASE)

_CALL_TO_ACTION = re.compile(
    r"(?:^|[.!?]\s+)(?<!\w)(?:\w+\s+){0,2}(?:register|sign up|subscribe|buy tickets|get tickets|learn more|join us|download)"
    r"\b[^.!?]{0,30}[.!]?$",
    re.IGNORECASE,
)

# Lines that are only a bullet or a tab before a few words: menus and link lists.
_BULLET = re.compile(r"^\s*(?:[•·▪►▸●◦\-*–]|\d{1,2}[.)])\s+")
_TERMINAL = re.compile(r"[.!?…。！？:;][\"'”’»)\]]*$")

# --------------------------------------------------------------------------- lines


@dataclass
class Line:
    index: int  # position among the page's non-blank lines
    text: str
    raw: str  # with leading tabs/bullets, for lists
    length: int  # characters, a CJK character counted as three (about a word each)
    words: int
    stop_density: float
    sentence: bool  # ends like a sentence
    bullet: bool
    blank_before: bool
    boiler: bool = False
    dateline: bool = False
    barrier: bool = False
    cls: str = "short"  # good, near, short, bad


def _clean(line: str) -> str:
    return re.sub(r"[ \t\u00a0\u2009\u200b\u202f]+", " ", line).strip()


def split_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    blank = True
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        cleaned = _clean(raw)
        if not cleaned:
            blank = True
            continue
        tokens = _TOKEN.findall(cleaned)
        cjk = len(_CJK.findall(cleaned))
        lines.append(
            Line(
                index=len(lines),
                text=cleaned,
                raw=raw.rstrip(),
                length=len(cleaned) + 2 * cjk,
                words=max(len(tokens), cjk // 2),
                stop_density=0.0,
                sentence=bool(_TERMINAL.search(cleaned)),
                bullet=bool(_BULLET.match(raw)) or raw.startswith("\t"),
                blank_before=blank,
            )
        )
        blank = False
    return lines


# --------------------------------------------------------------------------- classification

# jusText's defaults, in characters: below LENGTH_LOW a line is short whatever
# it says; prose above LENGTH_HIGH with enough stop words is good.
LENGTH_LOW = 70
LENGTH_HIGH = 200
STOP_LOW = 0.22
STOP_HIGH = 0.30


def line_counts(lines: list[Line]) -> Counter[str]:
    """How often the page shows each line's text."""
    return Counter(line.text for line in lines)


def classify(lines: list[Line], language: str | None) -> None:
    stop_words = _STOP_WORDS.get(language or "", frozenset())
    for line in lines:
        tokens = [t.lower() for t in _TOKEN.findall(line.text)]
        if stop_words and tokens:
            line.stop_density = sum(1 for t in tokens if t in stop_words) / len(tokens)
        else:
            # No list for this language (or CJK): sentence punctuation stands in.
            line.stop_density = STOP_HIGH if line.sentence or "，" in line.text or "," in line.text else STOP_LOW
    stop_low, stop_high = _stop_thresholds(lines, bool(stop_words))
    # A line the page repeats three times or more is a widget label or a share
    # bar attached to each item of a list ("Report", "Advertisement").
    counts = line_counts(lines)
    for line in lines:
        line.dateline = line.length <= 45 and not line.sentence and parse_date_in(line.text) is not None
        line.barrier = bool(_FURNITURE_HEADINGS.match(line.text.strip("•·▪►-–— "))) or bool(_COMMENT_HEADER.match(line.text))
        line.boiler = line.barrier or is_boilerplate(line)
        # (A headline is often repeated too, so repetition makes a line bad
        # for the body without making it boilerplate for the headline search.)
        if line.boiler or (counts[line.text] >= 3 and line.length < LENGTH_LOW):
            line.cls = "bad"
        elif not re.search(r"[^\W_]", line.text):
            line.cls = "bad"  # rules and separators ("___", "* * *") carry no text
        elif line.length < LENGTH_LOW:
            # A short sentence full of function words is a short paragraph
            # ("At first, there was no sign of her."), not a label or a teaser.
            short_prose = line.sentence and line.words >= 4 and line.stop_density >= stop_high and not line.bullet
            line.cls = "near" if short_prose else "short"
        elif line.stop_density >= stop_high and (line.length >= LENGTH_HIGH or line.sentence):
            line.cls = "good"
        elif line.stop_density >= stop_low or (line.sentence and line.length >= LENGTH_HIGH):
            line.cls = "near"
        else:
            line.cls = "bad"


def _stop_thresholds(lines: list[Line], measured: bool) -> tuple[float, float]:
    """jusText's stop-word thresholds, lowered for languages our short lists cover less well.

    A short list catches fewer words in, say, Russian or Indonesian prose than
    the English list does in English; the page's own long lines tell how dense
    its prose is, and the thresholds follow (never above jusText's values).
    """
    if not measured:
        return STOP_LOW, STOP_HIGH
    dense = sorted(line.stop_density for line in lines if line.length >= 150)
    if len(dense) < 3:
        return STOP_LOW, STOP_HIGH
    reference = dense[len(dense) * 3 // 4]
    return min(STOP_LOW, 0.55 * reference), min(STOP_HIGH, 0.75 * reference)


def is_boilerplate(line: Line) -> bool:
    text = line.text
    # Long prose may mention "cookies" or "read more" in passing; the vocabulary
    # only condemns lines short enough to be a prompt, a label or a legal line.
    if line.length < 260 and _BOILERPLATE.search(text) or _LEGAL.search(text):
        return True
    if (line.words <= 8 or not line.sentence) and _PROMPT.search(text):
        return True
    if line.length < 260 and _PITCH_BOX.search(text):
        return True
    if line.length < 400 and _BIO.match(text):
        return True
    if _EMAIL.search(text) and _PITCH.search(text):
        return True
    # A paragraph that ends by telling the reader to act (register, sign up,
    # subscribe, buy) is a promotion, however long its pitch.
    return bool(_CALL_TO_ACTION.search(text[-100:]))


def _menu_runs(lines: list[Line]) -> None:
    """Demote short lines that sit in long runs of short lines: menus, link lists, tag clouds.

    A real subheading or a short list stands between paragraphs; a run of six or
    more short lines with no prose between them is navigation (jusText's
    link-density signal, which copied text has lost).
    """
    run: list[Line] = []
    for line in lines + [None]:  # type: ignore[list-item]
        # A short sentence ("Webb emerged, naked.") is prose, not a menu entry.
        if line is not None and line.cls in ("short", "bad") and line.length < LENGTH_LOW and not (line.sentence and line.words >= 3 and line.stop_density > 0):
            run.append(line)
            continue
        if len(run) >= 6:
            for item in run:
                item.cls = "bad"
        run = []


# --------------------------------------------------------------------------- region


BARRIER_COST = 800.0
HEADLINE_COST = 40.0
KICKER_COST = 120.0


def _headline_case(text: str) -> bool:
    words = [w for w in re.findall(r"[^\W\d_][\w'’]*", text) if len(w) > 3]
    return len(words) >= 3 and sum(1 for w in words if w[0].isupper()) >= 0.8 * len(words) and not text.endswith(".")


def _line_score(line: Line) -> float:
    """What a line adds to an article region: prose adds its length, the rest costs."""
    if line.barrier:
        # Comments end the article for good; a furniture heading usually does,
        # but "Related" boxes also sit inside articles, so enough prose after
        # one may bridge it.
        return -BARRIER_COST if _INLINE_FURNITURE.match(line.text.strip("•·▪►-–— ")) else -10_000.0
    if line.cls == "good":
        return float(line.length)
    if line.cls == "near":
        return line.length * 0.5
    if line.dateline:
        # A date on a line of its own below the headline block belongs to a
        # teaser of another story (title, author, date, snippet).
        return -150.0
    if line.cls == "short" and line.text.isupper() and line.words <= 6:
        # A kicker in capitals ("RECEIVED BIPARTISAN SUPPORT") labels a teaser.
        return -KICKER_COST
    if line.cls == "short" and _headline_case(line.text):
        # A Title Cased line is a headline; below the article's own headline
        # it is mostly another story's (teasers, "Most Popular" lists).
        return -HEADLINE_COST
    if line.cls == "short":
        return -25.0
    return -60.0


def find_anchor(lines: list[Line]) -> int | None:
    """The page's first byline, or a date line just under a headline-shaped line.

    The article's headline sits just above it and its first paragraph just
    below; a masthead's date sits under menus, not under a headline.
    """
    for k, line in enumerate(lines):
        byline = line.words <= 12 and (_is_byline(line.text) or _BY.fullmatch(line.text) and k + 1 < len(lines) and clean_name(lines[k + 1].text))
        dated = line.length <= 80 and parse_date_in(line.text) is not None and any(
            prev.words >= 5 and not prev.text.endswith(".") and not prev.boiler for prev in lines[max(0, k - 3) : k]
        )
        if byline or dated:
            return k
    # No byline or date: a headline-shaped line the page shows twice (as the
    # heading and at the end of the breadcrumb or in the window title).
    counts = line_counts(lines)
    for k, line in enumerate(lines[:400]):
        headline_shaped = line.words >= 3 and line.cls != "bad" and not line.bullet and not line.text.endswith((".", ":", ";", ","))
        if not headline_shaped:
            continue
        near = lines[max(0, k - 3) : k + 4]
        if counts[line.text] >= 2 or any(other is not line and other.text.endswith(" " + line.text) for other in near):
            return k + 1 if k + 1 < len(lines) and lines[k + 1].text.endswith(line.text) else k
    return None


def _byline_bonus(lines: list[Line], anchor: int | None) -> dict[int, float]:
    """Extra weight for the first prose right under the anchor (the byline).

    Comments, teasers and "You may like" lists further down can hold more
    prose than a short article; position relative to the byline tells them apart.
    """
    if anchor is None:
        return {}
    for j in range(anchor + 1, min(len(lines), anchor + 8)):
        if lines[j].cls == "good":
            return {j: BYLINE_BONUS}
    return {}


BYLINE_BONUS = 1000.0


def _is_byline(text: str) -> bool:
    """ "By Jane Doe", "September 10, 2018 | by Catherine": a credit to a named writer."""
    m = _BY.match(text) or re.search(r"(?:^|[|•·,–—-]\s*)by\s+(?=[A-ZÀ-Ý])", text)
    if not m:
        return False
    rest = text[m.end():].strip()
    return bool(split_names(rest)) or bool(re.match(r"[A-ZÀ-Ý][\w'’.-]+$", rest))


def _scores(lines: list[Line], bonus: dict[int, float]) -> list[float]:
    """Per-line scores; each further line in a run of non-prose lines costs more."""
    scores, run = [], 0
    for i, line in enumerate(lines):
        score = _line_score(line) + bonus.get(i, 0.0)
        if score < 0:
            run += 1
            score *= 1 + 0.25 * max(0, run - 3)
        else:
            run = 0
        scores.append(score)
    return scores


def _max_run(scores: list[float], low: int, high: int) -> tuple[float, tuple[int, int]]:
    """Maximum-sum contiguous run of scores[low:high] (Kadane)."""
    best, best_span = float("-inf"), (low, low)
    total, start = 0.0, low
    for i in range(low, high):
        if total <= 0:
            total, start = 0.0, i
        total += scores[i]
        if total > best:
            best, best_span = total, (start, i + 1)
    return best, best_span


def best_region(lines: list[Line], anchor: int | None = None) -> tuple[int, int]:
    """[start, end) of the contiguous run of lines with the highest total score.

    Each further line in an unbroken run of non-prose lines costs more than the
    last: one caption or ad between paragraphs is bridged, a block of tags,
    share buttons and teasers is not (boilerpipe's neighbour-density idea).

    When the best run lies beyond a hard furniture heading ("You may like",
    "Comments") that follows the prose under the byline, the prose under the
    byline is the article if it holds a fair share of text: what follows such a
    heading is other stories or readers' comments, however long.
    """
    bonus = _byline_bonus(lines, anchor)
    scores = _scores(lines, bonus)
    best, span = _max_run(scores, 0, len(lines))
    if bonus:
        first = next(iter(bonus))
        hard = [i for i in range(first, span[0]) if lines[i].barrier and scores[i] <= -10_000.0]
        if not span[0] <= first < span[1] and hard:
            local, local_span = _max_run(scores, 0, hard[0])
            if local_span[0] <= first < local_span[1] and local - BYLINE_BONUS >= 0.2 * best:
                return local_span
    return span


def _is_data_row(line: Line) -> bool:
    """A row of figures: a number after its first word ("June 9 – Tampa"), or three numbers.

    A number only at the front is a listicle headline ("27 Oddest Cases"), a teaser.
    """
    tokens = _TOKEN.findall(line.text)
    numeric = [i for i, t in enumerate(tokens) if any(ch.isdigit() for ch in t)]
    return len(tokens) >= 3 and (len(numeric) >= 3 or any(i > 0 for i in numeric))


def extend_with_data_block(lines: list[Line], end: int) -> int:
    """Take in a block of data rows that closes the article (tour dates, a results table).

    Rows of dates, prices or scores have no stop words and come in runs, so the
    classifier calls them a menu; a block of them right after the last
    paragraph (optionally under a heading), printed as one block with no blank
    lines, each row carrying figures, and free of boilerplate, is the article's.
    """
    k = end
    if k < len(lines) and _looks_like_heading(lines[k]) and not lines[k].barrier and k + 1 < len(lines) and lines[k + 1].blank_before:
        k += 1
    block = [lines[k]] if k < len(lines) else []
    for line in lines[k + 1 :]:
        if line.blank_before:
            break
        block.append(line)
    if len(block) < 3 or any(line.boiler or line.barrier for line in block):
        return end
    if sum(1 for line in block if _is_data_row(line)) < 0.8 * len(block):
        return end
    for line in block:  # rows of the article now, shown as a list
        line.cls, line.bullet = "near", True
    if k > end:
        lines[end].cls = "short"  # their heading, even if it sat in a run of short lines
    return block[-1].index + 1


def _looks_like_heading(line: Line) -> bool:
    """A subheading: a few words, no sentence end, starts with a capital or digit."""
    return 1 <= line.words <= 14 and not line.text.endswith((".", ",", ";")) and not line.boiler and (line.text[0].isupper() or line.text[0].isdigit() or bool(_CJK.match(line.text)))


def smooth(lines: list[Line], start: int, end: int) -> list[Line]:
    """The lines of the region that belong to the article (jusText's context smoothing).

    Good and near-good lines stay; bad lines go. A short line is judged by its
    nearest non-short neighbours: between prose on both sides it is part of
    the text (a subheading, a list item, a one-line paragraph); with prose on
    one side only it stays if it reads as a heading leading into that prose.
    """
    region = lines[start:end]
    kept: list[Line] = []

    def neighbour(k: int, step: int) -> str:
        j = k + step
        while 0 <= j < len(region) and region[j].cls == "short":
            j += step
        if not 0 <= j < len(region):
            return "edge"
        return "prose" if region[j].cls in ("good", "near") else "bad"

    for k, line in enumerate(region):
        if line.cls in ("good", "near"):
            kept.append(line)
            continue
        if line.cls == "bad" or line.dateline:
            continue
        before, after = neighbour(k, -1), neighbour(k, 1)
        if before == "prose" and after == "prose" or after == "prose" and _looks_like_heading(line) and k + 1 < len(region) and region[k + 1].cls in ("good", "near"):
            kept.append(line)
    return kept


@dataclass(frozen=True)
class FoundDate:
    value: datetime | date
    updated: bool
    line: int
    ambiguous: bool


def find_dates(lines: list[Line]) -> list[FoundDate]:
    found: list[FoundDate] = []
    for k, line in enumerate(lines):
        # The page's dates stand in short lines of their own, not in prose or
        # in a photo caption ("..., Friday, Sept. 15, 2023, in Wayne. (AP Photo/...)").
        credited = _BY.match(line.text) or PUBLISHED.search(line.text) or UPDATED.search(line.text)
        if line.length > 160 or (line.boiler and line.length > 80) or (line.sentence and line.words > 12 and not credited):
            continue
        parsed = parse_date_in(line.text)
        if not parsed:
            continue
        value, ambiguous = parsed
        # "September 17, 2024" on one line and "6:10 PM ET" on the next.
        if not isinstance(value, datetime) and k + 1 < len(lines) and lines[k + 1].length < 30 and TIME.search(lines[k + 1].text):
            value = with_time(value, lines[k + 1].text)
        marker = UPDATED.search(line.text)
        before = parse_date_in(line.text[: marker.start()]) if marker and marker.start() > 0 else None
        if before:
            # "Published March 3, 2025 Updated March 4, 2025, 9:12 a.m. ET": two
            # dates, and the time after "Updated" belongs to the second only.
            first, first_ambiguous = before
            found.append(FoundDate(first, False, line.index, first_ambiguous))
            second = parse_date_in(line.text[marker.start() :])
            if second:
                found.append(FoundDate(second[0], True, line.index, second[1]))
            continue
        found.append(FoundDate(value, bool(marker), line.index, ambiguous))
    return found


# --------------------------------------------------------------------------- byline

_BY = re.compile(r"^(?:(?:written|posted|reported|words|story|text|texto|oleh|por|par|von|door|от|автор)\s*)?(?:by|por|par|von|oleh|door)\b[:\s]*", re.IGNORECASE)
_AUTHOR_LABEL = re.compile(r"^(?:authors?|autor(?:a|es)?|auteur|penulis|reporter|writer)\s*[:：]\s*", re.IGNORECASE)


def bare_byline(lines: list[Line], low: int, high: int) -> list[str]:
    """Names on a line of their own beside the date ("Maya Ortiz and Daniel Kim").

    Some pages print the byline without "By"; a line that is nothing but
    person names, directly above or below the date line of the header, is one.
    """
    for k in range(low, high):
        parts = [p for p in re.split(r",\s*(?:and\s+)?|\s+(?:and|&)\s+", lines[k].text) if p.strip()]
        names = [clean_name(p) for p in parts]
        if not names or not all(names):
            continue
        beside = [lines[j] for j in (k - 1, k + 1) if 0 <= j < len(lines)]
        if any(b.length <= 120 and parse_date_in(b.text) is not None for b in beside):
            return [n for n in names if n]
    return []


def find_authors(lines: list[Line], start: int, end: int) -> list[str]:
    """Names from bylines ("By X", "By X and Y", "By" alone above the name, "Author: X")."""
    names: list[str] = []
    for k in range(start, end):
        text = lines[k].text
        match = _BY.match(text) or _AUTHOR_LABEL.match(text)
        if not match and lines[k].words <= 16 and (parse_date_in(text) or re.match(r"(?:posted|published|written)\b", text, re.IGNORECASE)):
            # "Posted on July 25, 2023 by Rachel Green", "March 3, 2025 | by Jane Doe"
            match = re.search(r"(?:^|\s|[|•·,–—-])by\s+(?=[A-ZÀ-Ý])", text, re.IGNORECASE)
        if not match:
            continue
        rest = text[match.end():].strip()
        if not rest and k + 1 < len(lines):
            rest = lines[k + 1].text
        if len(rest) > 120:
            continue
        for name in split_names(rest):
            if name not in names:
                names.append(name)
    return names


# --------------------------------------------------------------------------- headline, dek, section


def _is_meta_line(line: Line) -> bool:
    return bool(_BY.match(line.text) or _AUTHOR_LABEL.match(line.text)) or (line.length < 120 and parse_date_in(line.text) is not None)


def _title_score(line: Line, lines: list[Line], start: int, counts: dict[str, int], names: set[str]) -> float:
    text = line.text
    if line.boiler or line.barrier or text in names or _is_meta_line(line) or line.bullet:
        return float("-inf")
    if re.search(r"[.,;:]$", text) and not text.endswith("..."):
        return float("-inf")
    # Addresses, breadcrumbs ("Home > News > ...", "HomeLatest News...") and
    # lines with a clock time are page chrome, not a headline.
    if _URL.search(text) or re.match(r"(?i:home)\s*[>»/|›:]|Home(?=[A-Z])|HOME\b", text) or re.search(r"[>»/|]\s*$|\s[>»]\s", text) or TIME.search(text) and re.search(r"\d[:h]\d\d", text):
        return float("-inf")
    if UPDATED.search(text) or PUBLISHED.search(text):
        return float("-inf")
    # A byline without "By": nothing but names, or names then the outlet.
    parts = [p for p in re.split(r",\s*(?:and\s+)?|\s+(?:and|&)\s+", text) if p.strip()]
    if len(parts) >= 2 and all(clean_name(p) or name_before_affiliation(p) for p in parts):
        return float("-inf")
    pair = re.split(r"\s+(?:and|&)\s+", text, maxsplit=1)
    if len(pair) == 2 and clean_name(pair[0]) and any(clean_name(" ".join(pair[1].split()[:n])) for n in (2, 3)):
        return float("-inf")  # "Lisa Kaczke and Trevor J. Mitchell Sioux Falls Argus Leader"
    if not 3 <= line.words <= 30 or line.length > 220:
        return float("-inf")
    # Headlines run to a dozen words or so; a longer line near them is a dek.
    score = min(line.words, 8) - max(0, line.words - 16) * 0.5
    # Headlines are often shown twice (breadcrumb and heading, or heading and a share box).
    if counts.get(text, 0) > 1:
        score += 4
    # The headline sits just above the byline/date block or the dek.
    # The closer the byline/date below it, the likelier the headline: teasers
    # in a sidebar above the byline are further away.
    following = lines[line.index + 1 : min(start + 1, line.index + 8)]
    gap = next((d for d, f in enumerate(following, start=1) if _is_meta_line(f)), None)
    if gap is not None:
        score += 10 - gap
    # Titles are in the header, near the article, never far above it.
    distance = start - line.index
    score -= distance * 0.4
    if line.words < 5 and not counts.get(text, 0) > 1:
        score -= 4
    return score


def find_title(lines: list[Line], start: int, names: set[str], anchor: int | None = None) -> Line | None:
    counts = line_counts(lines)
    if anchor is not None and anchor < start and start - anchor < 40:
        # The headline stands just above the byline, not among the teasers
        # that may sit between the byline block and the region's start.
        nearby = find_title(lines, anchor, names)
        if nearby is not None and anchor - nearby.index <= 8:
            return nearby
    low = max(0, start - 40)
    best, best_score = None, float("-inf")
    for line in lines[low:start]:
        s = _title_score(line, lines, start, counts, names)
        if s > best_score:
            best, best_score = line, s
    if best is not None:
        # A breadcrumb ends with the headline ("Home News Business News <headline>"):
        # when another line is the tail of the chosen one, that line is the headline.
        for line in lines:
            if line is not best and line.words >= 3 and best.text.lower().endswith(line.text.lower()) and len(line.text) < len(best.text):
                tail = best.text[-len(line.text) :]
                # Keep the breadcrumb's casing when the heading is set in capitals.
                return replace(line, text=tail) if line.text.isupper() and not tail.isupper() else line
        if best.text.isupper():
            # A heading set in capitals: the page often shows it in its own
            # casing elsewhere (the window title, the end of a breadcrumb).
            key = best.text.lower()
            for line in lines:
                if not line.text.isupper() and line.text.lower().endswith(key):
                    return replace(best, text=line.text[-len(best.text) :])
    if best is None and start < len(lines):
        # The region itself may begin with the headline when nothing separates them.
        first = lines[start]
        if _title_score(first, lines, start + 6, counts, names) > float("-inf") and first.cls != "good":
            return first
    return best


def find_dek(lines: list[Line], title: Line | None, body_start: int) -> Line | None:
    """The standfirst: the sentence right under the headline, before the body begins.

    Only a line with some non-body line between it and the body (a byline, a
    date, a caption) counts; otherwise it is the first paragraph.
    """
    if title is None:
        return None
    k = title.index + 1
    while k < len(lines) and lines[k].text == title.text:
        k += 1
    if k >= len(lines):
        return None
    line = lines[k]
    if _is_meta_line(line) or line.boiler or not (6 <= line.words <= 70) or line.bullet:
        return None
    if not re.search(r"[.!?…。”\"']$", line.text) and line.words < 10:
        return None
    # A timestamp ("Updated Nov 19, 6:55 AM") or a byline without "By"
    # ("Lisa Kaczke and Trevor J. Mitchell") sits where a dek would.
    if re.search(r"\s[»>›|/]\s", line.text):  # a breadcrumb trail
        return None
    if _URL.search(line.text) or UPDATED.search(line.text) or PUBLISHED.search(line.text) or re.search(r"\d[:h]\d\d", line.text) and line.words < 15:
        return None
    if split_names(re.split(r"\s(?:and|&)\s", line.text, maxsplit=1)[0]) and not line.sentence:
        return None
    if k + 1 >= len(lines) or lines[k + 1].cls == "good" and k + 1 >= body_start and not _is_meta_line(lines[k + 1]):
        return None
    return line


_ACCOUNT = re.compile(r"\b(?:close|log ?(?:in|out)|sign ?(?:in|out|up)|register|account|subscribe|newsletters?|search|menu)\b", re.IGNORECASE)


def find_section(lines: list[Line], title: Line | None) -> str | None:
    """The kicker above the headline when the page's own menu lists it.

    A short line right above the headline is a section, a tag or a breadcrumb;
    it is the section when the same words are an entry of a menu (a run of four
    or more short label lines) higher up. Kickers often run the section and a
    tag together ("TechAmazon"), so a menu entry followed by a capital counts.
    """
    if title is None or title.index == 0:
        return None
    entries: set[str] = set()
    run: list[str] = []
    # The kicker lines themselves (just above the headline) are not menu entries.
    for line in lines[: max(0, title.index - 2)] + [None]:  # type: ignore[list-item]
        label = line.text.strip("•·▪►-–—|/ ") if line is not None else ""
        if line is not None and label and line.words <= 4 and not line.sentence:
            run.append(label)
            continue
        if len(run) >= 4:
            entries.update(run)
        run = []
    entries -= {"Home", "HOME", "Menu", "MENU", "News"}
    for k in range(title.index - 1, max(-1, title.index - 2), -1):
        kicker = lines[k].text.strip("•·▪►-–—|/ ")
        if not kicker or lines[k].words > 5 or lines[k].boiler or _ACCOUNT.search(kicker):
            continue
        for entry in sorted(entries, key=len, reverse=True):
            if kicker == entry or (kicker.startswith(entry) and kicker[len(entry) : len(entry) + 1].isupper()):
                return entry
    return None


# --------------------------------------------------------------------------- publication and URL

_COPYRIGHT = re.compile(r"(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:(?:19|20)\d{2}\s*(?:[-–]\s*(?:19|20)?\d{2,4})?\s*)?,?\s*(?P<holder>[^.|©]{2,80})", re.IGNORECASE)
_TRADEMARK = re.compile(r"^(?P<name>[A-Z][\w&'’ ]{1,40}?) is a (?:registered )?trademark of", re.IGNORECASE)
_LEGAL_SUFFIX = re.compile(
    r"(?:,?\s+(?:media|ip|limited|ltd|inc|llc|llp|plc|corp|corporation|group|company|co|holdings|gmbh|s\.?a|"
    r"publishing|publications|enterprises|digital|interactive|network|networks|ventures|properties|all|rights|reserved))+\.?$",
    re.IGNORECASE,
)


def find_publication(lines: list[Line]) -> tuple[str | None, bool]:
    """The outlet's name from a trademark or copyright line, and whether the page bears it out.

    A copyright holder is often the parent company ("Penske Media"), not the
    outlet; when the name appears nowhere else on the page it is kept but
    marked for review.
    """
    name = _publication_name(lines)
    if name is None:
        return None, False
    legal = re.compile(r"©|\bcopyright\b|\btrademark\b|all rights reserved", re.IGNORECASE)
    word = re.compile(r"\b" + re.escape(name) + r"\b", re.IGNORECASE)
    return name, any(word.search(line.text) for line in lines if not legal.search(line.text))


def _publication_name(lines: list[Line]) -> str | None:
    for line in reversed(lines):
        m = _TRADEMARK.match(line.text)
        if m:
            name = m["name"].strip()
            return name.title() if name.isupper() and len(name) > 4 else name
    for line in reversed(lines):
        if line.length > 300:
            continue
        m = _COPYRIGHT.search(line.text)
        if not m:
            continue
        holder = re.split(r"\s*(?:all rights|\||todos os|hak cipta|все права|\bby\b)", m["holder"], flags=re.IGNORECASE)[0]
        holder = re.sub(r"^(?:copyright\s*|(?:19|20)\d{2}\s*[-–]?\s*|[,\s]+)+", "", holder, flags=re.IGNORECASE)
        holder = re.split(r"\s[—–|/-]\s|\(|\s-\s|\s(?:or|and) its\s|,\s", holder)[0].strip(" ,.-–")
        holder = _LEGAL_SUFFIX.sub("", holder).strip(" ,.-–")
        holder = re.sub(r"\s+(?:&|and)$|\s*&$", "", _LEGAL_SUFFIX.sub("", holder)).strip(" ,.-–")
        if 2 <= len(holder) <= 60 and not re.search(r"\d{3}", holder) and holder[0].isupper():
            return holder
    return None


_URL = re.compile(r"https?://[^\s<>\"'”)]+")


def find_source_url(text: str, title: str | None) -> str | None:
    """An address in the text that points at this article: its path shares words with the headline."""
    if not title:
        return None
    title_words = {w.lower() for w in _TOKEN.findall(title) if len(w) > 3}
    best, best_hits = None, 1
    for url in _URL.findall(text):
        url = url.rstrip(".,;")
        path = url.split("://", 1)[1].partition("/")[2]
        hits = len(title_words & {w.lower() for w in re.findall(r"[A-Za-z0-9]+", path)})
        if hits > best_hits:
            best, best_hits = url, hits
    return best


# --------------------------------------------------------------------------- body


def _escape(text: str) -> str:
    """Keep the page's characters but stop them from reading as Markdown syntax."""
    text = text.replace("\\", "\\\\").replace("*", "\\*").replace("`", "\\`").replace("<", "&lt;")
    text = re.sub(r"^([#>+=-])", r"\\\1", text)
    text = re.sub(r"^(\d+)([.)])(\s)", r"\1\\\2\3", text)
    return text


def to_markdown(kept: list[Line]) -> str:
    """Paragraphs, "## " subheadings and "- " list items, in page order, text as on the page."""
    blocks: list[str] = []
    list_items: list[str] = []
    for line in kept:
        if line.bullet and line.words <= 80:
            item = _BULLET.sub("", line.raw.strip()) or line.text
            list_items.append("- " + _escape(_clean(item)))
            continue
        if list_items:
            blocks.append("\n".join(list_items))
            list_items = []
        if line.cls == "short" and not line.sentence and _looks_like_heading(line):
            blocks.append("## " + _escape(line.text).lstrip("\\"))
        else:
            blocks.append(_escape(line.text))
    if list_items:
        blocks.append("\n".join(list_items))
    return "\n\n".join(blocks)


# --------------------------------------------------------------------------- summary


def make_summary(dek: str | None, body_lines: list[Line]) -> str | None:
    """The dek if there is one, else one to three sentences from the first paragraph."""
    if dek:
        return dek
    from ..text import first_sentences

    for line in body_lines:
        if line.cls in ("good", "near") and line.words >= 12 and not line.bullet:
            return first_sentences(line.text, max_words=60) or None
    return None


# --------------------------------------------------------------------------- main


def extract(text: str) -> Extraction:
    """Metadata and Markdown body of the article in a copied page's text."""
    text = unicodedata.normalize("NFC", text.replace("\ufeff", ""))
    lines = split_lines(text)
    tokens = [t.lower() for t in _TOKEN.findall(text[:200_000])]
    language = "cjk" if len(_CJK.findall(text[:200_000])) > len(tokens) * 0.3 else detect_language(tokens)
    classify(lines, language)
    _menu_runs(lines)
    anchor = find_anchor(lines)
    start, end = best_region(lines, anchor)
    end = extend_with_data_block(lines, end)
    if end <= start or sum(line.length for line in lines[start:end] if line.cls in ("good", "near")) < LENGTH_HIGH:
        return _empty(language)

    # The header: headline, dek, byline, date sit in the lines above the body.
    # The region may open with the headline block itself (headline, dek,
    # byline, date) when nothing short separates it from the first paragraph:
    # the header then ends at the last byline/date line near the region's top.
    meta = [k for k in range(start, min(end, start + 6)) if lines[k].cls != "good" and _is_meta_line(lines[k])]
    if meta:
        start = meta[-1] + 1
    header_low = max(0, start - 40)
    author_names = find_authors(lines, header_low, min(len(lines), start + 2))
    name_set = set(author_names) | {line.text for line in lines[header_low:start] if clean_name(line.text) and line.words <= 4}
    title_line = find_title(lines, start, name_set, anchor)
    authors_guessed = False
    if not author_names and title_line is not None:
        author_names = bare_byline(lines, title_line.index + 1, min(len(lines), start + 1))
        authors_guessed = bool(author_names)
    if title_line is not None and title_line.index >= start:
        start = title_line.index + 1
    dek_line = find_dek(lines, title_line, start)
    if dek_line is not None and dek_line.index >= start:
        start = dek_line.index + 1

    kept = smooth(lines, start, end)
    drop = {line.text for line in (title_line, dek_line) if line is not None}
    seen: set[str] = set()
    author_keys = {name.lower() for name in author_names}
    body_lines = []
    # A line the page shows both inside and outside the article is a caption
    # repeated in a gallery, a teaser or a share box; a long paragraph stays
    # (pages may print the opening paragraph again as a summary).
    elsewhere = {line.text for line in lines[:start] + lines[end:] if line.length >= 40}
    for line in kept:
        if line.text in elsewhere and (line.cls != "good" or line.length < LENGTH_HIGH):
            continue
        # Headline and byline repeated in the body, and lines shown twice, go.
        if line.text in drop or line.text in seen or _BY.match(line.text) and line.words <= 8 or line.text.lower() in author_keys:
            continue
        seen.add(line.text)
        body_lines.append(line)
    body_md = to_markdown(body_lines)

    # Dates: from the headline (or a little above) down to the start of the body.
    date_low = max(0, (title_line.index if title_line else start) - 5)
    dates = find_dates(lines[date_low : min(len(lines), start + 2)])
    published = next((d for d in dates if not d.updated), None)
    updated = next((d for d in dates if d.updated), None)
    if updated and published and updated.value == published.value:
        updated = None

    title = title_line.text if title_line else None
    dek = dek_line.text if dek_line else None
    publication, publication_sure = find_publication(lines)
    section = find_section(lines, title_line)
    source_url = find_source_url(text, title)
    review = missing(title=title, dek=dek, authors=author_names, date=published, publication=publication, section=section, source_url=source_url)
    if published and published.ambiguous and "date" not in review:
        review.append("date")
    if publication and not publication_sure:
        review.append("publication")
    if authors_guessed:
        review.append("authors")  # names without "By": likely, not certain
    return Extraction(
        title=title,
        dek=dek,
        authors=tuple(author_names),
        date=published.value if published else None,
        updated=updated.value if updated else None,
        publication=publication,
        section=section,
        source_url=source_url,
        body_md=body_md,
        summary=make_summary(dek, body_lines),
        review=tuple(review),
        language=language,
    )


def _empty(language: str | None) -> Extraction:
    return Extraction(None, None, (), None, None, None, None, None, "", None, ("title", "body"), language)
