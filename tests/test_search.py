"""Search: the index search.py writes (terms, shards, documents) and the search page in Chromium.

The index is read back with `lookup`, a Python copy of how search.js finds a term's
postings, so the unit tests check the same contract the browser relies on.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from browserkit import guarded_page, serve_folder, tool
from sitekit import article, build, make_site, tree

from generator import search

BASE_URL = "https://example.org/digest/"
LONG_TAIL = " ".join(["The shift ran long."] * 200) + " Near the end a zeppelinworks foreman spoke."


def site_files() -> dict[str, str]:
    return {
        "content/articles/nurses.md": article(
            "Nurses strike over staffing", "2024-09-17T18:10:00-04:00", "[unions]",
            "Nurses at three hospitals walked out on Tuesday, citing chronic understaffing on night shifts.",
            authors="[Quennell Abernathy]", publication="The Harbinger Gazette", dek="'Hospital talks collapse.'",
            summary="'A walkout over ratios.'", republish="full"),
        "content/articles/office.md": article(
            "Bank orders staff back", "2024-09-16", "[return-to-office]",
            "The bank wants staff at their desks five days a week. Café workers in Zürich objected.", republish="full"),
        "content/articles/older.md": article(
            "Older staffing story", "2023-01-05", "[unions]", "Hiring was already a concern then.", republish="full"),
        "content/articles/long.md": article("A long excerpted story", "2024-05-01", "[unions]", LONG_TAIL, republish="excerpt"),
        "content/articles/cjk.md": article("東京の労働者", "2024-04-01", "[unions]", "東京都の労働組合がストライキを行った。", republish="full"),
        "content/articles/hostile.md": article(
            "Evil <img src=x onerror=alert(1)> headline", "2024-03-01", "[unions]",
            "The quarrymen said <script>alert(2)</script> nothing.", republish="full"),
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = make_site(tmp_path_factory.mktemp("search-site"), site_files(), base_url=BASE_URL)
    result = build(root)
    assert result.code == 0, result.err
    return root / "public"


def read(out: Path) -> dict[str, bytes]:
    return {k: v for k, v in tree(out).items() if k.startswith("search/")}


def lookup(files: dict[str, bytes], term: str, prefix: bool = False) -> dict[int, int]:
    """{doc: score} for a term (or every term it starts), found the way search.js finds it."""
    manifest = json.loads(files["search/index/manifest.json"])
    keys = set(manifest["keys"])
    shards = {next((term[:n] for n in range(len(term), 0, -1) if term[:n] in keys), None)}
    if prefix:
        shards |= {k for k in keys if k.startswith(term)}
    scores: dict[int, int] = {}
    for key in shards - {None}:
        for t, flat in json.loads(files[search.shard_path(key)]).items():
            if t == term or (prefix and t.startswith(term)):
                doc = 0
                for i in range(0, len(flat), 2):
                    doc += flat[i]
                    scores[doc] = max(scores.get(doc, 0), flat[i + 1])
    return scores


def doc_titles(files: dict[str, bytes], scores: dict[int, int]) -> set[str]:
    return {json.loads(files[f"search/docs/{n}.json"])["t"] for n in scores}


@pytest.mark.parametrize(("text", "terms"), [
    ("Nurses STRIKE", ["nurses", "strike"]),
    ("Équipe café, Zürich's", ["equipe", "cafe", "zurich"]),
    ("the union and a vote", ["union", "vote"]),  # stop words and single letters dropped
    ("snake_case 2024", ["snake", "case", "2024"]),
    ("ﬁnal ＡＢＣ", ["final", "abc"]),  # compatibility forms fold to plain letters
    ("東京都", ["東京", "京都"]),  # CJK: overlapping pairs
    ("労", ["労"]),
    ("abc東京", ["abc", "東京"]),
    ("x" * 40, []),  # not a word
])
def test_tokenize(text: str, terms: list[str]) -> None:
    assert search.tokenize(text) == terms


def test_every_field_a_reader_sees_is_searchable(built: Path) -> None:
    files = read(built)
    for word in ("nurses", "understaffing", "quennell", "harbinger", "collapse", "ratios", "unions", "zurich", "cafe"):
        assert lookup(files, word), word
    assert doc_titles(files, lookup(files, "quennell")) == {"Nurses strike over staffing"}
    assert doc_titles(files, lookup(files, "東京")) == {"東京の労働者"}
    assert doc_titles(files, lookup(files, "労")) == set()  # a pair's first character alone is a prefix search
    assert doc_titles(files, lookup(files, "労", prefix=True)) == {"東京の労働者"}
    assert doc_titles(files, lookup(files, "staf", prefix=True)) == {"Nurses strike over staffing", "Bank orders staff back", "Older staffing story"}


def test_title_outweighs_body_and_newer_wins_ties(built: Path) -> None:
    files = read(built)
    scores = lookup(files, "staffing")
    ranked = sorted(scores, key=lambda d: (-scores[d], -d))
    titles = [json.loads(files[f"search/docs/{n}.json"])["t"] for n in ranked]
    assert titles == ["Nurses strike over staffing", "Older staffing story"]
    assert scores[ranked[0]] == scores[ranked[1]]  # both have it in the title once: the newer is first


def test_only_what_the_page_publishes_is_indexed(built: Path) -> None:
    files = read(built)
    assert not lookup(files, "zeppelinworks")  # past the excerpt: the page does not show it
    assert all(b"zeppelinworks" not in data for data in files.values())
    assert lookup(files, "shift")


def test_documents_show_what_a_result_needs(built: Path) -> None:
    files = read(built)
    [n] = lookup(files, "quennell")
    doc = json.loads(files[f"search/docs/{n}.json"])
    assert doc["u"] == "articles/nurses-strike-over-staffing/"
    assert doc["t"] == "Nurses strike over staffing"
    assert doc["p"] == "The Harbinger Gazette"
    assert doc["d"] == "2024-09-17T18:10:00-04:00" and doc["r"] == "September 17, 2024, 6:10 PM EDT"
    assert "understaffing" in doc["x"] and "Hospital talks collapse." in doc["x"]
    assert (built / "articles/nurses-strike-over-staffing/index.html").is_file()


def test_a_non_ascii_slug_is_linked_as_pages_link_it(built: Path) -> None:
    files = read(built)
    [n] = lookup(files, "ストライキ"[:2])
    doc = json.loads(files[f"search/docs/{n}.json"])
    assert doc["u"] == quote("articles/東京の労働者/")
    assert f'href="/digest/{doc["u"]}"' in (built / "archive/2024/04/index.html").read_text(encoding="utf-8")


def test_documents_are_numbered_oldest_first(built: Path) -> None:
    files = read(built)
    manifest = json.loads(files["search/index/manifest.json"])
    dates = [json.loads(files[f"search/docs/{n}.json"])["d"][:10] for n in range(manifest["docs"])]
    assert dates == sorted(dates)


def test_builds_are_byte_identical_and_an_edit_touches_few_index_files(tmp_path: Path) -> None:
    files = site_files()
    first = make_site(tmp_path / "a", files, base_url=BASE_URL)
    second = make_site(tmp_path / "b", files, base_url=BASE_URL)
    assert build(first).code == 0 and build(second).code == 0
    before = read(first / "public")
    assert before == read(second / "public")
    path = first / "content/articles/nurses.md"
    path.write_text(path.read_text().replace("night shifts", "night shifts and weekends"), encoding="utf-8")
    assert build(first).code == 0
    after = read(first / "public")
    changed = {p for p in after if after[p] != before.get(p)} | (before.keys() - after.keys())
    assert changed == {"search/docs/5.json", search.shard_path("we")}


def test_indexing_on_several_cores_gives_the_same_bytes(built: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(search, "BLOCK", 1)  # six blocks: spread over the cores
    root = make_site(tmp_path, site_files(), base_url=BASE_URL)
    assert build(root).code == 0
    assert read(root / "public") == read(built)


def test_a_cached_rebuild_indexes_like_a_cold_build(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(search, "BLOCK", 2)  # three blocks: two remembered, one made again
    root = make_site(tmp_path, site_files(), base_url=BASE_URL)
    assert build(root).code == 0
    path = root / "content/articles/office.md"
    path.write_text(path.read_text().replace("five days", "four days"), encoding="utf-8")
    (root / "content/articles/late.md").write_text(article("A late addition on staffing", "2024-10-01", "[unions]", "Nurses again."), encoding="utf-8")
    counted: list[str] = []
    real = search.term_scores
    monkeypatch.setattr(search, "term_scores", lambda item, text, names: counted.append(item.article.title) or real(item, text, names))
    packed: list[tuple[str, ...]] = []
    real_pack = search._pack
    monkeypatch.setattr(search, "_pack", lambda postings: packed.append(tuple(postings)) or real_pack(postings))
    assert build(root).code == 0
    # Documents 0-1 and 2-3 are remembered; 4-5 holds the edit, 6 is new: those two blocks
    # are joined again, and their stories tokenized (the cache does not keep search entries).
    assert sorted(counted) == ["A late addition on staffing", "Bank orders staff back", "Nurses strike over staffing"]
    assert len(packed) == 2
    assert build(root, tmp_path / "cold", "--no-cache").code == 0
    assert read(root / "public") == read(tmp_path / "cold")
    counted.clear()
    packed.clear()
    assert build(root).code == 0
    assert counted == [] and packed == [] and read(root / "public") == read(tmp_path / "cold")
    # An edit that keeps the number of stories: only the shards of the changed words are made.
    made: list[str] = []
    real_dump = search._dump
    monkeypatch.setattr(search, "_dump", lambda data: made.append(next(iter(data), "")) or real_dump(data))
    path.write_text(path.read_text().replace("four days", "four long days"), encoding="utf-8")
    assert build(root).code == 0
    assert sorted(made) == ["long", "u", "v"]  # the shard of "long" (its first term), the story's document, the manifest
    assert build(root, tmp_path / "cold", "--no-cache").code == 0
    assert read(root / "public") == read(tmp_path / "cold")
    assert doc_titles(read(tmp_path / "cold"), lookup(read(tmp_path / "cold"), "long")) == {"Bank orders staff back", "A long excerpted story"}
    assert doc_titles(read(tmp_path / "cold"), lookup(read(tmp_path / "cold"), "four")) == {"Bank orders staff back"}
    assert doc_titles(read(tmp_path / "cold"), lookup(read(tmp_path / "cold"), "five")) == set()


def test_large_shards_split_deeper_and_every_term_is_found(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(search, "SHARD_LIMIT", 30)
    root = make_site(tmp_path, site_files(), base_url=BASE_URL)
    assert build(root).code == 0
    files = read(root / "public")
    keys = json.loads(files["search/index/manifest.json"])["keys"]
    assert any(len(k) > 2 for k in keys)
    for key in keys:
        for term in json.loads(files[search.shard_path(key)]):
            assert lookup(files, term), term
            assert max((k for k in keys if term.startswith(k)), key=len) == key
    assert doc_titles(files, lookup(files, "staf", prefix=True)) == {"Nurses strike over staffing", "Bank orders staff back", "Older staffing story"}


# In Chromium, served under a subpath as a static host would.

@pytest.fixture(scope="module")
def site_url(built: Path):
    with serve_folder(built, urlsplit(BASE_URL).path) as url:
        yield url


@pytest.fixture
def page(browser, site_url: str):
    with guarded_page(browser, site_url) as page:
        yield page


def results(page) -> list[dict[str, str]]:
    return page.eval_on_selector_all("#search-results > li", """items => items.map(li => ({
        title: li.querySelector('h2 a').textContent,
        href: li.querySelector('h2 a').getAttribute('href'),
        meta: li.querySelector('.meta').textContent,
        datetime: li.querySelector('time').getAttribute('datetime'),
        marks: [...li.querySelectorAll('.snippet mark')].map(m => m.textContent),
    }))""")


def test_typing_a_body_word_finds_its_story(page, site_url: str) -> None:
    page.goto(site_url + "search/")
    page.get_by_label("Search stories").press_sequentially("understaff")
    page.wait_for_selector("#search-results > li")
    [first] = results(page)
    assert first["title"] == "Nurses strike over staffing"
    assert first["href"] == "/digest/articles/nurses-strike-over-staffing/"
    assert first["meta"] == "The Harbinger Gazette · September 17, 2024, 6:10 PM EDT"
    assert first["datetime"] == "2024-09-17T18:10:00-04:00"
    assert first["marks"] == ["understaffing"]
    assert page.locator("#search-status").inner_text() == "1 story matches “understaff”."
    assert page.evaluate("location.search") == "?q=understaff"


def test_search_by_keyboard_only(page, site_url: str) -> None:
    page.goto(site_url + "search/")
    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "search-input":
            break
    assert page.evaluate("document.activeElement.id") == "search-input"
    page.keyboard.type("staffing nurses")
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelectorAll('#search-results > li').length === 1")
    assert results(page)[0]["title"] == "Nurses strike over staffing"
    assert page.evaluate("document.activeElement.id") == "search-input"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "BUTTON"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Nurses strike over staffing"
    page.keyboard.press("Enter")
    page.wait_for_url(site_url + "articles/nurses-strike-over-staffing/")


def test_results_are_linkable_and_rank_title_matches_first(page, site_url: str) -> None:
    page.goto(site_url + "search/?q=" + quote("Staffing"))
    # Results are drawn as their documents arrive: wait for both before reading them.
    page.wait_for_function("document.querySelectorAll('#search-results > li').length >= 2")
    assert page.get_by_label("Search stories").input_value() == "Staffing"
    assert [r["title"] for r in results(page)] == ["Nurses strike over staffing", "Older staffing story"]


def test_diacritics_cjk_and_hostile_text(page, site_url: str) -> None:
    page.goto(site_url + "search/?q=zurich%20cafe")
    page.wait_for_selector("#search-results > li")
    assert results(page)[0]["marks"] == ["Café", "Zürich"]
    page.goto(site_url + "search/?q=" + quote("労働"))
    page.wait_for_selector("#search-results > li")
    assert results(page)[0]["title"] == "東京の労働者"
    assert "労働" in results(page)[0]["marks"]
    page.goto(site_url + "search/?q=quarrymen")
    page.wait_for_selector("#search-results > li")
    assert results(page)[0]["title"].startswith("Evil")
    assert page.locator("#search-results img, #search-results script").count() == 0


def test_no_match_and_no_words_are_announced(page, site_url: str) -> None:
    page.goto(site_url + "search/?q=xylophonist")
    page.wait_for_function("document.getElementById('search-status').textContent !== ''")
    assert page.locator("#search-status").inner_text() == "No stories match “xylophonist”."
    assert page.locator("#search-results").is_hidden()
    page.get_by_label("Search stories").fill("the")
    page.get_by_label("Search stories").press("Enter")
    page.wait_for_function("document.getElementById('search-status').textContent.startsWith('Type')")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_search_page_passes_axe_with_results(page, site_url: str, scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)
    page.goto(site_url + "search/?q=staffing")
    page.wait_for_selector("#search-results > li")
    page.add_script_tag(path=str(tool("axe-core", "axe.min.js")))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    assert [(v["id"], v["help"]) for v in result["violations"]] == []
    assert page.locator("h1").count() == 1


def test_without_javascript_the_page_says_search_needs_it(browser, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "search/?q=staffing")
    assert "Search needs JavaScript" in page.locator("main").inner_text()
    assert page.get_by_label("Search stories").is_visible()
    context.close()


def test_search_script_is_small_deferred_and_only_on_the_search_page(built: Path) -> None:
    script = built / "static/search.js"
    assert script.stat().st_size < 10_000
    page = (built / "search/index.html").read_text()
    assert '<script src="/digest/static/search.js" defer></script>' in page
    assert "search.js" not in (built / "index.html").read_text()
    assert "search.js" not in (built / "articles/nurses-strike-over-staffing/index.html").read_text()


def test_show_more_draws_the_next_results_and_moves_focus_to_them(browser, tmp_path: Path) -> None:
    files = {f"content/articles/s{n:02d}.md": article(f"Picket line day {n}", f"2024-06-{n:02d}", "[unions]", "The picket held.")
             for n in range(1, 13)}
    root = make_site(tmp_path, files, base_url=BASE_URL)
    assert build(root).code == 0
    with serve_folder(root / "public", "/digest/") as url:
        page = browser.new_page()
        page.goto(url + "search/?q=picket")
        page.wait_for_function("document.querySelectorAll('#search-results > li').length === 10")
        assert page.locator("#search-status").inner_text() == "12 stories match “picket”."
        assert results(page)[0]["title"] == "Picket line day 12"  # equal scores: newest first
        page.get_by_role("button", name="Show more results").focus()
        page.keyboard.press("Enter")
        page.wait_for_function("document.querySelectorAll('#search-results > li').length === 12")
        assert page.evaluate("document.activeElement.textContent") == "Picket line day 2"
        assert page.locator("#search-more").is_hidden()
        page.close()
