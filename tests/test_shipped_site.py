"""The sample digest a fresh clone builds: the two seed pages, ingested and tagged, as shipped."""

from __future__ import annotations

import re
from pathlib import Path

import feedparser
import yaml
from sitekit import digest

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "content" / "articles"


def front_matter(name_part: str) -> dict:
    [path] = [p for p in ARTICLES.glob("*.md") if name_part in p.name]
    return yaml.safe_load(path.read_text(encoding="utf-8").split("\n---\n", 1)[0].removeprefix("---\n"))


def test_the_seeds_carry_their_topics_and_honest_metadata() -> None:
    fortune = front_matter("rto-announcement")
    assert "return-to-office" in fortune["tags"]
    assert fortune["authors"] == ["Jason Del Rey"]
    assert fortune["date"] == "2024-09-17T18:10:00-04:00"
    assert (fortune["publication"], fortune["section"]) == ("Fortune", "Tech")
    motherboard = front_matter("tech-defiance")
    assert {"activism", "speech-policy"} <= set(motherboard["tags"])
    assert "authors" not in motherboard and "date" not in motherboard
    assert {"authors", "date"} <= set(motherboard["review"])


def test_the_shipped_site_builds_with_a_feed_per_topic_in_use(tmp_path: Path) -> None:
    out = tmp_path / "public"
    cache = ROOT / ".digest-cache" / "build.pickle"
    before = cache.stat().st_mtime_ns if cache.exists() else None
    result = digest("build", "--config", str(ROOT / "config.yaml"), "--out", str(out), "--no-cache")
    assert result.code == 0, result.err
    assert (cache.stat().st_mtime_ns if cache.exists() else None) == before  # --no-cache leaves the repository alone
    topics = sorted(p.parent.name for p in (out / "topics").glob("*/feed.xml"))
    assert {"return-to-office", "activism", "speech-policy"} <= set(topics)
    feed = feedparser.parse((out / "topics/return-to-office/feed.xml").read_bytes())
    assert feed.bozo == 0
    assert [e.title for e in feed.entries] == [re.sub(r"\s+", " ", front_matter("rto-announcement")["title"])]
