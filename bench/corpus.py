"""A deterministic synthetic digest for timing builds: labor news, in our own front matter.

`make_corpus(root, n, seed)` writes a whole site (config.yaml and n articles of
500 to 1,500 words, 1 to 3 topics each); the same n and seed always give the same
bytes. `export_pelican` and `export_hugo` read those articles back and write the
same titles, dates, topics, slugs and bodies in Pelican's and Hugo's formats, so
the three generators build one corpus side by side.

Run it alone to make a corpus: `python bench/corpus.py /tmp/site 1000`.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import shutil
import sys
import uuid
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.text import slugify  # the slug rule the build uses

# Bump when the generated text changes, so cached corpora are remade.
CORPUS_VERSION = 1

# Topics the corpus always has, beyond the ones config.yaml defines: an article
# carries 1 to 3 of them, so a real spread needs more than a handful.
BENCH_TOPICS = [
    ("unions", "Unions", "Organizing drives, union elections and membership."),
    ("strikes", "Strikes", "Walkouts, picket lines and strike votes."),
    ("wages", "Wages and pay", "Pay raises, wage theft and the minimum wage."),
    ("gig-work", "Gig work", "App-based drivers, couriers and the classification fight."),
    ("layoffs", "Layoffs", "Job cuts, plant closures and WARN notices."),
    ("workplace-safety", "Workplace safety", "Injuries, heat rules and OSHA enforcement."),
    ("return-to-office", "Return to office", "Mandates and pressure to work from the office."),
    ("automation", "Automation and AI", "Machines, software and the jobs they change."),
    ("collective-bargaining", "Collective bargaining", "Contracts, tentative agreements and ratification votes."),
    ("labor-law", "Labor law", "The NLRB, courts and new rules for employers."),
    ("public-sector", "Public sector", "Teachers, nurses, transit and city workers."),
    ("benefits", "Benefits", "Pensions, health care and paid leave."),
]

FIRST = ("Maria", "James", "Aisha", "Daniel", "Priya", "Carlos", "Emily", "Kwame", "Sofia", "Liam", "Mei", "Omar",
         "Hannah", "Diego", "Grace", "Tomasz", "Nadia", "Samuel", "Leah", "Andre", "Rosa", "Ethan", "Fatima", "Noah")
LAST = ("Alvarez", "Chen", "Okafor", "Murphy", "Patel", "Nguyen", "Schmidt", "Rossi", "Kowalski", "Haddad", "Brooks",
        "Johansson", "Reyes", "Tanaka", "Oduya", "Lindqvist", "Moreau", "Goldberg", "Silva", "Abernathy", "Park")
OUTLETS = (
    ("The Labor Ledger", "laborledger.example"),
    ("Metro Tribune", "metrotribune.example"),
    ("Workers Daily", "workersdaily.example"),
    ("The Midwest Courier", "midwestcourier.example"),
    ("Coastal Herald", "coastalherald.example"),
    ("Union Press Service", "unionpress.example"),
    ("The Business Wire Review", "bizreview.example"),
    ("Capitol Report", "capitolreport.example"),
)
OFFSETS = ("-05:00", "-04:00", "+00:00", "-07:00", "-08:00", "+01:00")

EMPLOYERS = ("Amazon", "Starbucks", "a regional hospital chain", "the school district", "the city transit agency",
             "a meatpacking plant", "the university", "Walmart", "a parcel delivery company", "the port authority",
             "an auto parts supplier", "a hotel group", "the state health department", "a warehouse operator",
             "a ride-hailing platform", "the county jail", "a grocery chain", "an electric carmaker", "the airline",
             "a call-center contractor", "the newspaper", "a video game studio", "a nursing home operator")
WORKERS = ("warehouse workers", "nurses", "baristas", "teachers", "bus drivers", "delivery drivers", "dockworkers",
           "flight attendants", "hotel housekeepers", "graduate students", "line cooks", "software engineers",
           "janitors", "home health aides", "autoworkers", "grocery clerks", "miners", "farmworkers", "actors",
           "journalists", "electricians", "call-center agents", "security guards", "train conductors")
UNIONS = ("the Teamsters", "SEIU", "the United Auto Workers", "the Communications Workers of America", "UNITE HERE",
          "the American Federation of Teachers", "National Nurses United", "the Steelworkers", "Workers United",
          "the Machinists union", "the Amalgamated Transit Union", "AFSCME", "the Retail, Wholesale and Department Store Union")
PEOPLE = ("a union steward", "the company spokesperson", "a labor economist", "the local's president",
          "a shift supervisor", "an organizer", "the mayor", "a state senator", "an NLRB regional director",
          "a warehouse picker", "a night-shift nurse", "the bargaining committee chair", "a labor historian")
PLACES = ("in Detroit", "in Seattle", "in Atlanta", "in the Bay Area", "in upstate New York", "in Phoenix",
          "across the Midwest", "in Chicago", "in rural Kentucky", "in Los Angeles", "in Philadelphia", "in Houston",
          "on the East Coast", "in Minneapolis", "in three states", "at the flagship site", "nationwide")
ISSUES = ("staffing levels", "heat protections", "scheduling", "health insurance premiums", "pension contributions",
          "the return-to-office mandate", "productivity quotas", "paid sick leave", "surveillance software",
          "cost-of-living adjustments", "overtime rules", "seniority", "remote work", "automation", "job security",
          "the two-tier wage system", "break times", "retirement benefits", "safety equipment", "AI tools",
          "subcontracting", "mandatory overtime", "the tip credit", "parental leave", "shift differentials")
ACTIONS = ("voted to authorize a strike", "filed for a union election", "walked off the job", "ratified a new contract",
           "rejected the latest offer", "held a rally outside headquarters", "filed unfair labor practice charges",
           "reached a tentative agreement", "staged a one-day walkout", "delivered a petition to management",
           "returned to the bargaining table", "won their union election", "extended the current contract",
           "launched an organizing drive", "set up picket lines", "began a work-to-rule campaign")
MANAGEMENT = ("announced layoffs", "raised starting pay", "closed the facility", "hired replacement workers",
              "offered a signing bonus", "cut hours", "challenged the election results", "froze hiring",
              "proposed a three-year deal", "said talks were productive", "declined to comment",
              "ordered staff back to the office", "rolled out new scheduling software", "moved work overseas")
NUMBERS = ("about 1,200", "more than 4,000", "nearly 300", "roughly 15,000", "some 650", "at least 2,500",
           "almost 90 percent of", "two-thirds of", "about 40", "more than 30,000", "a majority of")
ADVERBS = ("late Tuesday", "on Friday", "this week", "after months of talks", "for the first time in decades",
           "earlier this year", "over the weekend", "in a close vote", "on Monday morning", "by a wide margin")
CONNECTORS = ("Meanwhile,", "Still,", "By contrast,", "At the same time,", "Even so,", "In a statement,",
              "According to the filing,", "Last year,", "For now,", "Privately,", "On the shop floor,")
QUOTES = (
    "We are not asking for the moon, we are asking for a schedule we can plan a life around.",
    "Every contract is a floor, not a ceiling, and this one raises the floor for everyone.",
    "The company made record profits, and the people who made them want a fair share.",
    "Nobody takes a strike vote lightly; people have rent and kids and car payments.",
    "We remain committed to reaching an agreement that works for our employees and our customers.",
    "The law gives workers the right to organize, and the law has to mean something.",
    "When the heat index passes a hundred, a water break is not a luxury.",
    "Automation can make work better, but only if workers have a say in how it is used.",
    "I have been here eleven years and I still cannot afford to live in the town where I work.",
)
HEADINGS = ("What the workers want", "The company's response", "How we got here", "What happens next",
            "The numbers", "A wider wave", "Inside the negotiations", "The legal fight", "Reaction",
            "Why it matters", "On the picket line", "The bigger picture")
TITLE_PATTERNS = (
    "{Workers} at {employer} {action} over {issue}",
    "{Employer} {management} as {workers} push on {issue}",
    "{Union} says {workers} {action} {place}",
    "Why {workers} {place} are fighting over {issue}",
    "{Workers} {place} {action} {adverb}",
    "{Employer} and {union} clash over {issue}",
    "After {issue} dispute, {workers} at {employer} {action}",
    "{Number} {workers} {action} {place}",
)
SENTENCE_PATTERNS = (
    "{Number} {workers} at {employer} {action} {adverb}, citing {issue}.",
    "The dispute centers on {issue}, which {person} called the biggest obstacle to a deal.",
    "{Employer} {management} {adverb}, a move {union} described as retaliation.",
    "{Connector} {workers} {place} say {issue} has become harder to ignore.",
    "{Person} said the talks over {issue} and {issue2} could drag on for weeks.",
    "{Union}, which represents {number} {workers}, has pressed for changes to {issue}.",
    "{Connector} {employer} {management}, according to people familiar with the plans.",
    "Filings show the company spent heavily on consultants as {workers} {action}.",
    "The agreement would cover {issue} and {issue2} for the next three years.",
    "{Person} noted that similar fights over {issue} have spread {place}.",
    "Pay for {workers} has lagged inflation, and {issue} now tops the list of complaints.",
    "{Connector} the vote was the latest sign of unrest among {workers} {place}.",
)


class _Writer:
    """Deterministic labor-news prose from one random.Random."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def pick(self, options: tuple[str, ...]) -> str:
        return options[self.rng.randrange(len(options))]

    def fill(self, pattern: str) -> str:
        values = {
            "workers": self.pick(WORKERS), "employer": self.pick(EMPLOYERS), "union": self.pick(UNIONS),
            "person": self.pick(PEOPLE), "place": self.pick(PLACES), "issue": self.pick(ISSUES),
            "issue2": self.pick(ISSUES), "action": self.pick(ACTIONS), "management": self.pick(MANAGEMENT),
            "number": self.pick(NUMBERS), "adverb": self.pick(ADVERBS), "connector": self.pick(CONNECTORS),
        }
        values.update({k.capitalize(): v[0].upper() + v[1:] for k, v in list(values.items())})
        return pattern.format(**values)

    def title(self) -> str:
        return self.fill(self.pick(TITLE_PATTERNS))

    def sentence(self) -> str:
        text = self.fill(self.pick(SENTENCE_PATTERNS))
        roll = self.rng.random()
        if roll < 0.08:
            slug = "-".join(re.findall(r"[a-z]+", self.pick(ISSUES).lower()))
            host = self.pick(OUTLETS)[1]
            text = text[:-1] + f", as [earlier reporting](https://{host}/topics/{slug}) showed."
        elif roll < 0.12:
            words = text.split()
            i = self.rng.randrange(1, len(words))
            words[i] = f"*{words[i]}*"
            text = " ".join(words)
        return text

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(3, 6)))

    def body(self, target_words: int) -> str:
        blocks: list[str] = []
        words = 0
        headings = list(HEADINGS)
        self.rng.shuffle(headings)
        plain = False  # the last block was a paragraph: a heading, quote or list may follow
        while words < target_words:
            roll = self.rng.random() if plain else 1.0
            plain = roll >= 0.21
            if roll < 0.10 and headings:
                block = "## " + headings.pop()
            elif roll < 0.16:
                who = self.pick(PEOPLE)
                block = f"> {self.pick(QUOTES)}\n>\n> — {who[0].upper() + who[1:]}"
            elif roll < 0.21:
                block = "\n".join(f"- {self.fill('{Issue}: {person} said {issue2} was also on the table.')}"
                                  for _ in range(self.rng.randint(3, 5)))
            else:
                block = self.paragraph()
            size = len(block.split())
            if words >= 500 and words + size > 1500:
                break
            blocks.append(block)
            words += size
        return "\n\n".join(blocks)


def topics_for_config(repo_config: Path = REPO / "config.yaml") -> list[dict]:
    """config.yaml's topics (so every tag the corpus uses is valid there too), topped up with BENCH_TOPICS."""
    data = yaml.safe_load(repo_config.read_text(encoding="utf-8")) if repo_config.exists() else {}
    topics = [dict(t) for t in (data or {}).get("topics") or []]
    have = {t["slug"] for t in topics}
    for slug, name, description in BENCH_TOPICS:
        if slug not in have:
            topics.append({"slug": slug, "name": name, "description": description})
    return topics


def corpus_key(n: int, seed: int, republish: str) -> str:
    """Changes whenever make_corpus would write different bytes: cached corpora use it."""
    text = repr((CORPUS_VERSION, n, seed, republish, topics_for_config(), Path(__file__).read_bytes()))
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def make_corpus(root: Path, n: int, seed: int = 1, republish: str = "full") -> None:
    """Write config.yaml and content/articles/NNNNN-slug.md (n articles) under root, replacing any old ones."""
    rng = random.Random(seed)
    writer = _Writer(rng)
    topics = topics_for_config()
    slugs = [t["slug"] for t in topics]
    config = {
        "title": "Labor Digest",
        "description": "News about work and workers, by topic (synthetic benchmark corpus).",
        "base_url": "https://example.org/",
        "language": "en",
        "timezone": "America/New_York",
        "per_page": 20,
        "theme": "default",
        "republish": republish,
        "excerpt_words": 120,
        "feed_items": 20,
        "related_items": 4,
        "topics": topics,
    }
    root.mkdir(parents=True, exist_ok=True)
    (root / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")
    folder = root / "content" / "articles"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    # About ten years of news, newest last; a few stories a day.
    start = datetime(2016, 1, 4, 6, 0, tzinfo=UTC)
    span_minutes = 10 * 365 * 24 * 60
    used: set[str] = set()
    for index in range(1, n + 1):
        title = writer.title()
        while slugify(title) in used:
            title = writer.title()
        slug = slugify(title)
        used.add(slug)
        offset = rng.choice(OFFSETS)
        sign = -1 if offset[0] == "-" else 1
        tz = timezone(sign * timedelta(hours=int(offset[1:3]), minutes=int(offset[4:6])))
        when = (start + timedelta(minutes=span_minutes * index // n - rng.randrange(0, 600))).astimezone(tz)
        added = when + timedelta(hours=rng.randint(1, 72))
        outlet, host = rng.choice(OUTLETS)
        authors = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(rng.choice((1, 1, 1, 2)))]
        tags = rng.sample(slugs, rng.choice((1, 1, 2, 2, 2, 3)))
        body = writer.body(rng.randint(500, 1500))
        dek = writer.sentence()
        summary = writer.sentence()
        front = {
            "title": title,
            "dek": dek,
            "authors": authors,
            "date": when.isoformat(),
            "publication": outlet,
            "source_url": f"https://{host}/{when:%Y/%m}/{slug}",
            "summary": summary,
            "tags": tags,
            "id": uuid.UUID(int=rng.getrandbits(128), version=4).urn,
            "added": added.isoformat(),
        }
        head = yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
        (folder / f"{index:05d}-{slug}.md").write_text(f"---\n{head}---\n\n{body}\n", encoding="utf-8")


def read_corpus(root: Path) -> list[tuple[str, dict, str]]:
    """(file stem, front matter, Markdown body) of every article, in file order."""
    out = []
    for path in sorted((root / "content" / "articles").glob("*.md")):
        _, head, body = path.read_text(encoding="utf-8").split("---\n", 2)
        out.append((path.stem, yaml.safe_load(head), body.strip() + "\n"))
    return out


def _fresh(dest: Path) -> None:
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)


PELICANCONF = '''\
# Written by bench/corpus.py: the same site as config.yaml, in Pelican's terms.
AUTHOR = "Labor Digest"
SITENAME = "Labor Digest"
SITEURL = "https://example.org"
RELATIVE_URLS = False
PATH = "content"
TIMEZONE = "America/New_York"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = 20
FEED_MAX_ITEMS = 20
FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
TAG_FEED_ATOM = "feeds/{slug}.atom.xml"
TAG_FEED_RSS = "feeds/{slug}.rss.xml"
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
ARTICLE_URL = "articles/{slug}/"
ARTICLE_SAVE_AS = "articles/{slug}/index.html"
MONTH_ARCHIVE_SAVE_AS = "archive/{date:%Y}/{date:%m}/index.html"
LOAD_CONTENT_CACHE = False
CACHE_CONTENT = False
'''


def export_pelican(root: Path, dest: Path) -> None:
    """The corpus at root as a Pelican site at dest (content/*.md and pelicanconf.py, default theme)."""
    _fresh(dest)
    content = dest / "content"
    content.mkdir()
    for stem, front, body in read_corpus(root):
        meta = {
            "Title": front["title"],
            # In UTC: Pelican groups its monthly archives by the month of each date as written,
            # and mixed offsets split a month into two groups that collide on one path.
            "Date": datetime.fromisoformat(front["date"]).astimezone(UTC).isoformat(),
            "Tags": ", ".join(front["tags"]),
            "Slug": slugify(front["title"]),
            "Authors": "; ".join(front["authors"]),
            "Summary": front["summary"],
        }
        head = "".join(f"{key}: {value}\n" for key, value in meta.items())
        (content / f"{stem}.md").write_text(f"{head}\n{body}", encoding="utf-8")
    (dest / "pelicanconf.py").write_text(PELICANCONF, encoding="utf-8")


HUGO_TOML = '''\
# Written by bench/corpus.py: the same site as config.yaml, in Hugo's terms.
baseURL = "https://example.org/"
languageCode = "en"
title = "Labor Digest"
timeZone = "America/New_York"
disableKinds = ["sitemap", "robotsTXT"]

[pagination]
  pagerSize = 20

[taxonomies]
  tag = "tags"

[outputs]
  home = ["html", "rss"]
  section = ["html"]
  taxonomy = ["html"]
  term = ["html", "rss"]

[services.rss]
  limit = 20

[permalinks.page]
  articles = "/articles/:slug/"
'''

# A minimal set of layouts, comparable to our theme: a base, a page with the full
# body, a paginated home listing, topic (term) pages with feeds, full-content RSS.
HUGO_LAYOUTS = {
    "baseof.html": '''<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ block "title" . }}{{ .Title }} · {{ site.Title }}{{ end }}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .Permalink }}">{{ end }}
</head><body>
<header><a href="{{ "/" | relURL }}">{{ site.Title }}</a>
<nav>{{ range site.Taxonomies.tags.ByCount }}<a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ end }}</nav></header>
<main>{{ block "main" . }}{{ end }}</main>
</body></html>
''',
    "page.html": '''{{ define "main" }}<article><h1>{{ .Title }}</h1>
{{ with .Params.dek }}<p class="dek">{{ . }}</p>{{ end }}
<p class="meta">{{ delimit .Params.authors ", " }} · <time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">{{ .Date.Format "January 2, 2006" }}</time> · {{ .ReadingTime }} min read</p>
<p>Original: <a href="{{ .Params.source_url }}">{{ .Params.publication }}</a></p>
<ul class="topics">{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
<div class="story-body">{{ .Content }}</div></article>
<nav>{{ with .PrevInSection }}<a rel="prev" href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a rel="next" href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>{{ end }}
''',
    "_partials/listing.html": '''{{ range .Paginator.Pages }}<article><h3><a href="{{ .RelPermalink }}">{{ .Title }}</a></h3>
<p class="meta">{{ .Params.publication }} · {{ .Date.Format "January 2, 2006" }}</p><p>{{ .Params.summary }}</p></article>
{{ end }}{{ with .Paginator }}<nav>{{ with .Prev }}<a href="{{ .URL }}">Newer</a>{{ end }} Page {{ .PageNumber }} of {{ .TotalPages }}
{{ with .Next }}<a href="{{ .URL }}">Older</a>{{ end }}</nav>{{ end }}
''',
    "home.html": '''{{ define "main" }}<h1>{{ site.Title }}</h1>
{{ $p := .Paginate (where site.RegularPages "Section" "articles") }}{{ partial "listing.html" . }}{{ end }}
''',
    "section.html": '''{{ define "main" }}<h1>{{ .Title }}</h1>{{ $p := .Paginate .Pages }}{{ partial "listing.html" . }}{{ end }}
''',
    "taxonomy.html": '''{{ define "main" }}<h1>Topics</h1><ul>{{ range .Data.Terms.ByCount }}
<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ .Count }}</li>{{ end }}</ul>{{ end }}
''',
    "term.html": '''{{ define "main" }}<h1>{{ .Title }}</h1>
{{ with .OutputFormats.Get "rss" }}<p><a href="{{ .Permalink }}">Feed</a></p>{{ end }}
{{ $p := .Paginate .Pages }}{{ partial "listing.html" . }}{{ end }}
''',
    "rss.xml": '''{{- $pages := .RegularPages -}}{{- if .IsHome }}{{ $pages = site.RegularPages }}{{ end -}}
{{- $pages = first site.Config.Services.RSS.Limit $pages.ByDate.Reverse -}}
{{- printf "<?xml version=\\"1.0\\" encoding=\\"utf-8\\" standalone=\\"yes\\"?>" | safeHTML }}
<rss version="2.0"><channel><title>{{ site.Title }}{{ if not .IsHome }}: {{ .Title }}{{ end }}</title>
<link>{{ .Permalink }}</link><description>{{ site.Title }}</description>
{{ range $pages }}<item><title>{{ .Title }}</title><link>{{ .Permalink }}</link>
<pubDate>{{ .Date.Format "Mon, 02 Jan 2006 15:04:05 -0700" | safeHTML }}</pubDate><guid>{{ .Params.id }}</guid>
<description>{{ .Content | transform.XMLEscape | safeHTML }}</description></item>
{{ end }}</channel></rss>
''',
}


def export_hugo(root: Path, dest: Path) -> None:
    """The corpus at root as a Hugo site at dest (content/articles/*.md, hugo.toml and layouts/)."""
    _fresh(dest)
    content = dest / "content" / "articles"
    content.mkdir(parents=True)
    for stem, front, body in read_corpus(root):
        meta = {
            "title": front["title"],
            "date": front["date"],
            "slug": slugify(front["title"]),
            "tags": front["tags"],
            "authors": front["authors"],
            "dek": front["dek"],
            "publication": front["publication"],
            "source_url": front["source_url"],
            "summary": front["summary"],
            "id": front["id"],
        }
        head = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
        (content / f"{stem}.md").write_text(f"---\n{head}---\n\n{body}", encoding="utf-8")
    (dest / "hugo.toml").write_text(HUGO_TOML, encoding="utf-8")
    for name, text in HUGO_LAYOUTS.items():
        path = dest / "layouts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("n", type=int)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--republish", choices=("full", "excerpt"), default="full")
    parser.add_argument("--pelican", type=Path, help="also export the corpus as a Pelican site here")
    parser.add_argument("--hugo", type=Path, help="also export the corpus as a Hugo site here")
    args = parser.parse_args()
    make_corpus(args.root, args.n, args.seed, args.republish)
    if args.pelican:
        export_pelican(args.root, args.pelican)
    if args.hugo:
        export_hugo(args.root, args.hugo)
    return 0


if __name__ == "__main__":
    sys.exit(main())
