"""Full-text search for static hosting: an inverted index split into small files, built at build time.

A reader's browser fetches only what a query needs (search.js does the querying):

- `search/index/manifest.json`: the number of documents, the stop words and the
  sorted list of shard keys. A term lives in the shard whose key is the longest key
  that is a prefix of the term, so the browser finds a word's shard, and every shard
  a typed prefix can reach, from the manifest alone.
- `search/index/t-<key>.json` (`u-<hex>.json` for keys outside a-z0-9): terms to
  postings. A shard starts as every term sharing two first characters (one for CJK)
  and is split a character deeper while it is large, so a common prefix ("wo") does
  not make every query download the postings of "work", "worker" and "world".
  Postings are flat lists `[doc, score, doc, score, ...]` with doc numbers
  delta-encoded (ascending): small numbers, and gzip likes them.
- `search/docs/<n>.json`: what a result shows (URL, title, date, publication) and
  the text its snippet is cut from; fetched only for the results on screen.

Documents are numbered oldest first, so adding a story adds a file and leaves
every older document's file, and the shards its words do not touch, byte-identical;
an edit rewrites only the shards of the words that changed. Scores weight the title
highest, then the dek, summary, authors, publication and topic names, then the body;
equal scores go to the newer story (the higher number).

Each article's terms and document are made with its body, on a worker
(`article_entry`). Rebuilds redo only what changed: a document file is made again
only when its article changed, and the postings of each block of articles are
remembered in the build cache by the block's content, so an edit re-indexes one
block and a build with nothing changed re-indexes nothing.

Only what the site publishes is indexed: the article page's own text
(`RenderedArticle.full_text`, the excerpt when the article is republished as an
excerpt), never the rest of the source.
"""

from __future__ import annotations

import functools
import hashlib
import json
import operator
import re
import unicodedata
import zlib
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any
from zoneinfo import ZoneInfo

from . import urls
from .body import credit
from .cache import digest
from .model import Config, RenderedArticle, SearchEntry, Site
from .pages import Output, Pages, readable_date
from .parallel import map_in_parallel

INDEX_DIR = "search/index/"
DOCS_DIR = "search/docs/"
FORMAT = 1

TITLE_WEIGHT = 10
META_WEIGHT = 4  # dek, summary, authors, publication, topic names
BODY_CAP = 8  # a word repeated in the body counts at most this often

BLOCK = 100  # articles indexed together (large sites use every core); an edit re-indexes one block
SHARD_LIMIT = 16_000  # bytes of JSON; a larger shard is split one character deeper
MAX_KEY = 5  # ...but never past keys of this many characters
MAX_TERM = 32  # longer runs of letters are not words (hashes, URLs glued together)

STOP_WORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "had", "has", "have", "he",
    "her", "his", "i", "if", "in", "into", "is", "it", "its", "not", "of", "on", "or", "our", "she",
    "so", "than", "that", "the", "their", "them", "they", "this", "to", "was", "we", "were", "what",
    "when", "which", "who", "will", "with", "you"
})

_WORD = re.compile(r"[^\W_]+")
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_CJK_SPLIT = re.compile(f"([{_CJK}]+)")
_IS_CJK = re.compile(f"[{_CJK}]")
_CJK_FIRST = _CJK[0]  # the lowest character of the CJK ranges
_SAFE_KEY = re.compile(r"[a-z0-9]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# ASCII bytes: letters and digits stay (lower-cased), everything else splits words.
_ASCII_SPACES = bytes(c if chr(c).isascii() and chr(c).isalnum() else 32 for c in range(256))


def fold(text: str) -> str:
    """Lower case without diacritics or punctuation: 'Équipe—café' gives 'equipe cafe' (search.js folds the same way)."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        if not text.isascii():
            text = _NON_ASCII.sub(_fold_char, text).casefold()
    return text.lower()


@functools.lru_cache(maxsize=4096)
def _folded_char(char: str) -> str:
    # Marks go (category M, all of them, as \p{M} in search.js); other characters that are not letters or digits split words.
    if unicodedata.category(char).startswith("M"):
        return ""
    return char if char.isalnum() else " "


def _fold_char(match: re.Match[str]) -> str:
    return _folded_char(match.group())


def tokenize(text: str) -> list[str]:
    """Words of a text as index terms: folded, stop words and single letters dropped; CJK runs as overlapping character pairs."""
    folded = fold(text)
    if folded.isascii():  # most text: split in C, several times faster than a regex
        return [w for w in folded.encode("ascii").translate(_ASCII_SPACES).decode("ascii").split() if 1 < len(w) <= MAX_TERM and w not in STOP_WORDS]
    if not _IS_CJK.search(folded):
        return [w for w in _WORD.findall(folded) if 1 < len(w) <= MAX_TERM and w not in STOP_WORDS]
    terms: list[str] = []
    for word in _WORD.findall(folded):
        for part in _CJK_SPLIT.split(word) if _IS_CJK.search(word) else (word,):
            if _IS_CJK.match(part):
                terms.extend([part] if len(part) == 1 else [part[i : i + 2] for i in range(len(part) - 1)])
            elif 1 < len(part) <= MAX_TERM and part not in STOP_WORDS:
                terms.append(part)
    return terms


def term_counts(text: str) -> Counter[str]:
    """The terms of tokenize(text), counted; the same result, faster on long bodies."""
    folded = fold(text)
    if folded.isascii():
        counts = Counter(folded.encode("ascii").translate(_ASCII_SPACES).decode("ascii").split())
    elif _IS_CJK.search(folded):
        return Counter(tokenize(text))
    else:
        counts = Counter(_WORD.findall(folded))
    # Count first, then drop: a few deletions instead of a test per word.
    for word in STOP_WORDS.intersection(counts) | {w for w in counts if not 1 < len(w) <= MAX_TERM}:
        del counts[word]
    return counts


def term_scores(item: RenderedArticle, full_text: str, topic_names: dict[str, str]) -> Counter[str]:
    """Each term of an article with its weighted count over every field a reader can see."""
    a = item.article
    scores = term_counts(full_text)
    for term in [t for t, n in scores.items() if n > BODY_CAP]:  # repeating a word does not make a story about it
        scores[term] = BODY_CAP
    meta = [a.dek or "", a.summary, " ".join(a.authors), credit(a) or "", " ".join(topic_names.get(t, t) for t in a.tags)]
    for weight, terms in ((META_WEIGHT, tokenize(" \n".join(meta))), (TITLE_WEIGHT, tokenize(a.title))):
        for term in terms:  # (Counter.update would do, but checks its argument's type each call: slow)
            scores[term] = scores.get(term, 0) + weight
    return scores


def shard_key(term: str) -> str:
    """The key of the first-level shard a term belongs to: two characters, one for CJK pairs."""
    if term[:1] < _CJK_FIRST:  # most terms: no regex needed
        return term[:2]
    return term[:1] if _IS_CJK.match(term) else term[:2]


def shard_path(key: str) -> str:
    if _SAFE_KEY.fullmatch(key):
        return f"{INDEX_DIR}t-{key}.json"
    return f"{INDEX_DIR}u-{key.encode('utf-8').hex()}.json"


def _dump(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _delta_encode(flat: list[int]) -> list[int]:
    """[doc, score, doc, score, ...] with each doc number replaced by its distance from the one before."""
    docs = flat[0::2]
    flat[2::2] = map(operator.sub, docs[1:], docs[:-1])
    return flat


def _split(key: str, terms: dict[str, list[int]], sizes: dict[str, int]) -> Iterable[tuple[str, dict[str, list[int]]]]:
    """(key, terms) shards for one group, split one character deeper while a shard is too big."""
    if len(key) >= MAX_KEY or sum(sizes[t] for t in terms) <= SHARD_LIMIT:
        yield key, terms
        return
    deeper: dict[str, dict[str, list[int]]] = {}
    for term, flat in terms.items():
        deeper.setdefault(term[: len(key) + 1], {})[term] = flat
    if len(deeper) == 1 and key in deeper:  # nothing to split on: the term is the key
        yield key, terms
        return
    for sub in sorted(deeper):
        if sub == key:
            yield key, deeper[sub]
        else:
            yield from _split(sub, deeper[sub], sizes)


def document(item: RenderedArticle, full_text: str, readable_date) -> dict[str, str]:
    a = item.article
    when = a.date or a.added
    # The dek and summary often repeat the body's first lines: each part once.
    text = "\n".join(part for part in (a.dek, a.summary) if part and part not in full_text)
    text = f"{text}\n{full_text}" if text and full_text else text or full_text
    doc = {"u": urls.href("", urls.article(a.slug)), "t": a.title, "d": when.isoformat(), "r": readable_date(when), "x": text}
    if a.date is None:
        doc["a"] = "1"  # the date is when it was added, not when it was published
    publication = credit(a)
    if publication:
        doc["p"] = publication
    return doc


def article_entry(item: RenderedArticle, config: Config) -> SearchEntry:
    """An article's terms and document, made once with its body (on a worker) for this build."""
    full_text = item.full_text
    terms, scores = _terms(item, full_text, config)
    return SearchEntry(terms, scores, zlib.compress(_document_file(item, full_text, config), 1))


def _terms(item: RenderedArticle, full_text: str, config: Config) -> tuple[str, bytes]:
    scores = term_scores(item, full_text, config.topic_names)
    return "\n".join(scores), array("I", scores.values()).tobytes()


def _document_file(item: RenderedArticle, full_text: str, config: Config) -> bytes:
    tz = ZoneInfo(config.timezone)
    return _dump(document(item, full_text, lambda d: readable_date(d, tz)))


Unchanged = Callable[[str, tuple, RenderedArticle], bool]  # (document path, key, its story) -> whether its file stands
# A block's postings between builds: its terms (sorted, so a shard group's terms are found by bisection),
# where each term's postings start in `flat` (and the end), and `flat` itself.
PackedBlock = tuple[tuple[str, ...], array, array]


def _pack(postings: dict[str, list[int]]) -> PackedBlock:
    terms = tuple(sorted(postings))
    offsets = array("i", [0])
    flat = array("i")
    for term in terms:
        flat.extend(postings[term])
        offsets.append(len(flat))
    return terms, offsets, flat


def _unpack(packed: PackedBlock, groups: Iterable[str] | None = None) -> dict[str, list[int]]:
    """A block's postings; with `groups`, only of the terms in those shard groups.

    A group's terms are the ones its key begins (see shard_key): one run of the sorted terms."""
    terms, offsets, flat = packed
    if groups is None:
        return {term: flat[offsets[i] : offsets[i + 1]].tolist() for i, term in enumerate(terms)}
    postings: dict[str, list[int]] = {}
    for group in groups:
        lo = bisect_left(terms, group)
        hi = bisect_left(terms, group + "\U0010ffff", lo)
        for i in range(lo, hi):
            postings[terms[i]] = flat[offsets[i] : offsets[i + 1]].tolist()
    return postings


def _scores(item: RenderedArticle, config: Config) -> dict[str, int]:
    """An article's terms and their scores, from its search entry or made again from its text."""
    terms, packed_scores = (item.search.terms, item.search.scores) if item.search else _terms(item, item.full_text, config)
    scores = array("I")
    scores.frombytes(packed_scores)
    return dict(zip(terms.split("\n") if terms else (), scores))


def _patch(packed: PackedBlock, edits: dict[int, tuple[RenderedArticle, RenderedArticle]], config: Config) -> tuple[PackedBlock, set[str]]:
    """A block after some of its stories changed in place: (block, shard groups whose postings changed).

    Only the terms of the old and new versions are touched, so an edit costs one story's
    terms, not the block's hundred."""
    postings = _unpack(packed)
    dirty: set[str] = set()
    for doc, (old, new) in edits.items():
        before, after = _scores(old, config), _scores(new, config)
        for term in before.keys() | after.keys():
            score = after.get(term)
            if before.get(term) == score:
                continue
            dirty.add(shard_key(term))
            flat = postings.get(term, [])
            at = 2 * bisect_left(flat[0::2], doc)
            if at < len(flat) and flat[at] == doc:
                del flat[at : at + 2]
            if score is not None:
                flat[at:at] = (doc, score)
            if flat:
                postings[term] = flat
            else:
                postings.pop(term, None)
    return _pack(postings), dirty


def build_search_index(site: Site, unchanged: Unchanged | None = None, memo: dict[str, Any] | None = None,
                       edited: dict[int, RenderedArticle] | None = None) -> dict[str, bytes]:
    """Every search file, {output path: bytes}; the same site always gives the same bytes.

    For a rebuild: `unchanged(path, key, item)` is asked before each document file is made
    (key covers all it shows) and True means the previous build's file still holds,
    so it is not made; `memo` holds each block of articles' postings from the previous
    build by the block's content, and the index files made from them, and is left
    holding this build's. `edited`, for a pass that keeps every story's place (the
    preview's edit in place), maps the numbers of the only documents that may have
    changed to their stories' previous versions: only those are looked at, and their
    blocks are patched rather than indexed again.
    """
    topic_names = site.config.topic_names
    oldest_first = site.articles[::-1]
    unchanged = unchanged or (lambda path, key, item: False)
    previous: dict[str, PackedBlock] = memo.get("blocks", {}) if memo is not None else {}
    def block_key(span: tuple[int, int]) -> str:
        return digest("search-block", FORMAT, span, tuple(oldest_first[doc].key for doc in range(*span)), sorted(topic_names.items()))

    # Blocks of articles are indexed on all cores, then joined in order: a term's postings
    # from later blocks follow those from earlier ones, so doc numbers stay ascending.
    spans = [(start, min(start + BLOCK, len(oldest_first))) for start in range(0, len(oldest_first), BLOCK)]
    if edited is not None and memo and memo.get("spans") == spans:
        known = list(memo["signature"])
        for block in {doc // BLOCK for doc in edited}:
            known[block] = block_key(spans[block])
        signature = tuple(known)
    else:
        edited = None
        signature = tuple(block_key(span) for span in spans)
    same_postings = memo is not None and memo.get("signature") == signature
    todo = [] if same_postings else [span for span, key in zip(spans, signature) if key not in previous]

    # Articles from the build cache come without their search entries: what is needed is made
    # again, from their text, derived once for a story whose document and terms are both made.
    reindexed = {doc for span in todo for doc in range(*span)}
    texts: dict[int, str] = {}

    def text_of(doc: int) -> str:
        if doc not in reindexed:
            return oldest_first[doc].full_text
        if doc not in texts:
            texts[doc] = oldest_first[doc].full_text
        return texts[doc]

    asked = sorted(edited) if edited is not None else range(len(oldest_first))
    files = {f"{DOCS_DIR}{doc}.json": zlib.decompress(item.search.doc_z) if item.search else _document_file(item, text_of(doc), site.config)
             for doc, item in ((doc, oldest_first[doc]) for doc in asked) if not unchanged(f"{DOCS_DIR}{doc}.json", (FORMAT, doc, item.key), item)}
    if same_postings:  # same postings: same index files
        return {**files, **memo["files"]}

    def index_block(span: tuple[int, int]) -> PackedBlock:
        """The postings of articles start..stop-1 (absolute doc numbers, packed: compact to send between processes)."""
        postings: dict[str, list[int]] = {}
        for doc in range(*span):
            item = oldest_first[doc]
            terms, packed_scores = (item.search.terms, item.search.scores) if item.search else _terms(item, text_of(doc), site.config)
            scores = array("I")
            scores.frombytes(packed_scores)
            for term, score in zip(terms.split("\n") if terms else (), scores):
                flat = postings.get(term)
                if flat is None:
                    postings[term] = [doc, score]
                else:
                    flat += (doc, score)
        return _pack(postings)

    made: dict[tuple[int, int], PackedBlock] = {}
    known_dirty: dict[int, set[str]] = {}
    if edited is not None:
        assert memo is not None
        for span in todo:
            block = spans.index(span)
            edits = {doc: (old, oldest_first[doc]) for doc, old in edited.items() if span[0] <= doc < span[1]}
            made[span], known_dirty[block] = _patch(previous[memo["signature"][block]], edits, site.config)
    rest = [span for span in todo if span not in made]
    made.update(zip(rest, map_in_parallel(index_block, rest, batch=1, min_items=4)))
    blocks = {key: made[span] if span in made else previous[key] for span, key in zip(spans, signature)}
    # Shards are made per group of terms (a first-level key and the keys split from it). After
    # an edit, only the groups holding a term whose postings changed are made again: the
    # others are the last build's, and only the dirty groups' postings are joined.
    dirty = _changed_groups(memo, spans, signature, previous, blocks, known_dirty)
    made_groups: dict[str, list[tuple[str, bytes]]] = {}
    if dirty is not None:
        made_groups = {first: shards for first, shards in memo["groups"].items() if first not in dirty}
    postings: dict[str, list[int]] = {}
    for key in signature:
        for term, flat in _unpack(blocks[key], dirty).items():
            joined = postings.get(term)
            if joined is None:
                postings[term] = flat
            else:
                joined += flat
    groups: dict[str, list[str]] = {}
    for term in sorted(postings):
        groups.setdefault(shard_key(term), []).append(term)
    for first, terms in groups.items():
        encoded = {term: _delta_encode(postings[term]) for term in terms}
        sizes = {term: len(term) + 4 + 3 * len(flat) for term, flat in encoded.items()}  # about its JSON's length
        made_groups[first] = [(key, _dump(part)) for key, part in _split(first, encoded, sizes)]
    keys = sorted(key for made_keys in made_groups.values() for key, _data in made_keys)
    index = {shard_path(key): data for made_keys in made_groups.values() for key, data in made_keys}
    manifest = {"v": FORMAT, "docs": len(oldest_first), "keys": keys, "stop": sorted(STOP_WORDS), "maxTerm": MAX_TERM}
    index[f"{INDEX_DIR}manifest.json"] = _dump(manifest)
    if memo is not None:
        memo.clear()
        memo.update(blocks=blocks, signature=signature, spans=spans, groups=made_groups, files=index)
    return {**files, **index}


def _changed_groups(memo: dict[str, Any] | None, spans: list[tuple[int, int]], signature: tuple[str, ...],
                    previous: dict[str, PackedBlock], blocks: dict[str, PackedBlock], known: dict[int, set[str]]) -> set[str] | None:
    """First-level keys of the terms whose postings differ from the last build's; None when unknown (all).
    `known` holds them already for the blocks that were patched."""
    if not memo or memo.get("spans") != spans or "groups" not in memo:
        return None
    dirty: set[str] = set()
    for block, (old_key, new_key) in enumerate(zip(memo["signature"], signature)):
        if block in known:
            dirty |= known[block]
        elif old_key != new_key:
            old, new = _unpack(previous[old_key]), _unpack(blocks[new_key])
            dirty.update(shard_key(term) for term in old.keys() | new.keys() if old.get(term) != new.get(term))
    return dirty


def search_files(pages: Pages) -> Iterable[Output]:
    """The search index as an output kind. A document whose article is unchanged is not made
    again; an index file whose bytes are unchanged is left alone; the memo carries postings
    between builds. A document shows its story; the index files show every story.

    In the preview (`pages.index`), the stories of the last pass are kept too, so that a
    pass that keeps every story's place looks only at the documents it was asked about
    and patches their blocks, and an index file's hash is kept while its bytes are."""
    if pages.wanted is not None and not any(isinstance(slot, str) and slot.startswith((INDEX_DIR, DOCS_DIR)) for slot in pages.wanted):
        return  # a part of a pass that asks about no search file: the index stands, and so does what it remembers
    kept: list[str] = []

    def unchanged(path: str, key: tuple, item: RenderedArticle) -> bool:
        if not pages.wants(path):
            return True
        if pages.keep_if_unchanged("search", path, key, (item,)):
            kept.append(path)
            return True
        return False

    edited = None
    last = pages.recall("search_stories")
    if pages.wanted is not None and last is not None and len(last) == len(pages.site.articles):
        docs = [int(slot[len(DOCS_DIR) : -len(".json")]) for slot in pages.wanted if isinstance(slot, str) and slot.startswith(DOCS_DIR)]
        edited = {doc: last[doc] for doc in docs}
    files = build_search_index(pages.site, unchanged, pages.memo.setdefault("search", {}), edited)
    hashes: dict[str, tuple[bytes, str]] = pages.recall("search_hashes", in_place=False) or {}
    known: dict[str, tuple[bytes, str]] = {}
    yield from ((path, None) for path in kept)
    for path, data in files.items():
        if path.startswith(DOCS_DIR):  # a document that changed
            yield path, data
            continue
        seen = hashes.get(path)
        known[path] = seen if seen is not None and seen[0] is data else (data, hashlib.blake2b(data, digest_size=16).hexdigest())
        yield path, None if pages.keep_if_unchanged("search", path, (known[path][1],)) else data
    pages.remember("search_stories", pages.site.articles[::-1])
    pages.remember("search_hashes", known)
