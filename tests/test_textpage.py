"""extract(): metadata and body of the two seed pages, dates, bylines, and the bench floor."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from generator.ingest.normalize import clean_name, parse_date_in
from generator.ingest.textpage import extract

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "content" / "sources"
BENCH = ROOT.parent / "shared" / "ingest-bench"


def _seed(name: str) -> str:
    return (SOURCES / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def fortune():
    return extract(_seed("fortune-amazon-rto-announcement.txt"))


@pytest.fixture(scope="module")
def motherboard():
    return extract(_seed("motherboard-amazon-employees-defy-communications-policy.txt"))


def test_fortune_metadata(fortune):
    assert fortune.title == "Amazon’s controversial RTO announcement started with a technical hiccup — and ended with more questions"
    assert fortune.authors == ("Jason Del Rey",)
    assert fortune.date == datetime.fromisoformat("2024-09-17T18:10:00-04:00")
    assert fortune.date.isoformat() == "2024-09-17T18:10:00-04:00"
    assert fortune.publication == "Fortune"
    assert fortune.section == "Tech"
    assert "authors" not in fortune.review and "date" not in fortune.review


def test_fortune_body_keeps_the_article_and_drops_furniture(fortune):
    body = fortune.body_md
    assert body.startswith("When Amazon corporate employees woke to Monday’s news")
    assert body.rstrip().endswith("raised questions of potential smaller ripple effects still to come.")
    assert "“Collaborating and inventing is easier and more effective when we’re in person,”" in body
    assert "The answer, in short, was Yes." in body
    for furniture in (
        "Most Popular", "Latest in Tech", "Recommended Video", "About the Author", "Tech Correspondent",
        "is a technology correspondent at Fortune",  # the author bio
        "Brainstorm AI returns",  # the event promotion
        "Contact Jason Del Rey",  # the tip-line pitch
        "Fortune Media IP Limited", "All Rights Reserved", "Privacy Policy", "Getty Images",
        "Amazon CEO Andy Jassy.", "Down Arrow", "Nvidia", "Fortune 500",
    ):
        assert furniture not in body, furniture
    assert fortune.title not in body


def test_motherboard_metadata(motherboard):
    assert motherboard.title == "Amazon Employees Just Staged the Biggest Act of Tech Defiance So Far"
    assert motherboard.dek.startswith("In a video released Monday, dozens of Amazon employees")
    assert motherboard.authors == ()
    assert motherboard.date is None
    assert "authors" in motherboard.review and "date" in motherboard.review
    # "told Motherboard" in a quote is not the page stating who publishes it.
    assert motherboard.publication is None and "publication" in motherboard.review
    assert motherboard.summary == motherboard.dek


def test_motherboard_body(motherboard):
    body = motherboard.body_md
    assert body.startswith("Hundreds of Amazon employees have openly violated")
    assert body.rstrip().endswith("“This is only because we spoke up as employees.”")
    assert "Photo by" not in body and "Getty" not in body
    assert motherboard.dek not in body and motherboard.title not in body
    assert "It’s our moral responsibility" in body  # curly apostrophes as on the page


@pytest.mark.parametrize(
    "line, expected",
    [
        ("September 17, 2024, 6:10 PM ET", "2024-09-17T18:10:00-04:00"),
        ("January 17, 2024, 6:10 PM ET", "2024-01-17T18:10:00-05:00"),
        ("Nov. 19, 2019 8:03 am ET", "2019-11-19T08:03:00-05:00"),
        ("Published 10:32 AM EST Nov 19, 2019", "2019-11-19T10:32:00-05:00"),
        ("2019-11-19", "2019-11-19"),
        ("19 November 2019", "2019-11-19"),
        ("Updated : 19 November 2019, 09:01 AM", "2019-11-19"),  # a time without a zone is not guessed
        ("19 de novembro de 2019", "2019-11-19"),
        ("July 4, 2019 3:00 pm BST", "2019-07-04T15:00:00+01:00"),
        ("2019년 11월 19일", "2019-11-19"),
    ],
)
def test_dates(line, expected):
    value, _ambiguous = parse_date_in(line)
    assert value.isoformat() == expected


def test_no_date():
    assert parse_date_in("The union voted on Tuesday.") is None


@pytest.mark.parametrize(
    "text, expected",
    [("Jason Del Rey", "Jason Del Rey"), ("Staff", None), ("Tech Correspondent", None), ("By", None), ("JANE DOE", "Jane Doe"), ("Associated Press", None)],
)
def test_names(text, expected):
    assert clean_name(text) == expected


def test_byline_variants():
    page = "Menu\n\nUnion wins vote at the big warehouse after a long campaign\n\nBy Ana Lima and Joe Bloggs, Staff Writers\nMarch 3, 2021\n\n" + (
        "The workers voted to join the union on Tuesday, and the company said it would respect the result of the vote in the plant.\n\n" * 4
    )
    result = extract(page)
    assert result.title == "Union wins vote at the big warehouse after a long campaign"
    assert result.authors == ("Ana Lima", "Joe Bloggs")
    assert result.date == date(2021, 3, 3)


@pytest.mark.skipif(not (BENCH / "dev" / "truth.json").exists(), reason="ingest bench not available")
def test_bench_floor():
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from ingest_bench import run

    result = run(BENCH)
    assert result["f1"] >= 0.93
    assert result["seconds"] < 10


# A page laid out like many news sites (not a copy of any): skip links, a
# menu, kicker, headline, dek without a full stop, a byline without "By", a
# date with a dotted time, a caption, an inline "Read more", a subheading, a
# list, a newsletter box, topic tags, "Most viewed" and a legal line.
GENERIC_PAGE = """Skip to main content
Skip to navigation
News
Opinion
Sport
Culture
Lifestyle
Show more
US
World
Environment
Business
Tech
Labor
Advertisement
US news
Starbucks workers walk out at 300 stores as contract talks stall
Baristas say the company has failed to offer a fair first contract, three years after the first union vote
Baristas picket outside a Starbucks store in Seattle on Friday. Photograph: Jason Redmond/AFP/Getty Images
Maya Ortiz and Daniel Kim
Fri 20 Dec 2024 14.05 EST
Last modified on Fri 20 Dec 2024 16.30 EST
Share
Thousands of Starbucks baristas walked off the job on Friday at roughly 300 stores across the United States, escalating a long-running fight over the company’s first union contract.

The strike, organised by Starbucks Workers United, began in Los Angeles, Chicago and Seattle and was expected to spread to hundreds more stores by Christmas Eve, the union said.

“We’re not asking for anything outrageous,” said Lynne Fox, a barista from Pittsburgh who has worked for the company for 12 years. “We want a contract that lets us pay rent.”
Read more: Starbucks union files new complaints with labor board

Starbucks said the walkout had “no significant impact” on operations and that it was ready to return to the bargaining table.
What the union wants
The union’s proposals include:
	higher base pay for baristas with long service
	guaranteed minimum hours each week
	a resolution of hundreds of unfair labor practice charges
Talks broke down earlier this month after the company offered what the union called an “unacceptable” economic package — a 1.5% raise in the first year.

“The company has made clear it wants a deal,” a Starbucks spokesperson said. “We hope the union returns to the table.”
Sign up to This Week in Labor
Free weekly newsletter
Our roundup of the week’s most important labor stories, delivered every Friday.
Sign up
Privacy Notice: Newsletters may contain info about charities, online ads, and content funded by outside parties.
Explore more on these topics
Starbucks
Unions
Strikes
US news
Reuse this content
Most viewed
Trump's tariffs hit small businesses hardest, survey finds
Nurses in Minnesota vote to authorise strike
How a warehouse in Alabama became a battleground for labor
© 2024 Guardian News & Media Limited or its affiliated companies. All rights reserved.
"""


def test_generic_page():
    result = extract(GENERIC_PAGE)
    assert result.title == "Starbucks workers walk out at 300 stores as contract talks stall"
    assert result.dek.startswith("Baristas say the company has failed")
    assert result.authors == ("Maya Ortiz", "Daniel Kim")
    assert result.date.isoformat() == "2024-12-20T14:05:00-05:00"
    assert result.updated.isoformat() == "2024-12-20T16:30:00-05:00"
    body = result.body_md
    assert body.startswith("Thousands of Starbucks baristas walked off the job")
    assert body.rstrip().endswith("“We hope the union returns to the table.”")
    assert "## What the union wants" in body
    assert "- guaranteed minimum hours each week" in body
    assert "a 1.5% raise in the first year" in body and "economic package — a" in body
    for furniture in ("Read more", "Photograph", "Sign up", "newsletter", "Most viewed", "Explore more", "Trump's tariffs", "©", "Advertisement", "Share"):
        assert furniture not in body, furniture


def test_prose_that_mentions_furniture_words_stays():
    """Labor reporting talks about signing up, newsletters, copyright and orders: those paragraphs are prose."""
    paragraphs = [
        "Organisers said more than 2,000 workers had signed cards, and hundreds more would sign up before the vote.",
        "The union's newsletter told members that the strike fund would pay $500 a week from the first day.",
        "Writers have argued that the studios' use of their scripts to train software raises copyright questions.",
        "The governor signed an executive order.",
        "Nurses at the hospital said staffing had not improved since the last contract was signed in 2021, and that they were tired.",
    ]
    page = "Home\nNews\nLabor\n\nNurses vote to strike at city hospital over staffing\n\nBy Ana Lima\nMarch 3, 2025\n\n" + "\n\n".join(paragraphs) + "\n\nMost Popular\nSomething else entirely happened today\n"
    body = extract(page).body_md
    for paragraph in paragraphs:
        assert paragraph in body.replace("\\", ""), paragraph


@pytest.mark.parametrize(
    "text, names",
    [
        ("JANE DOE and JOHN ROE Associated Press", ["Jane Doe", "John Roe"]),
        ("Jane Doe, Reuters", ["Jane Doe"]),
        ("Meg JamesStaff Writer", ["Meg James"]),
        ("Jason Del ReyTech Correspondent", ["Jason Del Rey"]),
        ("European Space Agency", []),
        ("Staff", []),
    ],
)
def test_split_names(text, names):
    from generator.ingest.normalize import split_names

    assert split_names(text) == names


def test_published_and_updated_on_one_line():
    page = "Menu\n\nUnion files petition at the plant in Ohio after a long campaign\n\nBy Ana Lima\nPublished March 3, 2025 Updated March 4, 2025, 9:12 a.m. ET\n\n" + (
        "The workers filed a petition with the labor board on Monday, and the company said it would respect the result. " * 3
    )
    result = extract(page)
    assert result.date == date(2025, 3, 3)  # no time shown for it: the day alone
    assert result.updated.isoformat() == "2025-03-04T09:12:00-05:00"


# A blog post with a WordPress-style byline, share box, related post and comments.
BLOG_PAGE = """Labor Notes Blog
Home
About
Archive
Contact
Teamsters reach tentative deal with UPS after marathon talks
Posted on July 25, 2023 by Rachel Green
After months of contentious bargaining, the Teamsters union and UPS reached a tentative agreement early Tuesday that would raise wages for 340,000 workers and end a two-tier wage system the union had long opposed.

The deal, which still needs to be ratified by members, includes raises of $7.50 an hour over five years for full-time and part-time workers, according to the union.

“We’ve changed the game,” the union’s president said in a statement.

Members will vote on the agreement in August.
Share this:
Twitter
Facebook
Like this:
Related
UPS drivers prepare for possible strike
July 5, 2023
In "Labor"
12 thoughts on “Teamsters reach tentative deal with UPS after marathon talks”
Mark
July 25, 2023 at 9:14 am
Great news for the drivers, finally.
Reply
Leave a Reply
Your email address will not be published. Required fields are marked *
Comment *
Name *
Email *
© 2023 Labor Notes Blog. Powered by WordPress.
"""


def test_blog_page_with_comments():
    result = extract(BLOG_PAGE)
    assert result.title == "Teamsters reach tentative deal with UPS after marathon talks"
    assert result.authors == ("Rachel Green",)
    assert result.date == date(2023, 7, 25)
    assert result.publication == "Labor Notes Blog"
    body = result.body_md
    assert body.startswith("After months of contentious bargaining")
    assert body.rstrip().endswith("Members will vote on the agreement in August.")
    for furniture in ("Share this", "Related", "thoughts on", "Great news for the drivers", "Leave a Reply", "Powered by"):
        assert furniture not in body, furniture


def test_data_rows_closing_the_article_are_kept_teasers_are_not():
    article = "Menu\n\nNurses announce a week of strikes across the state after talks fail\n\nBy Ana Lima\nMarch 3, 2025\n\n" + (
        "The nurses' union said on Monday that its members would strike at hospitals across the state next month, after talks with the hospital group broke down over staffing.\n\n"
        "The union said the strikes would go ahead unless the hospitals agreed to enforce the staffing ratios in the last contract.\n\n"
    )
    rows = "Strike dates\n\nApril 2 – Saint Mary's, Springfield\nApril 3 – General Hospital, Riverside\nApril 4 – Mercy Medical Center, Lakeside\n\n"
    teasers = "27 Things Nurses Never Tell You\n10 Hospitals With The Longest Waits\n11 Jobs That Pay More Than You Think\n\n© 2025 Example Media. All rights reserved.\n"
    body = extract(article + rows + "Most Popular\n" + teasers).body_md
    assert "## Strike dates" in body and "- April 4 – Mercy Medical Center, Lakeside" in body
    body = extract(article + teasers).body_md
    assert "27 Things" not in body and body.rstrip().endswith("in the last contract.")


# A wire story: byline in capitals, only an "Updated" time, a caption with a
# date in it, a contributor line and the writer's bio after the story.
WIRE_PAGE = """Skip to main content
Menu
World
U.S.
Politics
Sports
Entertainment
Business
Science
Autoworkers strike at 3 plants as union targets all three Detroit automakers
By TOM KRISHER and DEE-ANN DURBIN
Updated 3:15 PM EDT, September 15, 2023
Share
United Auto Workers members walk the picket line at the Ford Michigan Assembly Plant, Friday, Sept. 15, 2023, in Wayne, Mich. (AP Photo/Paul Sancya)
Read More
DETROIT (AP) — Thousands of auto workers walked off the job at three factories on Friday, launching a strike against all three Detroit automakers for the first time in the union’s 88-year history.

The union’s president said the strike would expand if the companies did not raise their offers, and he called on members to be ready to walk out at more plants.

Advertisement

“We’re using a new strategy,” he said in a video address to members on Thursday night. “We will hit them where it hurts.”

The companies said they had made generous offers and accused the union of refusing to bargain in good faith.

___

Associated Press writer Mae Anderson contributed to this report.
TOM KRISHER
Krisher covers the auto industry and manufacturing for The Associated Press.
Copyright 2023 The Associated Press. All Rights Reserved.
"""


def test_wire_page():
    result = extract(WIRE_PAGE)
    assert result.title == "Autoworkers strike at 3 plants as union targets all three Detroit automakers"
    assert result.authors == ("Tom Krisher", "Dee-Ann Durbin")
    # The page shows only when it was updated: that date stands in for the publication date, to review.
    assert result.date.isoformat() == "2023-09-15T15:15:00-04:00" and "date" in result.review
    assert result.updated is None
    assert result.publication == "The Associated Press"
    body = result.body_md
    assert body.startswith("DETROIT (AP) — Thousands of auto workers walked off the job")
    assert body.rstrip().endswith("refusing to bargain in good faith.")
    for furniture in ("AP Photo", "Read More", "Advertisement", "contributed to this report", "TOM KRISHER", "Krisher covers", "___"):
        assert furniture not in body, furniture


def test_subheading_in_capitals_inside_the_article_stays():
    page = "Menu\n\nDock workers end strike after deal on automation\n\nBy Ana Lima\nOctober 4, 2024\n\n" + (
        "Dock workers at ports from Maine to Texas returned to work on Friday after their union reached a deal on wages with the port employers.\n\n"
        "WHAT THE DEAL SAYS\n\n"
        "The agreement raises wages by 62 percent over six years, the union said, and extends the current contract while talks on automation go on.\n"
    )
    body = extract(page).body_md
    assert "## WHAT THE DEAL SAYS" in body
    assert body.rstrip().endswith("while talks on automation go on.")


def test_relative_and_yearless_dates_resolve_against_the_copy_time():
    from zoneinfo import ZoneInfo

    copied = datetime(2025, 3, 5, 12, 0, tzinfo=ZoneInfo("Europe/London"))
    head = "Menu\n\nDock workers walk out at three ports over automation plans\n\nBy Ana Lima\n"
    body = "Dock workers at three ports walked out on Tuesday after talks over automation broke down, the union said in a statement.\n\n" * 3
    result = extract(head + "22 hours ago\n\n" + body, copied_at=copied)
    assert result.date == date(2025, 3, 4) and "date" in result.review
    result = extract(head + "Mar 3, 9:14 AM\n\n" + body, copied_at=copied)
    assert result.date == date(2025, 3, 3) and "date" in result.review


@pytest.mark.parametrize(
    "line, expected, unsure",
    [
        ("Nov 20 2019, 11:06am IST", "2019-11-20T11:06:00+05:30", True),
        ("Wednesday 20 November 2019 11:42, UK", "2019-11-20T11:42:00+00:00", False),
        ("Updated 0339 GMT (1139 HKT) November 19, 2019", "2019-11-19T03:39:00+00:00", False),
        ("21:17 18.11.2019Get short URL", "2019-11-18", False),
        ("By Tess Bonn - 11/19/19 06:56 AM EST", "2019-11-19T06:56:00-05:00", False),
        ("Published on: 3rd May 2021", "2021-05-03", False),
        ("11-19-2019", "2019-11-19", False),
        ("12 July 2021 10:00 AEST", "2021-07-12T10:00:00+10:00", False),
    ],
)
def test_more_date_forms(line, expected, unsure):
    value, ambiguous = parse_date_in(line)
    assert value.isoformat() == expected and ambiguous == unsure


@pytest.mark.parametrize(
    "text, names",
    [
        ("Maria Ortega12 March 2021", ["Maria Ortega"]),
        ("Chaim Gartenberg@cgartenberg Nov 19, 2019, 7:53pm EST", ["Chaim Gartenberg"]),
        ("Kevin Johnson and Kevin McCoy USA TODAY", ["Kevin Johnson", "Kevin McCoy"]),
        ("Rachael Link, MS, RD on November 14, 2019", ["Rachael Link"]),
        ("Eleanor Ainge Roy (reporting) and Adrian Malloch (photography)", ["Eleanor Ainge Roy"]),
    ],
)
def test_bylines_as_pages_print_them(text, names):
    from generator.ingest.normalize import split_names

    assert split_names(text) == names


def test_an_ambiguous_zone_follows_the_places_the_page_names():
    from generator.ingest.normalize import date_context

    context = date_context("New Delhi: the minister said on Tuesday...\nNov 20 2019, 11:06am IST")
    value, ambiguous = parse_date_in("Nov 20 2019, 11:06am IST", context)
    assert value.isoformat() == "2019-11-20T11:06:00+05:30" and not ambiguous


@pytest.mark.parametrize(
    "text, names",
    [
        ("Daniel Bader last updated 4 April 17", ["Daniel Bader"]),
        ("Michael Larabel in Valve on 1 June 2019 at 08:34 PM EDT. 51 Comments", ["Michael Larabel"]),
        ("Will Leitch/November 18, 2016", ["Will Leitch"]),
        ("Tom Krisher, Ap Auto Writer", ["Tom Krisher"]),  # a role after the name is no second person
    ],
)
def test_a_byline_ends_where_its_date_or_section_begins(text, names):
    from generator.ingest.normalize import split_names

    assert split_names(text) == names


@pytest.mark.parametrize("line, rest", [("ByTravis Haney Dec 9, 2016", "Travis Haney Dec 9, 2016"), ("Byby JOSH HASKELL", "JOSH HASKELL"), ("Byron Allen", None), ("Bypass closed", None)])
def test_by_glued_to_the_name_is_still_a_byline(line, rest):
    from generator.ingest.normalize import BY

    m = BY.match(line)
    assert (line[m.end() :] if m else None) == rest


_LEDE = (
    "Warehouse workers at the Riverside distribution centre voted on Thursday to join the union, "
    "the first such vote at the company, after a campaign that lasted two years and drew national attention. "
    "Organisers said the warehouse vote would encourage workers at other sites to file for elections of their own."
)


def _page(*header: str) -> str:
    return "\n".join(["Home", "News", "Business", "Jobs", "Search", *header, _LEDE, _LEDE.replace("Thursday", "Friday"), "© 2024 Example Media"]) + "\n"


def test_the_headline_shares_its_words_with_the_lede_a_button_does_not():
    page = _page("Riverside warehouse workers vote to join union", "Listen to this story", "Send any friend a story", "By Ana Ruiz", "March 3, 2024")
    assert extract(page).title == "Riverside warehouse workers vote to join union"


def test_a_headline_may_end_with_a_full_stop_right_above_its_byline():
    page = _page("Text size", "Warehouse workers vote for a union. Others may follow.", "By Ana Ruiz", "March 3, 2024", "Print article")
    assert extract(page).title == "Warehouse workers vote for a union. Others may follow."


def test_a_standfirst_of_two_sentences_under_the_headline_is_not_the_headline():
    page = _page(
        "The union view on the Riverside warehouse: a vote on the brink",
        "Editorial",
        "The refusal has only fuelled the dispute. It is up to managers to bargain, as the board should say",
        "March 3, 2024",
    )
    assert extract(page).title == "The union view on the Riverside warehouse: a vote on the brink"


def test_the_window_title_echo_marks_the_headline():
    page = _page(
        "Riverside warehouse workers vote to join union | Example News",
        "Riverside warehouse workers vote to join union",
        "Share",
        "Organisers expect the warehouse vote to spread",
        "By Ana Ruiz · Example News · Posted: March 3, 2024",
    )
    assert extract(page).title == "Riverside warehouse workers vote to join union"


@pytest.mark.parametrize(
    "byline",
    ["JANIE HAR", "ANA RUIZ, EXAMPLE NEWS"],
)
def test_a_name_in_capitals_between_two_copies_of_the_headline_is_the_byline(byline):
    page = _page(
        "Riverside warehouse workers vote to join union",
        byline,
        "March 3, 2024",
        "Facebook Twitter Email",
        "Riverside warehouse workers vote to join union",
        "Photo 1 of 4",
    )
    result = extract(page)
    assert result.title == "Riverside warehouse workers vote to join union"
    assert [a.lower() for a in result.authors] == [" ".join(byline.split(",")[0].split()).lower()]


def test_a_short_article_in_a_language_whose_short_stop_list_catches_little():
    """A short Arabic article under an English menu: its few sentences set the stop-word thresholds, so it is written."""
    paragraphs = [
        "أعلن عمال مستودع في المدينة إضرابا عن العمل يوم الخميس احتجاجا على تأخر صرف الأجور منذ ثلاثة أشهر.",
        "وقال ممثل النقابة إن الإدارة رفضت الجلوس إلى طاولة المفاوضات رغم المطالبات المتكررة من العمال.",
        "ويطالب العمال بزيادة في الرواتب وتحسين شروط السلامة داخل المستودع بعد حوادث متكررة هذا العام.",
    ]
    page = "\n".join(["Home", "News", "Sign in", "Log in", "Search", "إضراب عمال المستودع احتجاجا على تأخر الأجور", "March 3, 2024", *paragraphs, "© 2024 Example Media"]) + "\n"
    result = extract(page)
    assert result.title == "إضراب عمال المستودع احتجاجا على تأخر الأجور"
    for paragraph in paragraphs:
        assert paragraph in result.body_md
