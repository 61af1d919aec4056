"""A user's theme overrides any file of the default theme and can extend what it overrides."""

from __future__ import annotations

from pathlib import Path

import html5lib
import pytest
from sitekit import article, build, make_site

BASE_OVERRIDE = """{% extends "default/base.html" %}
{% block site_notice %}<p class="union-banner">Solidarity forever</p>{% endblock %}
"""


def parse(path: Path):
    return html5lib.parse(path.read_bytes(), namespaceHTMLElements=False)


def test_user_theme_extends_the_default_template_and_overrides_static_files(tmp_path: Path) -> None:
    root = make_site(tmp_path, {
        "content/articles/a.md": article("First story"),
        "themes/mine/templates/base.html": BASE_OVERRIDE,
        "themes/mine/static/style.css": "body { color: rebeccapurple; }\n",
        "themes/mine/static/extra.txt": "extra\n",
    })
    config = root / "config.yaml"
    config.write_text(config.read_text() + "theme: mine\n")
    result = build(root)
    assert result.code == 0, result.err
    out = root / "public"
    for page in ("index.html", "articles/first-story/index.html", "topics/index.html"):
        doc = parse(out / page)
        banners = doc.findall(".//p[@class='union-banner']")
        assert [b.text for b in banners] == ["Solidarity forever"], page
        assert doc.find(".//h1") is not None  # the default page content is still there
    assert (out / "static/style.css").read_text() == "body { color: rebeccapurple; }\n"
    assert (out / "static/extra.txt").exists()


def test_default_theme_is_used_when_none_is_set(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"content/articles/a.md": article("First story")})
    assert build(root).code == 0
    css = (root / "public/static/style.css").read_text()
    assert "prefers-color-scheme: dark" in css


def theme_build(tmp_path: Path, templates: dict[str, str]):
    root = make_site(tmp_path, {"content/articles/a.md": article("First story"),
                                **{f"themes/mine/templates/{name}": text for name, text in templates.items()}})
    config = root / "config.yaml"
    config.write_text(config.read_text() + "theme: mine\n")
    return build(root)


@pytest.mark.parametrize(("templates", "message"), [
    # Found while rendering an article page, but the mistake is in the base.html it extends.
    ({"base.html": '{% extends "default/base.html" %}\n{% block site_notice %}\n<p>{{ banner_text }}</p>\n{% endblock %}\n'},
     "themes/mine/templates/base.html:3: UndefinedError: 'banner_text' is undefined"),
    ({"base.html": '{% extends "default/base.html" %}\n{% block site_notice %}\n{% include "banner.html" %}\n{% endblock %}\n'},
     "themes/mine/templates/base.html:3: TemplateNotFound: banner.html"),
    ({"card.html": "<article>\n{{ item.article.headline }}\n</article>\n"},
     "themes/mine/templates/card.html:2: UndefinedError: 'generator.model.Article object' has no attribute 'headline'"),
    ({"topic.html": '{% extends "default/topic.html" %}\n{% block main %}\n{% if %}{% endif %}\n{% endblock %}\n'},
     "themes/mine/templates/topic.html:3: TemplateSyntaxError: Expected an expression, got 'end of statement block'"),
    # The topic panel changes with every story that joins or leads a topic; only the home page and the
    # topics index are made again then, so a theme that shows it on other pages is stopped, not left stale.
    ({"base.html": '{% extends "default/base.html" %}\n{% block site_notice %}\n'
                   '{% for topic in site_topics %}{{ topic_latest[topic.slug].article.title }}{% endfor %}\n{% endblock %}\n'},
     ("themes/mine/templates/base.html:3: UndefinedError: 'site_topics' (the topic panel) is given only to index.html's first page "
     "and to topics.html, whose page keys cover it: on another page it would go stale when a topic's stories change; "
     "show the panel there, or list config.topics")),
    ({"topic.html": '{% extends "default/topic.html" %}\n{% block main %}\n{{ super() }}\n<p>{{ topic_counts["unions"] }} about unions</p>\n'
                    '{% endblock %}\n'},
     ("themes/mine/templates/topic.html:4: UndefinedError: topic.html is given the count of its own topic only, which its page key "
     "covers, not of 'unions'")),
])
def test_a_template_mistake_names_the_file_and_line_it_is_at(tmp_path: Path, templates: dict[str, str], message: str) -> None:
    result = theme_build(tmp_path, templates)
    assert result.code == 1
    assert "Traceback" not in result.err
    assert result.err.splitlines() == [f"error: {message}", "1 problem; nothing was written."]
    assert not (tmp_path / "public").exists()
