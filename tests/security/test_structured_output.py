"""Text inside machine-readable output: JSON-LD, meta tags, feeds and BibTeX."""

import html
import json
import re
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from .test_sanitizing import MARKDOWN_PAYLOADS, PLAIN_PAYLOADS, assert_inert, build_site

PLAIN = pytest.mark.parametrize(
    "payload", [p for _, p in PLAIN_PAYLOADS], ids=[c for c, _ in PLAIN_PAYLOADS]
)
MARKDOWN = pytest.mark.parametrize(
    "markdown", [m for _, m in MARKDOWN_PAYLOADS], ids=[c for c, _ in MARKDOWN_PAYLOADS]
)


def json_values(data):
    if isinstance(data, dict):
        for value in data.values():
            yield from json_values(value)
    elif isinstance(data, list):
        for value in data:
            yield from json_values(value)
    else:
        yield data


@PLAIN
def test_json_ld_cannot_end_its_script_block(client, db, payload):
    paper = build_site(plain=payload)
    html = client.get(paper.get_absolute_url()).content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    assert "<!--" not in blocks[0]
    values = set(json_values(json.loads(blocks[0])))
    assert {f"Paper {payload}", f"Venue {payload}", f"B. {payload}"} <= values
    assert_inert(html, "paper")


@PLAIN
def test_meta_tags_carry_the_exact_text(client, db, payload):
    paper = build_site(plain=payload)
    soup = BeautifulSoup(client.get(paper.get_absolute_url()).content, "html.parser")
    contents = {
        (meta.get("name") or meta.get("property")): meta.get("content")
        for meta in soup.find_all("meta")
    }
    for key in ("citation_title", "og:title", "twitter:title"):
        assert contents[key] == f"Paper {payload}", key
    authors = [m["content"] for m in soup.find_all("meta", attrs={"name": "citation_author"})]
    assert authors == [f"Ada {payload}", f"B. {payload}"]
    # Nothing from the payload became an element of its own in <head>.
    assert {t.name for t in soup.head.find_all(True)} <= {"meta", "title", "link", "script"}


def feed_urls(paper):
    tag = paper.tags.first()
    return {
        "rss": reverse("research:feed"),
        "atom": reverse("research:feed-atom"),
        "tag-rss": reverse("research:tag-feed", args=[tag.slug]),
        "tag-atom": reverse("research:tag-feed-atom", args=[tag.slug]),
    }


def feed_documents(client, paper):
    for name, url in feed_urls(paper).items():
        response = client.get(url)
        assert response.status_code == 200, name
        # Our own feed, parsed to prove it is well-formed XML.
        yield name, ElementTree.fromstring(response.content)  # noqa: S314


def local(tag):
    return tag.rsplit("}", 1)[-1]


@PLAIN
def test_feeds_stay_well_formed_and_show_the_text(client, db, payload):
    paper = build_site(plain=payload)
    for name, root in feed_documents(client, paper):
        items = [e for e in root.iter() if local(e.tag) in {"item", "entry"}]
        titles = [t.text for item in items for t in item if local(t.tag) == "title"]
        if name.endswith("atom"):
            # Atom titles are text: the XML escaping is the only escaping.
            assert f"Paper {payload}" in titles, name
        else:
            # RSS readers read titles as HTML: escaped once more, never markup.
            assert f"Paper {html.escape(payload, quote=False)}" in [
                t.replace("&quot;", '"').replace("&#x27;", "'") for t in titles
            ], name
            every_title = [t.text or "" for t in root.iter() if local(t.tag) == "title"]
            assert not any("<" in t for t in every_title), name
        for element in root.iter():
            if local(element.tag) in {"description", "summary", "content"} and element.text:
                assert_inert(element.text, name)


@MARKDOWN
def test_feed_html_is_sanitized(client, db, markdown):
    paper = build_site(markdown=markdown)
    for name, root in feed_documents(client, paper):
        for element in root.iter():
            if local(element.tag) in {"description", "summary", "content"} and element.text:
                assert_inert(element.text, name)


@MARKDOWN
def test_archive_and_tag_pages_are_sanitized(client, db, markdown):
    paper = build_site(markdown=markdown)
    for url in (reverse("research:index"), reverse("research:tag", args=[paper.tags.first().slug])):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.content, url)


def bibtex_fields(entry):
    """Top-level field names of one BibTeX entry, found by brace depth."""
    body = entry[entry.index("{") + 1 : entry.rindex("}")]
    names, depth, start = [], 0, 0
    parts = []
    for i, char in enumerate(body):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            assert depth >= 0, "unbalanced braces"
        elif char == "," and depth == 0:
            parts.append(body[start:i])
            start = i + 1
    parts.append(body[start:])
    assert depth == 0, "unbalanced braces"
    for part in parts[1:]:
        if part.strip():
            names.append(part.split("=", 1)[0].strip())
    return names


@pytest.mark.parametrize(
    "field,value",
    [
        ("title", "Paper}, pwned = {x"),
        ("title", "Paper\\}, pwned = {x"),
        ("venue", "ICLR}, pwned = {x"),
        ("doi", "10.1/x}, pwned = {x"),
        ("title", "Paper @misc{pwned, title={x}}"),
        ("title", "100% \\input{/etc/passwd}"),
    ],
    ids=[
        "title-brace",
        "title-backslash-brace",
        "venue-brace",
        "doi-brace",
        "nested-entry",
        "tex-command",
    ],
)
def test_bibtex_fields_cannot_be_injected(client, db, field, value):
    paper = build_site()
    setattr(paper, field, value)
    paper.save()
    response = client.get(reverse("research:bibtex", args=[paper.slug]))
    assert response.status_code == 200
    text = response.content.decode()
    assert len(re.findall(r"^\s*@", text, re.M)) == 1
    names = bibtex_fields(text.strip())
    assert "pwned" not in names
    assert "\\input{" not in text
