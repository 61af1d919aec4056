"""Make a page set for the ingest benchmarks from a public annotated collection.

    .venv/bin/python bench/pagesets.py KIND REPO OUT [--limit N]

KIND is one of `aeb`, `readability`, `postlight`, `htmldate`, `trafilatura`; REPO is the
path of that collection's repository (a checkout or a bare git directory, as fetched);
OUT is a folder outside this repository (the pages are third-party material). OUT gets
the layout of `../shared/ingest-bench/dev/`:

- `ID.txt`: the page's text as a reader copies it, made the way ingest-bench's README
  says: Chromium (Debian's /usr/bin/chromium through Playwright), JavaScript off, every
  request blocked but the saved HTML itself, served as UTF-8 at the page's original
  address, then `document.body.innerText`, unchanged;
- `truth.json`: `{ID: {"url": ..., "body": true article body or null}}`;
- `metadata.yaml`: title, authors and date labels in `dev/metadata.yaml`'s form. A key
  that is absent means "not labelled" (the field is left out of that page's score), not
  "the page shows none".

Where labels come from, per kind:

- `aeb`: the article-extraction-benchmark pages not in ../shared/ingest-bench/dev
  (bodies from its ground-truth.json); title, authors and date labelled by hand by
  reading each page, in `bench/labels/aeb.yaml` (by the first 16 digits of the page id;
  that collection is MIT-licensed).
- `readability`: Mozilla Readability's test pages that are news or articles (the
  synthetic feature tests, reference works and fiction left out); body from
  `expected.html`; title, byline and publishedTime from `expected-metadata.json`, read
  against each page and corrected by hand in `bench/labels/readability.yaml`.
- `postlight`: the fixtures of Postlight Parser's per-site extractors, with the title,
  author and date_published their tests expect; no body (the tests give 13 words).
- `htmldate`: htmldate's MediaCloud evaluation pages (news worldwide): dates only.
- `trafilatura`: trafilatura's evaluation pages that carry a title and a date: title,
  author and date from its evaldata.json; no full body.

Labels made by a program or by someone else's tool are checked against the copied text
before they are used: a title or a name that the text does not contain, or a date the
text does not show in any common form, is left unlabelled (counted in the summary
this script prints), so a page is never scored against something a reader cannot see.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import html as htmllib
import json
import re
import subprocess
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "bench" / "labels"
DEV = ROOT.parent / "shared" / "ingest-bench" / "dev"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


# --------------------------------------------------------------------------- reading a collection


class Repo:
    """Files of a repository given as a checkout or as a bare git directory."""

    def __init__(self, path: Path) -> None:
        self.path = path
        bare = (path / "HEAD").exists() and (path / "objects").is_dir()
        nested = path / "repo"
        if not bare and (nested / "HEAD").exists() and (nested / "objects").is_dir():
            self.path, bare = nested, True
        self.bare = bare

    def _git(self, *args: str) -> bytes:
        return subprocess.run(["git", "--git-dir", str(self.path), *args], check=True, capture_output=True).stdout

    def list(self, folder: str) -> list[str]:
        """Names directly inside `folder` (files and folders), sorted."""
        if self.bare:
            out = self._git("ls-tree", "--name-only", f"HEAD:{folder}")
            return sorted(out.decode("utf-8").splitlines())
        return sorted(p.name for p in (self.path / folder).iterdir())

    def exists(self, name: str) -> bool:
        if self.bare:
            return subprocess.run(["git", "--git-dir", str(self.path), "cat-file", "-e", f"HEAD:{name}"],
                                  check=False, capture_output=True).returncode == 0
        return (self.path / name).exists()

    def read(self, name: str) -> bytes:
        data = self._git("show", f"HEAD:{name}") if self.bare else (self.path / name).read_bytes()
        return gzip.decompress(data) if name.endswith(".gz") else data


@dataclass
class Page:
    id: str
    url: str
    html: bytes
    body: str | None
    label: dict = field(default_factory=dict)  # title, authors, date as the source gives them


def page_id(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8")).hexdigest()


def aeb_pages(repo: Repo) -> Iterator[Page]:
    truth = json.loads(repo.read("ground-truth.json"))
    dev = set(json.loads((DEV / "truth.json").read_text(encoding="utf-8"))) if (DEV / "truth.json").exists() else set()
    hand = _hand_labels("aeb")
    for pid in sorted(set(truth) - dev):
        label = next((entry for key, entry in hand.items() if pid.startswith(key)), None)
        yield Page(pid, truth[pid]["url"], repo.read(f"html/{pid}.html.gz"), truth[pid]["articleBody"],
                   dict(label, checked=True) if label is not None else {})


# Readability's tests that are not a news page or an article: synthetic feature tests
# (small hand-made pages), reference works, fiction, product and index pages.
_NOT_ARTICLES = {
    "google-sre-book-1", "ietf-1", "mercurial", "archive-of-our-own", "royal-road", "hukumusume", "wikipedia",
    "wikipedia-2", "wikipedia-3", "wikipedia-4", "mozilla-1", "mozilla-2", "clean-links", "daringfireball-1",
    "table-style-attributes", "keep-tabular-data", "links-in-tables", "mathjax", "data-url-image", "simplyfound-1",
    "yahoo-2", "nytimes-5", "001", "002", "dev418", "pixnet", "ehow-1", "ehow-2", "lwn-1",
}


def readability_pages(repo: Repo) -> Iterator[Page]:
    base = "test/test-pages"
    hand = _hand_labels("readability")
    for name in repo.list(base):
        if name in _NOT_ARTICLES:
            continue
        source = repo.read(f"{base}/{name}/source.html")
        if len(source) < 20_000:  # the synthetic feature tests
            continue
        meta = json.loads(repo.read(f"{base}/{name}/expected-metadata.json"))
        body = _html_text(repo.read(f"{base}/{name}/expected.html").decode("utf-8", "replace"))
        label = {"title": meta.get("title"), "authors": meta.get("byline"), "date": meta.get("publishedTime")}
        if name in hand:
            label = dict(hand[name], checked=True)
        yield Page(page_id("readability/" + name), f"http://fakehost/test/{name}.html", source, body,
                   dict(label, name=name))


_JS_STRING = r"(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`(?:[^`\\]|\\.)*`)"


def postlight_pages(repo: Repo) -> Iterator[Page]:
    base = "src/extractors/custom"
    for site in repo.list(base):
        test = f"{base}/{site}/index.test.js"
        if not repo.exists(test):
            continue
        js = repo.read(test).decode("utf-8")
        first = re.split(r"\n\s*it\(\s*['\"]works with", js)[0]  # the initial test case only
        url = re.search(r"url\s*=\s*(" + _JS_STRING + ")", first)
        fixture = re.search(r"readFileSync\(\s*['\"]\./(fixtures/[^'\"]+)['\"]", first)
        if not url or not fixture or not repo.exists(fixture.group(1)):
            continue
        label = {}
        for key in ("title", "author", "date_published"):
            m = re.search(r"assert\.equal\(\s*" + key + r"\s*,\s*(" + _JS_STRING + r")\s*\)", first)
            if m:
                label[key] = _js_unquote(m.group(1))
        yield Page(page_id("postlight/" + site), _js_unquote(url.group(1)), repo.read(fixture.group(1)), None,
                   {"title": label.get("title"), "authors": label.get("author"), "date": label.get("date_published"),
                    "name": site})


def htmldate_pages(repo: Repo) -> Iterator[Page]:
    evaluation = json.loads(repo.read("tests/eval_mediacloud_2020.json"))
    for url, entry in sorted(evaluation.items()):
        name = f"tests/test_set/{entry['file']}"
        if not repo.exists(name):
            continue
        yield Page(page_id("htmldate/" + entry["file"]), url, repo.read(name), None,
                   {"date": entry.get("date"), "name": entry["file"]})


def trafilatura_pages(repo: Repo) -> Iterator[Page]:
    evaluation = json.loads(repo.read("tests/evaldata.json"))
    for url, entry in sorted(evaluation.items()):
        if not entry.get("title") or not entry.get("date"):
            continue  # pages without both are mostly not articles (shops, indexes, forums)
        name = next((f"tests/{d}/{entry['file']}" for d in ("eval", "cache") if repo.exists(f"tests/{d}/{entry['file']}")), None)
        if name is None:
            continue
        yield Page(page_id("trafilatura/" + entry["file"]), url, repo.read(name), None,
                   {"title": entry.get("title"), "authors": entry.get("author"), "date": entry.get("date"),
                    "name": entry["file"], "with": entry.get("with"), "without": entry.get("without")})


KINDS = {"aeb": aeb_pages, "readability": readability_pages, "postlight": postlight_pages,
         "htmldate": htmldate_pages, "trafilatura": trafilatura_pages}


def _hand_labels(kind: str) -> dict[str, dict]:
    path = LABELS / f"{kind}.yaml"
    if not path.exists():
        return {}
    return {str(entry.pop("id")): entry for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []}


def _js_unquote(literal: str) -> str:
    body = literal[1:-1]
    return re.sub(r"\\(u[0-9a-fA-F]{4}|.)", lambda m: chr(int(m.group(1)[1:], 16)) if m.group(1).startswith("u") and len(m.group(1)) == 5 else m.group(1), body)


def _html_text(markup: str) -> str:
    """The text of an HTML fragment, one line per block (for a body truth)."""
    markup = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", markup)
    markup = re.sub(r"(?i)</?(?:p|div|h[1-6]|li|blockquote|pre|tr|br|figcaption|section|article|ul|ol|table)\b[^>]*>", "\n", markup)
    text = htmllib.unescape(re.sub(r"<[^>]+>", " ", markup))
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


# --------------------------------------------------------------------------- rendering


def decode_html(raw: bytes) -> str:
    """The page's characters: BOM, then UTF-8 if the bytes are valid UTF-8, then the declared charset, then cp1252.

    Valid UTF-8 comes before the declaration: saved pages are often re-encoded
    without their meta tag being updated (a "gb2312" page that is UTF-8 now).
    """
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if raw.startswith(bom):
            return raw.decode(codec, "replace").lstrip("\ufeff")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    head = raw[:8192].decode("ascii", "replace")
    m = re.search(r"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", head, re.IGNORECASE)
    if m:
        try:
            return raw.decode(m.group(1).lower(), "replace")
        except LookupError:
            pass
    return raw.decode("cp1252", "replace")


def render(pages: list[Page]) -> Iterator[tuple[Page, str]]:
    """Each page's document.body.innerText in Chromium with JavaScript off and the network shut."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(java_script_enabled=False)
        # The first navigation of the main frame is the page itself (its address as
        # Chromium normalises it); anything after it (a meta refresh) is blocked too.
        serving: dict[str, bytes] = {}

        def route(r) -> None:
            request = r.request
            body = serving.pop("page", None)
            if body is not None and request.is_navigation_request() and request.frame.parent_frame is None:
                r.fulfill(status=200, headers={"Content-Type": "text/html; charset=utf-8"}, body=body)
            else:
                r.abort()

        context.route("**/*", route)
        for page in pages:
            tab = context.new_page()
            serving["page"] = decode_html(page.html).encode("utf-8")
            try:
                tab.goto(page.url, wait_until="load", timeout=60_000)
                text = tab.evaluate("document.body ? document.body.innerText : ''")
            except Exception as exc:  # noqa: BLE001 - one broken page must not stop the set
                print(f"  {page.id[:12]}: not rendered ({exc.__class__.__name__}: {str(exc).splitlines()[0][:200]})", file=sys.stderr)
                text = ""
            finally:
                tab.close()
            yield page, text
        browser.close()


# --------------------------------------------------------------------------- checking labels

_FOLD = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})


def fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).translate(_FOLD).split())


def shown_title(title: str | None, text: str) -> str | None:
    """The label's headline if the text shows it (also without a " | Site" or " - Site" tail)."""
    if not title:
        return None
    folded = fold(text)
    candidates = [title] + [part for part in re.split(r"\s+[|–—-]\s+|\s+::\s+|\s+_", title) if len(part.split()) >= 3]
    for candidate in candidates:
        candidate = fold(candidate).strip()
        if candidate and re.search(r"(?:^|\n)\s*" + re.escape(candidate) + r"\s*(?:\n|$)", "\n".join(fold(line) for line in text.splitlines())):
            return candidate
    for candidate in candidates:
        candidate = fold(candidate).strip()
        if len(candidate.split()) >= 4 and candidate in folded:
            return candidate
    return None


_NAME_PARTS = re.compile(r"\s*(?:,|;|\band\b|\bund\b|\bet\b|\by\b|&|\|)\s*", re.IGNORECASE)


def shown_authors(byline: object, text: str) -> list[str] | None:
    """The people of a byline label, each as the text prints them; None if one is not in the text."""
    if byline is None or byline == "":
        return None
    parts = byline if isinstance(byline, list) else _NAME_PARTS.split(re.sub(r"(?i)^\s*(?:by|par|por|von)\s+", "", str(byline)))
    folded = fold(text).casefold()
    names = []
    for part in parts:
        part = fold(str(part)).strip(" ,;")
        if not part:
            continue
        if not 2 <= len(part.split()) <= 5 or part.isupper() and len(part.split()) < 2:
            return None  # a single word, an outlet or a desk: not labelled
        if part.casefold() not in folded:
            return None
        names.append(part)
    return names or None


_MONTH_NAMES = {
    1: "january jan janvier janeiro enero gennaio januar jänner januari styczeń stycznia января январь січня ocak ιανουαρίου",
    2: "february feb février fevereiro febrero febbraio februar februari lutego lutego февраля февраль лютого şubat φεβρουαρίου",
    3: "march mar mars março marzo märz maart marca марта март березня mart μαρτίου",
    4: "april apr avril abril aprile kwietnia апреля апрель квітня nisan απριλίου",
    5: "may mai maio mayo maggio mei maja мая май травня mayıs μαΐου",
    6: "june jun juin junho junio giugno juni czerwca июня июнь червня haziran ιουνίου",
    7: "july jul juillet julho julio luglio juli lipca июля июль липня temmuz ιουλίου",
    8: "august aug août agosto augustus agustus sierpnia августа август серпня ağustos αυγούστου",
    9: "september sep sept septembre setembro septiembre settembre września сентября сентябрь вересня eylül σεπτεμβρίου",
    10: "october oct octobre outubro octubre ottobre oktober października октября октябрь жовтня ekim οκτωβρίου",
    11: "november nov novembre novembro noviembre listopada ноября ноябрь листопада kasım νοεμβρίου",
    12: "december dec décembre dezembro diciembre dicembre dezember desember grudnia декабря декабрь грудня aralık δεκεμβρίου",
}


def day_shown(day: date, text: str) -> bool:
    """Whether the text prints this calendar day in any common form (numeric, month names, CJK).

    Deliberately independent of Labor Digest's own date parser, so a page is not
    labelled by the rules it is meant to test.
    """
    y, m, d = day.year, day.month, day.day
    yy = f"{y % 100:02d}"
    numeric = [
        rf"{y}\s*[-/.]\s*0?{m}\s*[-/.]\s*0?{d}(?!\d)", rf"(?<!\d)0?{d}\s*[./-]\s*0?{m}\s*[./-]\s*(?:{y}|{yy})(?!\d)",
        rf"(?<!\d)0?{m}\s*[./-]\s*0?{d}\s*[./-]\s*(?:{y}|{yy})(?!\d)", rf"{y}\s*年\s*0?{m}\s*月\s*0?{d}\s*日",
        rf"{y}\s*년\s*0?{m}\s*월\s*0?{d}\s*일", rf"(?<!\d)0?{d}\.\s*0?{m}\.\s*{y}",
    ]
    names = "|".join(sorted(map(re.escape, _MONTH_NAMES[m].split()), key=len, reverse=True))
    worded = [
        rf"(?<!\d)0?{d}(?:st|nd|rd|th|er|\.|º)?\s*(?:de\s+)?(?:{names})\.?,?\s*(?:de\s+)?(?:{y}|'{yy})(?!\d)",
        rf"(?:{names})\.?\s+0?{d}(?:st|nd|rd|th)?,?\s*(?:{y}|'{yy})(?!\d)",
    ]
    lower = text.lower()
    return any(re.search(p, text) for p in numeric) or any(re.search(p, lower) for p in worded)


def label_days(value: object) -> list[date]:
    """The calendar days a date label may be shown as: an instant is a day in some zone from -12 to +14."""
    if value is None or value == "":
        return []
    text = str(value).strip()
    try:
        instant = datetime.fromisoformat(text)
    except ValueError:
        try:
            return [date.fromisoformat(text[:10])]
        except ValueError:
            return []
    if instant.tzinfo is None or not re.search(r"T\d\d:\d\d", text.replace(" ", "T")):
        return [instant.date()]
    own = instant.date()
    days = {own} | {instant.astimezone(timezone(timedelta(hours=h))).date() for h in range(-12, 15)}
    return [own] + sorted(days - {own})


def checked_label(page: Page, text: str, tally: Counter) -> dict:
    """The label entry for metadata.yaml: only what the copied text bears out."""
    label = page.label
    entry: dict = {"id": page.id}
    if label.get("checked"):  # labelled by hand by reading the page
        for key in ("title", "title_alt", "authors", "authors_alt", "date", "date_alt", "notes"):
            if key in label:
                entry[key] = label[key]
        return entry
    if "title" in label:
        title = shown_title(label["title"], text)
        tally["title " + ("kept" if title else "not in the text")] += 1
        if title:
            entry["title"] = title
    if label.get("authors"):
        names = shown_authors(label["authors"], text)
        tally["authors " + ("kept" if names else "not in the text or not names")] += 1
        if names:
            entry["authors"] = names
    if label.get("date"):
        days = [d for d in label_days(label["date"]) if day_shown(d, text)]
        tally["date " + ("kept" if days else "not shown")] += 1
        if days:
            entry["date"] = days[0].isoformat()
            if len(days) > 1:
                entry["date_alt"] = [d.isoformat() for d in days[1:]]
    if label.get("name"):
        entry["source"] = label["name"]
    return entry


# --------------------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("kind", choices=sorted(KINDS))
    parser.add_argument("repo", type=Path, help="the collection's repository (checkout or bare git directory)")
    parser.add_argument("out", type=Path, help="the page set's folder (outside this repository)")
    parser.add_argument("--limit", type=int, help="only the first N pages (to try it out)")
    args = parser.parse_args()
    if args.out.resolve().is_relative_to(ROOT):
        parser.error("OUT must be outside the repository: the pages are third-party material")
    pages = list(KINDS[args.kind](Repo(args.repo)))[: args.limit]
    args.out.mkdir(parents=True, exist_ok=True)
    truth, labels, tally = {}, [], Counter()
    for n, (page, text) in enumerate(render(pages), start=1):
        if not text.strip():
            tally["not rendered"] += 1
            continue
        (args.out / f"{page.id}.txt").write_text(text, encoding="utf-8")
        truth[page.id] = {"url": page.url, "body": page.body}
        if page.label.get("with"):
            truth[page.id]["with"], truth[page.id]["without"] = page.label["with"], page.label.get("without") or []
        labels.append(checked_label(page, text, tally))
        if n % 25 == 0:
            print(f"  {n}/{len(pages)}", file=sys.stderr)
    (args.out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    (args.out / "metadata.yaml").write_text(yaml.safe_dump(labels, sort_keys=False, allow_unicode=True), encoding="utf-8")
    print(f"{len(truth)} pages written to {args.out}")
    for key, n in sorted(tally.items()):
        print(f"  {key}: {n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
