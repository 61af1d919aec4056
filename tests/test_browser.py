"""The digest in a real browser: navigation, accessibility, no outside requests, weight, screenshots."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from browserkit import ROOT, guarded_page, serve_folder, tool
from sitekit import article, build, make_site

BODY = """
The union said the mandate ignored a year of bargaining. Organizers collected signatures from
hundreds of warehouse workers across three shifts.

## What workers asked for

- Paid breaks during heat waves
- A say in scheduling

> "We are not asking for much," said one picker.

Read the [full letter](https://example.com/letter) and the [company reply](/articles/second-story/).
"""

PAGES = {
    "home": "",
    "topic": "topics/unions/",
    "article": "articles/first-story/",
    "archive": "archive/",
    "topics index": "topics/",
    "search": "search/",
    "issues": "issues/",
    "issue": "issues/2024-W38/",
}


@pytest.fixture(scope="module")
def site_url(tmp_path_factory) -> str:
    root = make_site(tmp_path_factory.mktemp("browser-site"), {
        "content/articles/a.md": article("First story", "2024-09-17T18:10:00-04:00", "[unions, return-to-office]", BODY,
                                         authors="[Ana Ruiz]", publication="The Labor Ledger", dek="'Workers push back on a rushed mandate.'",
                                         source_url="https://example.com/first"),
        "content/articles/b.md": article("Second story", "2024-09-16", "[unions]", "Bargaining resumed on Monday."),
        "content/articles/c.md": article("Third story", "2024-08-02", "[return-to-office]", "Badge data will be tracked."),
        "content/articles/d.md": article("Fourth story", "2024-07-01", "[unions]", "A vote is set for July."),
    }, base_url="https://example.org/digest/")
    result = build(root)
    assert result.code == 0, result.err
    with serve_folder(root / "public", "/digest/") as url:
        yield url


@pytest.fixture
def page(browser, site_url):
    with guarded_page(browser, site_url) as page:
        yield page


def artifacts() -> Path:
    folder = Path(os.environ.get("LABOR_DIGEST_ARTIFACTS", ROOT / "test-artifacts"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_navigation_home_topic_article_and_back(page, site_url: str) -> None:
    page.goto(site_url)
    assert page.locator("h1").count() == 1
    page.locator(".topic-panel").get_by_role("link", name="Unions").click()
    page.wait_for_url(site_url + "topics/unions/")
    assert page.locator("h1").inner_text() == "Unions"
    page.get_by_role("link", name="First story").first.click()
    page.wait_for_url(site_url + "articles/first-story/")
    assert page.locator("h1").inner_text() == "First story"
    assert "Workers push back" in page.locator(".dek").inner_text()
    assert page.locator("time[datetime='2024-09-17T18:10:00-04:00']").count() >= 1
    page.go_back()
    page.wait_for_url(site_url + "topics/unions/")
    page.go_back()
    page.wait_for_url(site_url)


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations(page, site_url: str, name: str, scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)
    response = page.goto(site_url + PAGES[name])
    assert response is not None and response.status == 200
    page.add_script_tag(path=str(tool("axe-core", "axe.min.js")))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    violations = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
    assert violations == [], json.dumps(violations, indent=1)
    assert page.locator("h1").count() == 1
    assert page.locator("main").count() == 1 and page.locator("header").count() >= 1 and page.locator("footer").count() >= 1


def test_skip_link_is_first_and_focus_is_visible(page, site_url: str) -> None:
    page.goto(site_url + PAGES["article"])
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.textContent, getComputedStyle(document.activeElement).outlineStyle]")
    assert focused[0] == "Skip to content"
    assert focused[1] != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("() => location.hash") == "#main"


def test_pages_work_without_javascript(browser, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url)
    page.get_by_role("link", name="Second story").first.click()
    page.wait_for_url(site_url + "articles/second-story/")
    assert page.locator("h1").inner_text() == "Second story"
    context.close()


def test_article_page_weight_before_its_text_is_under_50_kb(page, site_url: str) -> None:
    sizes: dict[str, int] = {}
    page.on("requestfinished", lambda request: sizes.__setitem__(request.url, request.sizes()["responseBodySize"]))
    page.goto(site_url + PAGES["article"], wait_until="networkidle")
    assets = {url: size for url, size in sizes.items() if not url.endswith("/")}
    assert sum(assets.values()) < 50_000, assets
    blocking = page.evaluate("() => [...document.querySelectorAll('head script[src]:not([defer]):not([async]):not([type=module])')].length")
    assert blocking == 0


@pytest.mark.parametrize("width", [390, 1280])
def test_screenshots_and_no_horizontal_scroll(browser, site_url: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    for name, path in PAGES.items():
        page.goto(site_url + path)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name} scrolls sideways at {width}px"
        page.screenshot(path=str(artifacts() / f"{name.replace(' ', '-')}-{width}.png"), full_page=True)
    context.close()
