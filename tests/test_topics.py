"""Topic tagging: phrase matching, scoring, the labelled evaluation sets, and `digest tag`.

Per-topic figures: .venv/bin/python -m pytest tests/test_topics.py -q -s -k evaluation
"""

from __future__ import annotations

import re
import sys
import textwrap
from collections import Counter
from pathlib import Path

import pytest
import yaml

from generator.config import parse_config
from generator.frontmatter import fingerprint, split
from generator.retag import edit_front_matter, explain_path, retag_paths
from generator.topics import TopicEvidence, assign_topics, explain, explain_article, phrase_variants, stem

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from tag_score import Labelled, Score, prf, report, score

ROOT = Path(__file__).resolve().parent.parent
EVAL = Path(__file__).resolve().parent / "topics_eval"
# The topic set the project ships (config.yaml), which is also the one used for acceptance.
DEFAULT_TOPICS = yaml.safe_dump(yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))["topics"], sort_keys=False, allow_unicode=True)


def make_config(topics_yaml: str = DEFAULT_TOPICS, tagging: str = "", root: Path = ROOT):
    body = "".join(f"  {line}\n" for line in topics_yaml.splitlines())
    return parse_config(f"title: T\nbase_url: https://example.org/\n{tagging}topics:\n{body}", root)


CONFIG = make_config()

SMALL = """\
- slug: return-to-office
  name: Return to office
  signals:
    return-to-office: 4
    rto: 4
    back * office: 3
    day week in office: 4
- slug: strikes
  name: Strikes
  signals:
    strike: 2
    on strike: 4
    picket line: 4
- slug: layoffs
  name: Layoffs
  signals:
    lay-off: 4
    laid off: 4
- slug: unions
  name: Unions
  signals:
    union: 2
    credit union: 0
"""
SMALL_CONFIG = make_config(SMALL)
WORK = "Employees and workers at the company said their employer and the union disagree."


def tags(title: str, body: str = "", dek: str | None = None, config=SMALL_CONFIG) -> tuple[str, ...]:
    return assign_topics(title, dek, body, config)


# --------------------------------------------------------------------------- matching


@pytest.mark.parametrize(
    "text",
    [
        "Workers face a return to office order",
        "Workers face a return-to-office order",
        "Workers face a Return-To-Office order",
        "Workers face a return to the office order",
        "Workers face a return-to-\noffice order",
        "Workers face a return\nto\noffice order",
        "Workers face an RTO order",
        "Workers ordered back to the office",
        "Workers ordered back into their offices",
        "Workers must be in the office five days a week in the office",
        "Workers must work 5 days a week in the office",
    ],
)
def test_phrases_match_across_case_hyphens_line_breaks_and_articles(text):
    assert tags(text, WORK) == ("return-to-office",)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nurses strike at three hospitals", ("strikes",)),
        ("Nurses striking at three hospitals", ("strikes",)),
        ("Nurses strikes at three hospitals", ("strikes",)),
        ("Nurses go on strike", ("strikes",)),
        ("Hospital lays off 300 nurses", ("layoffs",)),
        ("Hospital laying off 300 nurses", ("layoffs",)),
        ("300 nurses laid off", ("layoffs",)),
        ("Hospital layoffs hit nurses", ("layoffs",)),
        ("Hospital lay-offs hit nurses", ("layoffs",)),
        ("Hospital lay-\noffs hit nurses", ("layoffs",)),
        ("Club's new striker impresses", ()),  # "striker" is not "strike"
        ("Toronto hospital hires nurses", ()),  # "rto" only as a whole word
        ("Nurses join the credit union", ()),  # weight 0 silences "union" inside it
    ],
)
def test_inflection_and_whole_words(text, expected):
    assert tags(text, WORK) == expected


def test_stems_fold_inflections_not_different_words():
    assert stem("strikes") == stem("striking") == stem("strike") == stem("Struck".replace("uck", "ike"))
    assert stem("striker") != stem("strike")
    assert stem("policies") == stem("policy")
    assert stem("Offices") == stem("office")
    assert stem("the") == "" and stem("their") == ""
    assert stem("five") == "5"


def test_hyphenated_phrase_matches_joined_and_apart():
    assert set(phrase_variants("lay-off")) == {(stem("lay"), stem("off")), (stem("layoff"),)}
    assert phrase_variants("return to the office") == ((stem("return"), "to", stem("office")),)


def test_title_weighs_more_than_body():
    # One mention: enough in the title (weight x 3), not in the body.
    assert tags("Union drive at the plant", WORK.replace("the union", "managers")) == ("unions",)
    body = WORK.replace("the union", "managers") + "\n\nThe union wants a raise."
    assert tags("Plant news", body) == ()


def test_a_passing_mention_in_a_long_article_is_not_a_topic():
    filler = " ".join(["The company reported results for its workers and employees this quarter."] * 12)
    paragraphs = [f"{filler} That was report {n}." for n in range(6)]
    paragraphs[3] += " Last year some staff went on strike and a picket line formed."
    body = "\n\n".join(paragraphs)
    assert tags("Quarterly results", body) == ()
    evidence = {e.slug: e for e in explain("Quarterly results", None, body, SMALL_CONFIG)}
    assert evidence["strikes"].score >= SMALL_CONFIG.tagging.threshold
    assert evidence["strikes"].note == "a mention: in one paragraph of 6, not in the headline or dek"
    # The same words spread through the article make it a topic.
    paragraphs[1] += " Workers went on strike again."
    assert tags("Quarterly results", "\n\n".join(paragraphs)) == ("strikes",)


def test_articles_not_about_work_get_no_topics():
    assert tags("Ace strikes out 12 as Mariners win", "He threw 68 strikes in seven innings. The crowd roared.") == ()
    evidence = explain("Ace strikes out 12", None, "He threw 68 strikes, a strike on every other pitch.", SMALL_CONFIG)
    assert not any(e.assigned for e in evidence)


def test_link_targets_are_not_evidence():
    body = WORK + " See [our earlier story](https://example.org/rto-return-to-office-layoffs/) for more."
    assert tags("Quarterly results", body) == ()


def test_results_follow_config_order():
    assert tags("Union strikes after layoffs", WORK) == ("strikes", "layoffs", "unions")


# --------------------------------------------------------------------------- where the words are

FILLER = "The company reported results for its workers and employees this quarter, and managers said demand held up."


def _story(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


def _copies(paragraph: str, n: int, start: int = 0) -> list[str]:
    """n paragraphs alike but not the same (a repeated paragraph counts once)."""
    return [f"{paragraph} That was on day {day}." for day in range(start, start + n)]


def test_the_opening_says_what_a_story_is_about_and_a_later_paragraph_only_mentions():
    later = _story(*_copies(FILLER, 5), "Last year some staff went on strike and formed a picket line.", *_copies(FILLER, 4, 5))
    evidence = {e.slug: e for e in explain("Quarterly results", None, later, SMALL_CONFIG)}
    assert evidence["strikes"].score >= SMALL_CONFIG.tagging.threshold and not evidence["strikes"].assigned
    assert evidence["strikes"].note == "a mention: in one paragraph of 10, not in the headline or dek"
    # The same sentence as the opening paragraph, and once more later: the story is about it.
    opening = _story("Staff went on strike on Monday and formed a picket line.", *_copies(FILLER, 8),
                     "The strike went on.")
    assert tags("Quarterly results", opening) == ("strikes",)
    # Or the theme runs through the story.
    spread = _story(*_copies(FILLER + " Staff went on strike again.", 10))
    assert tags("Quarterly results", spread) == ("strikes",)
    # A passing word in a paragraph is not a paragraph about the theme: "strike" (weight 2) in
    # two of ten paragraphs is; "walkout" (1.2) in three is not, though it adds up to the threshold.
    weak = _story(*_copies(FILLER, 3), *_copies(FILLER + " There was a walkout.", 3, 3), *_copies(FILLER, 4, 6))
    evidence = {e.slug: e for e in explain("Quarterly results", None, weak, SMALL_CONFIG)}
    assert evidence["strikes"].score < SMALL_CONFIG.tagging.threshold or "0 of 10 paragraphs with phrases worth 2" in evidence["strikes"].note


def test_a_single_match_in_the_body_is_a_mention_however_strong():
    body = _story(FILLER, FILLER + " Two workers were laid off.", FILLER + " That was all.")
    evidence = {e.slug: e for e in explain("Quarterly results", None, body, SMALL_CONFIG)}
    assert evidence["layoffs"].score >= 4 and evidence["layoffs"].note == "a mention: a single match, in the body"


def test_a_repeated_paragraph_counts_once():
    # A copied page repeats a photo caption: the second copy is not more of the story.
    caption = "Union members wait in line outside the office. (Photo: agency)"
    body = _story(caption, caption, *_copies(FILLER, 6))
    assert tags("Quarterly results", body) == ()
    evidence = explain_article("Quarterly results", None, body, SMALL_CONFIG)
    assert [m.context for e in evidence.topics if e.slug == "unions" for m in e.matches] == [
        "[Union] members wait in line outside the office…"]
    assert evidence.body_words == len(_story(caption, *_copies(FILLER, 6)).split())


PAY_AND_UNIONS = """- slug: unions
  name: Unions
  signals:
    union: 2
    union drive: 4
    form * union: 3
- slug: pay
  name: Pay
  signals:
    wage: 2
    pay: 1
"""


def test_a_side_theme_of_the_strongest_topic_is_a_mention():
    # A union drive names the wages it bargains for: pay runs through the story, but each time
    # beside the union, and the story's words are the union's.
    config = make_config(PAY_AND_UNIONS)
    opening = "Workers at the plant launched a union drive on Monday, and the union said most of the staff had signed up. " + FILLER
    paragraphs = [f"Workers said the union drive at plant {n} would help them win higher wages and better pay, and the union agreed."
                  for n in range(6)]
    evidence = {e.slug: e for e in explain("Workers launch a union drive", None, _story(opening, *paragraphs), config)}
    assert evidence["unions"].assigned
    assert not evidence["pay"].assigned and evidence["pay"].score >= config.tagging.threshold
    assert evidence["pay"].note.startswith("a mention: not in the headline, dek or opening, and a side theme of unions (")
    # The same pay words as a story of their own: pay.
    alone = [f"Workers at plant {n} said higher wages and better pay were overdue." for n in range(6)]
    assert assign_topics("Plant news", None, _story(*alone), config) == ("pay",)


NEUTRAL = "The harbour festival opened with music, food stalls and boats decked in flags along the quay."


def test_work_words_only_deep_in_a_story_do_not_make_it_about_work():
    body = _story(*_copies(NEUTRAL, 7), "The festival thanked its staff and workers.", *_copies(NEUTRAL, 2, 7))
    evidence = explain_article("Bowlers strike twice as the harbour festival opens", None, body, SMALL_CONFIG)
    assert evidence.work.score >= SMALL_CONFIG.tagging.work_threshold and not evidence.work.assigned
    assert "not in the headline, dek or opening" in evidence.work.note and "in only 1 of 10 paragraphs" in evidence.work.note
    assert not any(e.assigned for e in evidence.topics)
    # The same words where the story starts: it is about work.
    body = _story("The festival thanked its staff and workers.", *_copies(NEUTRAL, 9))
    assert tags("Bowlers strike twice as the harbour festival opens", body) == ("strikes",)
    # One work word in many paragraphs, but not at the start: its repeats count for little,
    # and a story about work that does not say so where it starts needs more than that.
    body = _story(*_copies(NEUTRAL, 3), *[f"{NEUTRAL} The festival thanked its staff and workers on day {n}." for n in range(8)])
    evidence = explain_article("Bowlers strike twice as the harbour festival opens", None, body, SMALL_CONFIG)
    assert not evidence.work.assigned and evidence.work.note.endswith(
        f"and through the story they are worth {evidence.work.score:.1f} (a story about work needs 4)")


# --------------------------------------------------------------------------- sibling boundaries


def _decided(title: str, dek: str | None, body: str) -> dict[str, TopicEvidence]:
    return {e.slug: e for e in explain(title, dek, body, CONFIG)}


def test_an_office_mandate_is_not_remote_work_unless_the_story_covers_the_arrangements():
    title = "Bank orders staff back to the office five days a week"
    mandate = _story(
        "The bank told employees on Thursday that they must work from the office five days a week from March, "
        "ending the hybrid schedule and the work from home days it allowed during the pandemic.",
        "Managers will check attendance each week, the memo said, and exceptions will be rare.")
    evidence = _decided(title, None, mandate)
    assert evidence["return-to-office"].assigned and not evidence["remote-work"].assigned
    assert evidence["remote-work"].note.startswith("the boundary with return-to-office: An office mandate is remote work only when")
    arrangements = _story(
        mandate,
        "Remote workers hired into fully remote jobs say they moved hundreds of miles away. Working from home let "
        "them care for children and skip long commutes, and many say remote work made them more productive.",
        "A survey of remote employees found most would look for another remote job rather than return.")
    evidence = _decided(title, None, arrangements)
    assert evidence["return-to-office"].assigned and evidence["remote-work"].assigned
    assert evidence["remote-work"].boundary.startswith("kept beside return-to-office: ")


def test_a_strike_is_activism_only_when_non_union_workers_lead_it():
    union_strike = _story(
        "Cleaners at the airport went on strike on Tuesday, walking off the job to protest low wages.",
        "Members of the cleaners' union joined the picket line, a rally and a protest march outside the terminal, "
        "and activists delivered a petition to the airport's managers.")
    evidence = _decided("Airport cleaners go on strike", None, union_strike)
    assert evidence["strikes"].assigned and not evidence["activism"].assigned
    non_union = union_strike.replace("Members of the cleaners' union joined",
                                     "The cleaners, who are not part of any union, joined")
    evidence = _decided("Airport cleaners go on strike", None, non_union)
    assert evidence["strikes"].assigned and evidence["activism"].assigned
    assert evidence["activism"].boundary == (
        "kept beside strikes: 'not part of * union' (A strike is activism only when non-union employees lead it.)")


def test_a_walkout_by_union_members_is_unions_too_only_with_their_bargaining():
    strike = _story(
        "Nurses at three hospitals went on strike on Monday, and their union set up picket lines at every entrance.",
        "The nurses' union, which represents 5,000 members, said the walkout would last three days. "
        "A shop steward handed out leaflets. Hospitals moved patients and cancelled surgery.")
    evidence = _decided("Nurses strike at three hospitals", None, strike)
    assert evidence["strikes"].assigned and not evidence["unions"].assigned
    assert "the boundary with strikes: A walkout by a union's members is strikes" in evidence["unions"].note
    bargaining = strike + " The strike began after contract talks between the union and the hospitals collapsed."
    evidence = _decided("Nurses strike at three hospitals", None, bargaining)
    assert evidence["strikes"].assigned and evidence["unions"].assigned
    assert evidence["unions"].boundary.startswith("kept beside strikes: 'contract talks'")


def test_siblings_compete_for_words():
    # "sick pay" is benefits: its "pay" is not evidence of pay.
    body = _story("The council will cut sick pay for its staff from April, the union said.",
                  "Employees off sick will get sick pay for four weeks instead of six.")
    evidence = _decided("Council cuts sick pay for staff", None, body)
    assert evidence["benefits"].assigned and not evidence["pay"].assigned
    assert all(m.phrase != "pay" for m in evidence["pay"].matches)
    # Topics that are not siblings share words: the gender pay gap is pay and discrimination.
    body = _story("Women at the bank earn 20% less than men in the same roles, an audit of its pay gap found.",
                  "The bank said it would close the gender pay gap within three years.")
    assert {"pay", "discrimination"} <= set(assign_topics("Bank audit finds a gender pay gap", None, body, CONFIG))


# --------------------------------------------------------------------------- evaluation


SYNTHETIC = ["articles.yaml", "heldout.yaml", "heldout2.yaml", "heldout3.yaml", "heldout4.yaml"]
SLUGS = [t.slug for t in CONFIG.topics]


def _load(name: str) -> list[dict]:
    return yaml.safe_load((EVAL / name).read_text(encoding="utf-8"))


def _labelled(name: str) -> list[Labelled]:
    # The synthetic sets say "not about work" with no topics; real.yaml says it with about_work.
    return [
        Labelled(i["id"], i["title"], i.get("dek") or None, i["body"], frozenset(i["topics"]), i.get("about_work", bool(i["topics"])))
        for i in _load(name)
    ]


def _measure(name: str) -> Score:
    items = _labelled(name)
    return score(items, [assign_topics(i.title, i.dek, i.body, CONFIG) for i in items], SLUGS)


@pytest.mark.parametrize("name", SYNTHETIC)
def test_evaluation_sets_are_well_formed(name):
    items = _load(name)
    slugs = set(SLUGS)
    assert len({i["id"] for i in items}) == len(items)
    for item in items:
        assert set(item) == {"id", "title", "dek", "body", "topics"}, item["id"]
        assert set(item["topics"]) <= slugs, item["id"]
    if name == "articles.yaml":
        counts = Counter(t for i in items for t in i["topics"])
        assert all(counts[s] >= 5 for s in slugs), counts
        assert sum(1 for i in items if not i["topics"]) >= 15


REAL_KEYS = {"id", "title", "dek", "body", "topics", "about_work", "outlet", "url", "source"}


def test_real_pages_are_well_formed_and_say_where_they_come_from():
    """tests/topics_eval/real.yaml: real pages copied in, each with its outlet, URL and repository."""
    items = _load("real.yaml")
    assert len({i["id"] for i in items}) == len(items)
    for item in items:
        assert REAL_KEYS <= set(item) <= REAL_KEYS | {"note"}, item["id"]
        assert set(item["topics"]) <= set(SLUGS), item["id"]
        assert item["about_work"] or not item["topics"], item["id"]
        assert set(item["source"]) == {"repository", "commit", "path", "licence"}, item["id"]
        assert re.fullmatch(r"[0-9a-f]{40}", item["source"]["commit"]), item["id"]
        assert item["source"]["licence"] in {"MIT", "Apache-2.0", "MIT OR Apache-2.0"}, item["id"]
        assert item["url"].startswith(("http://", "https://")) and item["outlet"], item["id"]


def test_fresh_labels_say_where_each_page_comes_from_and_split_by_outlet():
    """bench/topics_real/allsides.yaml: the fresh set, labels only, halves that share no outlet."""
    entries = yaml.safe_load((ROOT / "bench" / "topics_real" / "allsides.yaml").read_text(encoding="utf-8"))
    assert len({e["id"] for e in entries}) == len(entries) >= 100
    keys = {"id", "set", "half", "path", "outlet", "site", "url", "topics", "about_work"}
    for e in entries:
        assert keys <= set(e) <= keys | {"date", "note"}, e["id"]
        assert e["set"] == "allsides" and e["half"] in {"A", "B", "C"} and re.fullmatch(r"data/jsons/\w+\.json", e["path"]), e["id"]
        assert set(e["topics"]) <= set(SLUGS) and (e["about_work"] or not e["topics"]), e["id"]
        assert e["url"].startswith(("http://", "https://")) and e["outlet"], e["id"]
    halves = {h: {e["site"] for e in entries if e["half"] == h} for h in "AB"}
    assert not halves["A"] & halves["B"]
    work = [e for e in entries if e["about_work"]]
    assert len(work) >= 60 and len({e["site"] for e in work}) >= 15


def test_real_labels_kept_outside_are_well_formed():
    """bench/topics_real/labels.yaml: labels for real pages whose text stays in its repository."""
    entries = yaml.safe_load((ROOT / "bench" / "topics_real" / "labels.yaml").read_text(encoding="utf-8"))
    ids = [e["id"] for e in entries] + [i["id"] for i in _load("real.yaml")]
    assert len(set(ids)) == len(ids)
    for e in entries:
        assert e["set"] in {"dragnet", "bbc", "scrapinghub", "seeds"}, e["id"]
        assert set(e["topics"]) <= set(SLUGS) and (e["about_work"] or not e["topics"]), e["id"]
        assert e["outlet"] and e["path"], e["id"]
        if e["set"] == "seeds":
            assert (ROOT / e["path"]).is_file(), e["id"]
    work = [e for e in entries if e["about_work"]] + [i for i in _load("real.yaml") if i["about_work"]]
    assert len(work) >= 60 and len({e["outlet"] for e in work}) >= 15


# Floors set from what the tagger reaches, with a margin. articles.yaml: 0.95 micro-F1
# (the signals were tuned on it). heldout.yaml: 0.64 when first measured, 0.90 after the
# fixes it prompted. heldout2.yaml, written after those fixes: 0.69 when first measured
# (recall 0.56: short items with few work words), 0.90 after one more round.
# heldout3.yaml, long pieces written after that: 0.83 when first measured, 0.87 after.
# heldout4.yaml, written last and never tuned on: 0.92 (precision 1.00, recall 0.85).
# Then (issue 13) the tagger decides by where the story's words are and by sibling
# boundaries, tuned on the real pages of bench/tag_eval.py; nine labels here were changed
# to follow those boundaries (see the commit). At that commit: articles 0.960, heldout
# 0.874, heldout2 0.900, heldout3 0.828, heldout4 0.881 (precision 0.92 to 1.00 in all).
# Second round (a theme outside the headline, dek and opening must run through a fifth of
# the paragraphs with real evidence and not be a side theme of the strongest topic), chosen
# on real pages (bench/tag_eval.py: more precise there, P 0.75 to 0.87 on the pages tuned
# on): heldout3's long pieces lose their secondary themes, 0.828 to 0.720 (precision 1.00);
# the other sets do not move.
@pytest.mark.parametrize(
    ("name", "floor"),
    [("articles.yaml", 0.92), ("heldout.yaml", 0.85), ("heldout2.yaml", 0.85), ("heldout3.yaml", 0.7), ("heldout4.yaml", 0.85)],
)
def test_evaluation_micro_f1(name, floor):
    result = _measure(name)
    print("\n" + report(name, result))
    p, _r, f = prf(*result.total)
    assert f >= floor, report(name, result)
    assert p >= 0.9


def test_real_pages_precision_recall_and_pages_not_about_work():
    """The real pages copied into real.yaml (bench/tag_eval.py scores them with the rest).

    First round: 32 pages, micro P 0.88 R 0.88 (17 about work, 15 not); one page not about
    work tagged (wired-neo-banks-broke: gig-work and pay, from its paragraphs on gig drivers'
    pay). Before the tagger was changed for them: P 0.42 R 0.96, 12 of the 16 pages then
    labelled not about work tagged. Second round: P 0.89 R 0.68; the side themes of strikes
    and rallies (their pay, their union) are now mentions, which on the pages of
    bench/tag_eval.py removes more wrong topics than right ones.
    """
    result = _measure("real.yaml")
    print("\n" + report("real.yaml", result))
    p, r, _f = prf(*result.total)
    assert p >= 0.85 and r >= 0.65, report("real.yaml", result)
    assert len(result.not_work_tagged) <= 1, result.not_work_tagged


@pytest.mark.parametrize("name", SYNTHETIC)
def test_articles_not_about_work_get_nothing(name):
    for item in _load(name):
        if not item["topics"]:
            assert assign_topics(item["title"], item.get("dek") or None, item["body"], CONFIG) == (), item["id"]


# --------------------------------------------------------------------------- the seeds

FORTUNE = (
    "Amazon’s controversial RTO announcement started with a technical hiccup — and ended with more questions",
    None,
    """When Amazon corporate employees woke to Monday’s news of a policy change requiring them to be at the
office five days a week, some had to get the details from news articles or a press-release-like blog post.

But for those unhappy about the return-to-work mandate, or anxious about how it might upend their personal
lives, the technical hiccup added insult to injury, employees told Fortune.

With Amazon being one of the largest private-sector employers in the world, companies debating a full
return-to-office mandate could use the tech giant’s decision as cover to do the same.

“Will we continue to have badging data?” the question read, referring to Amazon’s recent practice of
tracking when employees visit an office. “Continuing to report badge data for now will help us track our
progress,” the answer read.
""",
)
MOTHERBOARD = (
    "Amazon Employees Just Staged the Biggest Act of Tech Defiance So Far",
    (
        "In a video released Monday, dozens of Amazon employees violate company policy by publicly criticizing "
        "a new communication policy that clamps down on employee activism."
    ),
    """Hundreds of Amazon employees have openly violated the company’s communications policy by publicly
criticizing their employer, in what is arguably the largest act of collective disobedience yet by white
collar workers at a major tech company.

The action began on Sunday when the Amazon worker-led environmental justice group Amazon Employees for
Climate Justice published quotes from 357 Amazon workers. In early September, following an announcement of a
mass walkout at Amazon in protest of the company’s carbon footprint, Amazon updated its external
communications policy to prohibit employees from speaking publicly about the company without approval.
""",
)


def _seed_articles() -> list[tuple[str, str | None, str, str]]:
    """The seeds as ingested into content/articles (when present), plus the excerpts above."""
    found = [("fortune excerpt", *FORTUNE), ("motherboard excerpt", *MOTHERBOARD)]
    for path in sorted((ROOT / "content" / "articles").glob("*.md")):
        data, body, _line, problems = split(path.read_text(encoding="utf-8"), str(path))
        source = str(data.get("source_file", "")) + str(data.get("publication", "")) + path.name
        if not problems and ("fortune" in source.lower() or "motherboard" in source.lower()):
            found.append((path.name, str(data.get("title", "")), data.get("dek"), body))
    return found


@pytest.mark.parametrize("seed", _seed_articles(), ids=lambda s: s[0])
def test_seeds_get_their_topics_and_only_defensible_others(seed):
    name, title, dek, body = seed
    got = set(assign_topics(title, dek, body, CONFIG))
    if "fortune" in name.lower() or "rto" in name.lower():
        assert "return-to-office" in got
        assert got <= {"return-to-office", "surveillance", "remote-work"}  # badge-data tracking; hybrid
    else:
        assert {"activism", "speech-policy"} <= got
        assert got <= {"activism", "speech-policy", "climate"}  # Amazon Employees for Climate Justice


# --------------------------------------------------------------------------- digest tag

ARTICLE = """\
---
# Checked by the desk on Monday.
title: "Unions and strikes: a week of picket lines"
dek: Workers walked off the job at three plants.
date: 2024-05-01
tags: [strikes, unions]  # topics
tags_auto: [strikes, unions]
slug: week-of-picket-lines
---

Workers at three plants went on strike this week, and the union set up picket lines.
Employees said the strike would last until the union wins a contract.

Union members and their employer return to bargaining on Friday. The strike continues.
"""


def _site(tmp_path: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    return tmp_path


def test_retag_edits_only_the_tag_lines(tmp_path):
    _site(tmp_path, {"content/articles/a.md": ARTICLE})
    config = make_config(SMALL.replace("    union: 2\n", "    union: 0.1\n"), root=tmp_path)
    [result] = retag_paths(None, config)
    assert (result.before, result.after) == (("strikes", "unions"), ("strikes",))
    after = (tmp_path / "content/articles/a.md").read_text(encoding="utf-8")
    removed = [line for line in ARTICLE.splitlines() if line not in after.splitlines()]
    added = [line for line in after.splitlines() if line not in ARTICLE.splitlines()]
    assert removed == ["tags: [strikes, unions]  # topics", "tags_auto: [strikes, unions]"]
    assert added == ["tags: [strikes]  # topics", "tags_auto: [strikes]"]
    # Nothing to change the second time: the file is not rewritten.
    stat = (tmp_path / "content/articles/a.md").stat()
    [again] = retag_paths(None, config)
    assert again.before == again.after == ("strikes",)
    assert (tmp_path / "content/articles/a.md").stat().st_mtime_ns == stat.st_mtime_ns


def test_retag_keeps_crlf_and_block_lists(tmp_path):
    text = ARTICLE.replace("tags: [strikes, unions]  # topics\ntags_auto: [strikes, unions]\n", "tags:\n  - strikes\ntags_auto:\n  - strikes\n")
    _site(tmp_path, {"content/articles/a.md": text.replace("\n", "\r\n")})
    config = make_config(SMALL, root=tmp_path)
    [result] = retag_paths(None, config)
    raw = (tmp_path / "content/articles/a.md").read_bytes().decode("utf-8")
    assert result.after == ("strikes", "unions")
    assert "\n" not in raw.replace("\r\n", "")
    assert "tags:\r\n  - strikes\r\n  - unions\r\ntags_auto:\r\n  - strikes\r\n  - unions\r\n" in raw


def _edit_tags(path: Path, tags: list[str]) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(edit_front_matter(text, {"tags": tags}), encoding="utf-8")


def _front(path: Path) -> dict:
    return split(path.read_text(encoding="utf-8"), str(path))[0]


def test_editor_additions_and_removals_survive_any_retag(tmp_path):
    _site(tmp_path, {"content/articles/a.md": ARTICLE})
    path = tmp_path / "content/articles/a.md"
    base = make_config(SMALL, root=tmp_path)
    assert retag_paths(None, base)[0].after == ("strikes", "unions")
    # The editor removes unions and adds layoffs, by editing `tags` only.
    _edit_tags(path, ["strikes", "layoffs"])
    result = retag_paths(None, base)[0]
    assert result.after == ("strikes", "layoffs")
    assert "removed by hand: unions" in result.message and "added by hand: layoffs" in result.message
    assert _front(path)["tags_manual"] == ["+layoffs", "-unions"]
    # Signals change every way: unions stops and starts being proposed, layoffs never is,
    # strikes disappears and comes back.
    no_strikes = make_config(SMALL.replace("    strike: 2\n    on strike: 4\n    picket line: 4\n", "    walkout: 1\n"), root=tmp_path)
    heavy_unions = make_config(SMALL.replace("    union: 2\n", "    union: 9\n"), root=tmp_path)
    for config, expected in [(no_strikes, ("layoffs",)), (heavy_unions, ("strikes", "layoffs")), (base, ("strikes", "layoffs")), (no_strikes, ("layoffs",))]:
        assert retag_paths(None, config)[0].after == expected
        front = _front(path)
        assert "unions" not in front.get("tags", []) and "layoffs" in front["tags"]
        assert front["tags_manual"] == ["+layoffs", "-unions"]
    # Changing their mind: the editor puts unions back; it is now kept by hand.
    _edit_tags(path, ["layoffs", "unions"])
    assert retag_paths(None, no_strikes)[0].after == ("layoffs", "unions")
    assert _front(path)["tags_manual"] == ["+layoffs", "+unions"]


def test_hand_written_tags_without_tags_auto_are_kept(tmp_path):
    text = ARTICLE.replace("tags: [strikes, unions]  # topics\ntags_auto: [strikes, unions]\n", "tags: [layoffs]\n")
    _site(tmp_path, {"content/articles/a.md": text})
    [result] = retag_paths(None, make_config(SMALL, root=tmp_path))
    assert result.after == ("strikes", "layoffs", "unions")
    front = _front(tmp_path / "content/articles/a.md")
    assert front["tags_auto"] == ["strikes", "unions"] and front["tags_manual"] == ["+layoffs"]
    # The new keys go after `tags`, before `slug`, in KEY_ORDER's order.
    keys = [k for k in front]
    assert keys.index("tags") < keys.index("tags_auto") < keys.index("tags_manual") < keys.index("slug")


def test_ingest_hash_follows_an_untouched_article_only(tmp_path):
    data, body, _line, _problems = split(ARTICLE, "a.md")
    stored = fingerprint(data, body)
    untouched = ARTICLE.replace("slug: week-of-picket-lines\n", f"slug: week-of-picket-lines\ningest_hash: {stored}\n")
    _site(tmp_path, {"content/articles/a.md": untouched, "content/articles/b.md": untouched.replace("Workers at three", "Staff at three")})
    config = make_config(SMALL.replace("    union: 2\n", "    union: 0.1\n"), root=tmp_path)
    results = retag_paths(None, config)
    assert [r.after for r in results] == [("strikes",), ("strikes",)]
    a_data, a_body, _l, _p = split((tmp_path / "content/articles/a.md").read_text(encoding="utf-8"), "a.md")
    assert a_data["ingest_hash"] == fingerprint(a_data, a_body) != stored
    b_data, _b_body, _l, _p = split((tmp_path / "content/articles/b.md").read_text(encoding="utf-8"), "b.md")
    assert b_data["ingest_hash"] == stored  # edited by hand before: still recognisably so


def test_unreadable_front_matter_is_skipped_with_a_message(tmp_path):
    _site(tmp_path, {"content/articles/a.md": "no front matter here\n"})
    [result] = retag_paths(None, make_config(SMALL, root=tmp_path))
    assert result.before == result.after == ()
    assert result.message.startswith("skipped: no front matter")
    assert (tmp_path / "content/articles/a.md").read_text(encoding="utf-8") == "no front matter here\n"


def test_explain_shows_evidence_fields_and_threshold(tmp_path):
    _site(tmp_path, {"content/articles/a.md": ARTICLE})
    path = tmp_path / "content/articles/a.md"
    config = make_config(SMALL, root=tmp_path)
    retag_paths(None, config)
    _edit_tags(path, ["strikes"])
    text = explain_path(path, config)
    assert "strikes: score" in text and ">= 4: assigned" in text
    assert "title strike" in text.replace("  ", " ") or "title on strike" in text.replace("  ", " ")
    assert "[picket lines]" in text  # the matched words in context
    assert "body" in text and "dek" not in text.split("strikes: score")[1].split("\n")[1:2][0][:5]
    assert "unions: score" in text and "(removed by hand)" in text
    assert "threshold 4" in text and "work context" in text


def test_explain_says_which_boundary_decided(tmp_path):
    story = textwrap.dedent("""\
        ---
        title: Airport cleaners go on strike
        ---

        Cleaners at the airport went on strike on Tuesday, walking off the job to protest low wages.

        The cleaners, who are not part of any union, joined the picket line, a rally and a protest march outside
        the terminal, and activists delivered a petition to the airport's managers.
        """)
    _site(tmp_path, {"content/articles/a.md": story, "content/articles/b.md": story.replace(
        "The cleaners, who are not part of any union, joined", "Members of the cleaners' union joined"),
        "content/articles/c.md": story.replace("The cleaners, who are not part of any union, joined", "The cleaners joined")})
    config = make_config(root=tmp_path)
    kept = explain_path(tmp_path / "content/articles/a.md", config)
    assert ("activism: score" in kept and "\n  boundary: kept beside strikes: 'not part of * union' "
            "(A strike is activism only when non-union employees lead it.)\n") in kept
    dropped = explain_path(tmp_path / "content/articles/b.md", config)
    line = next(x for x in dropped.splitlines() if x.startswith("activism: score"))
    assert line.endswith("but not assigned: the boundary with strikes: A strike is activism only when non-union employees lead it. "
                         "(none of its keep_if phrases occurs; 'union', a keep_without phrase, occurs)"), line
    # A strike in a story that names no union at all is not a union's (keep_without).
    unnamed = explain_path(tmp_path / "content/articles/c.md", config)
    assert ("\n  boundary: kept beside strikes: none of its keep_without phrases occurs "
            "(A strike is activism only when non-union employees lead it.)\n") in unnamed
    assert "a topic the story is about: evidence worth 4 in the headline, dek or opening" in dropped


def test_boundaries_are_read_from_config():
    topics = SMALL.replace("""- slug: unions
  name: Unions
""", """- slug: unions
  name: Unions
  boundaries:
  - with: strikes
    rule: A walkout is strikes.
    keep_if: [contract talks]
    own_evidence: false
""")
    [unions] = [t for t in make_config(topics).topics if t.slug == "unions"]
    assert [(b.sibling, b.rule, b.keep_if, b.own_evidence, b.keep_without) for b in unions.boundaries] == [
        ("strikes", "A walkout is strikes.", ("contract talks",), False, ())]
    [unions] = [t for t in make_config(topics.replace("    own_evidence: false\n", "    own_evidence: false\n    keep_without: [picket]\n")).topics
                if t.slug == "unions"]
    assert unions.boundaries[0].keep_without == ("picket",)


def test_explain_matches_in_context_name_their_field():
    evidence = {e.slug: e for e in explain(*MOTHERBOARD, CONFIG)}
    speech = evidence["speech-policy"]
    assert speech.assigned and speech.score >= speech.threshold
    fields = {m.field for m in speech.matches}
    assert fields == {"dek", "body"}
    dek_match = next(m for m in speech.matches if m.field == "dek")
    assert "[" in dek_match.context and "]" in dek_match.context


def test_edit_front_matter_inserts_and_removes_keys():
    text = textwrap.dedent("""\
        ---
        title: T  # a comment
        tags_manual: ['+pay']
        slug: t
        ---

        Body stays.
        """)
    out = edit_front_matter(text, {"tags": ["pay"], "tags_manual": None})
    assert out == textwrap.dedent("""\
        ---
        title: T  # a comment
        tags:
        - pay
        slug: t
        ---

        Body stays.
        """)


def test_tag_fields_for_ingest_keep_the_editors_decisions():
    from generator.retag import tag_fields

    old = {"tags": ["unions", "layoffs"], "tags_auto": ["strikes", "unions"]}
    assert tag_fields(("strikes", "unions"), old, SMALL_CONFIG) == {
        "tags": ["layoffs", "unions"],
        "tags_auto": ["strikes", "unions"],
        "tags_manual": ["+layoffs", "-strikes"],
    }
    assert tag_fields(("strikes",), {}, SMALL_CONFIG) == {"tags": ["strikes"], "tags_auto": ["strikes"], "tags_manual": []}


def test_work_context_is_configurable():
    text = "Ace strikes at the ballpark"
    body = "The pitcher threw strikes all night and the crowd cheered every strike."
    assert tags(text, body) == ()
    fans = make_config(SMALL, tagging="tagging:\n  work_threshold: 1\n  work_signals:\n    pitcher: 1\n")
    assert fans.tagging.work_signals == (("pitcher", 1.0),)
    assert assign_topics(text, None, body, fans) == ("strikes",)
    evidence = explain(text, None, body, fans)
    assert evidence[1].assigned


def test_work_signals_are_checked_like_topic_signals():
    from generator.errors import SiteError

    with pytest.raises(SiteError) as caught:
        make_config(SMALL, tagging="tagging:\n  work_signals:\n    pitcher: lots\n")
    assert "work signal 'pitcher' needs a number as its weight" in str(caught.value.problems[0])


def test_digest_tag_command_prints_what_changed_and_explains(tmp_path, capsys):
    from generator.cli import main

    topics = "".join(f"  {line}\n" for line in SMALL.splitlines())
    _site(tmp_path, {
        "config.yaml": f"title: T\nbase_url: https://example.org/\ntopics:\n{topics}",
        "content/articles/a.md": ARTICLE.replace("tags: [strikes, unions]  # topics\ntags_auto: [strikes, unions]\n", ""),
        "content/articles/b.md": ARTICLE.replace("Unions and strikes", "Baking bread").replace("Workers", "Bakers"),
    })
    config = str(tmp_path / "config.yaml")
    assert main(["tag", "--config", config]) == 0
    out = capsys.readouterr().out
    assert f"{tmp_path / 'content/articles/a.md'}: (none) -> strikes, unions" in out
    assert main(["tag", "--config", config]) == 0
    assert capsys.readouterr().out.strip().endswith("0 of 2 articles changed")
    assert main(["tag", "--config", config, "--explain", str(tmp_path / "content/articles/a.md")]) == 0
    out = capsys.readouterr().out
    assert "strikes: score" in out and "picket line" in out and "threshold 4" in out


@pytest.mark.parametrize(
    ("before", "after"),
    [
        # A byte-order mark, a comment between keys and a one-word value stay as they were.
        ("\ufeff---\ntitle: T\ntags: unions\n# keep me\nslug: t\n---\nbody\n",
         "\ufeff---\ntitle: T\ntags:\n- strikes\ntags_auto:\n- strikes\n# keep me\nslug: t\n---\nbody\n"),
        # New keys follow the indentation of the list already there.
        ("---\ntitle: T\ntags:  # hand\n  - unions\nslug: t\n---\nbody\n",
         "---\ntitle: T\ntags:  # hand\n  - strikes\ntags_auto:\n  - strikes\nslug: t\n---\nbody\n"),
        # No tag keys at all: they go where KEY_ORDER puts them, else before the closing line.
        ("---\ntitle: T\n---\nbody\n", "---\ntitle: T\ntags:\n- strikes\ntags_auto:\n- strikes\n---\nbody\n"),
    ],
)
def test_edit_front_matter_keeps_the_rest(before, after):
    assert edit_front_matter(before, {"tags": ["strikes"], "tags_auto": ["strikes"]}) == after


def test_the_written_out_work_signals_match_the_built_in_list() -> None:
    """generator/default_tagging.yaml shows editors the built-in work context; it must not drift."""
    from generator.topics import WORK_SIGNALS

    written = yaml.safe_load((ROOT / "generator" / "default_tagging.yaml").read_text(encoding="utf-8"))["tagging"]["work_signals"]
    assert [(phrase, float(weight)) for phrase, weight in written.items()] == [(p, float(w)) for p, w in WORK_SIGNALS]
