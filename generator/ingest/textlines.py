"""Copied page text as lines, each with the shallow features that survive without markup.

Published extractors (jusText, boilerpipe, trafilatura, Readability) work on HTML;
copied text has lost the markup, so only signals that survive in plain text are
kept: a line's length, sentence shape (terminal punctuation), stop-word density in
the page's language, whether it sits in a run of short lines (menus, link lists),
and whether it carries boilerplate vocabulary (copyright, share/subscribe prompts,
photo credits). Lines are then classified good / near-good / short / bad (jusText's
classes), and a heading that opens page furniture ("Most Popular", "Related",
"Comments", "About the Author", ...) becomes a barrier no article region may cross.

Rules are written against general signals, never one outlet's strings; each rule
says why it exists.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .normalize import parse_date_in

# --------------------------------------------------------------------------- languages

# Short stop-word lists: density of these words separates running prose (full of
# function words) from menus, tag clouds and headlines (jusText's main signal).
STOP_WORDS: dict[str, frozenset[str]] = {
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
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
TOKEN = re.compile(r"\w+")


def detect_language(tokens: list[str]) -> str | None:
    """The language whose stop words cover the most tokens (None if no list fits)."""
    if not tokens:
        return None
    best, best_hits = None, 0
    for lang, words in STOP_WORDS.items():
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
INLINE_FURNITURE = re.compile(
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
    r"|^(?:fotos?|bild(?:er)?|imagen|imagem)(?:\s+von\b|\s+de\b|\s*:)|\bvon (?:pexels|unsplash|pixabay)\b|\b(?:pexels|unsplash|pixabay)\b"
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
    r"|\bcontinue reading\b|\bregister (?:here|now|today)\b|\bbuy tickets\b|\blearn more\b|\bsee (?:full|all|more)\b"
    r"|\bview all\b|\bclick to expand\b|\bshow more\b|\bload more\b"
    # The same prompts in the other languages of the bench's pages.
    r"|\babonnier(?:en|t)\b|\bnewsletter bestellen\b|\bhier klicken\b|\bteilen\b|\bbesucht? uns\b|\bweiterlesen\b|\bmehr lesen\b"
    r"|\bregístrate\b|\bregistrate\b|\bsuscr[ií]bete\b|\bcompartir\b|\bleer más\b|\babonnez-vous\b|\bpartager\b|\blire la suite\b"
    r"|\bcondividi\b|\biscriviti\b|\bleggi (?:anche|tutto)\b|\binscreva-se\b|\bcompartilh(?:e|ar)\b|\bassine\b|\bleia mais\b",
    re.IGNORECASE,
)

# A paragraph that gives an e-mail address with a call to contact the writer is
# a tip-line or newsletter pitch, not reporting: articles rarely print addresses.
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]++@[\w-]++\.[\w.-]")
_PITCH = re.compile(r"\b(?:contact|reach|tips?|signal|whatsapp|securedrop)\b", re.IGNORECASE)

_CALL_TO_ACTION = re.compile(
    r"(?:^|[.!?]\s+)(?<!\w)(?:\w+\s+){0,2}(?:register|sign up|subscribe|buy tickets|get tickets|learn more|join us|download)"
    r"\b[^.!?]{0,30}[.!]?$",
    re.IGNORECASE,
)

# Lines that are only a bullet or a tab before a few words: menus and link lists.
BULLET = re.compile(r"^\s*(?:[•·▪►▸●◦\-*–]|\d{1,2}[.)])\s+")
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


_SPACES = re.compile(r"[ \t\u00a0\u2009\u200b\u202f]+")


def clean(line: str) -> str:
    return _SPACES.sub(" ", line).strip()


def split_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    blank = True
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        cleaned = clean(raw)
        if not cleaned:
            blank = True
            continue
        tokens = TOKEN.findall(cleaned)
        cjk = len(CJK.findall(cleaned))
        lines.append(
            Line(
                index=len(lines),
                text=cleaned,
                raw=raw.rstrip(),
                length=len(cleaned) + 2 * cjk,
                words=max(len(tokens), cjk // 2),
                stop_density=0.0,
                sentence=bool(_TERMINAL.search(cleaned)),
                bullet=bool(BULLET.match(raw)) or raw.startswith("\t"),
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
    stop_words = STOP_WORDS.get(language or "", frozenset())
    for line in lines:
        tokens = TOKEN.findall(line.text.lower())
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
    A short article has few long lines; its sentences of paragraph length
    tell instead.
    """
    if not measured:
        return STOP_LOW, STOP_HIGH
    dense = sorted(line.stop_density for line in lines if line.length >= 150)
    if len(dense) < 3:
        dense = sorted(line.stop_density for line in lines if line.sentence and line.length >= LENGTH_LOW)
        if len(dense) < 2:
            return STOP_LOW, STOP_HIGH
    reference = dense[len(dense) * 3 // 4]
    return min(STOP_LOW, 0.55 * reference), min(STOP_HIGH, 0.75 * reference)


# The longest line a page's furniture prints (a footer's legal notice, a tip-line
# pitch); past it a line is prose or nothing, and furniture patterns are not tried.
LEGAL_MAX = 2000


def is_boilerplate(line: Line) -> bool:
    text = line.text
    # Long prose may mention "cookies" or "read more" in passing; the vocabulary
    # only condemns lines short enough to be a prompt, a label or a legal line.
    # (A footer's legal line runs to a few hundred characters, never thousands.)
    if line.length < 260 and _BOILERPLATE.search(text) or line.length < LEGAL_MAX and _LEGAL.search(text):
        return True
    if (line.words <= 8 or not line.sentence) and line.length < LEGAL_MAX and _PROMPT.search(text):
        return True
    if line.length < 260 and _PITCH_BOX.search(text):
        return True
    if line.length < 400 and _BIO.match(text):
        return True
    if "@" in text and line.length < LEGAL_MAX and _EMAIL.search(text) and _PITCH.search(text):
        return True
    # A paragraph that ends by telling the reader to act (register, sign up,
    # subscribe, buy) is a promotion, however long its pitch.
    return bool(_CALL_TO_ACTION.search(text[-100:]))


def mark_menu_runs(lines: list[Line]) -> None:
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

def looks_like_heading(line: Line) -> bool:
    """A subheading: a few words, no sentence end, starts with a capital or digit."""
    return 1 <= line.words <= 14 and not line.text.endswith((".", ",", ";")) and not line.boiler and (line.text[0].isupper() or line.text[0].isdigit() or bool(CJK.match(line.text)))


def headline_case(text: str) -> bool:
    """Title Case: most longer words capitalised, no full stop (a headline, not a sentence)."""
    words = [w for w in re.findall(r"[^\W\d_][\w'’]*", text) if len(w) > 3]
    return len(words) >= 3 and sum(1 for w in words if w[0].isupper()) >= 0.8 * len(words) and not text.endswith(".")
