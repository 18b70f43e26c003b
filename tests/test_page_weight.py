"""The homepage's own bytes stay small and come from this server only."""

import gzip
import re
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.staticfiles import finders

BUDGET = 30 * 1024  # HTML, CSS, JS and fonts, compressed; images aside
EXTERNAL_IN_CSS = re.compile(r"@import|url\(\s*['\"]?(?:[a-z]+:)?//", re.I)


def own_resources(soup):
    """Stylesheets, scripts, fonts and icons the page makes the browser fetch."""
    for tag in soup.find_all("link", href=True):
        if set(tag.get("rel", [])) & {"stylesheet", "preload", "icon", "modulepreload"}:
            yield tag["href"]
    for tag in soup.find_all("script", src=True):
        yield tag["src"]


def fetched_urls(soup):
    """Every URL the browser loads by itself (links the visitor clicks aside)."""
    yield from own_resources(soup)
    for tag in soup.find_all(["img", "source", "iframe", "video", "audio", "embed"]):
        for attribute in ("src", "srcset"):
            for candidate in tag.get(attribute, "").split(","):
                if candidate.strip():
                    yield candidate.split()[0]


def static_file(url):
    path = urlsplit(url).path
    assert path.startswith("/" + settings.STATIC_URL.strip("/") + "/"), url
    found = finders.find(path.split("/", 2)[2])
    assert found, f"{url} is not a static file"
    with open(found, "rb") as handle:
        return handle.read()


def test_homepage_html_css_and_js_are_at_most_30kb_compressed(client, seeded):
    response = client.get("/")
    html = response.content
    soup = BeautifulSoup(html, "html.parser")
    resources = list(own_resources(soup))
    assert any(url.endswith(".css") for url in resources)  # the stylesheet is counted

    sizes = {"/": len(gzip.compress(html))}
    for url in resources:
        sizes[url] = len(gzip.compress(static_file(url)))
    assert sum(sizes.values()) <= BUDGET, sizes


def test_homepage_makes_no_third_party_requests(client, seeded):
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    urls = list(fetched_urls(soup))
    assert urls  # the stylesheet and the pictures at least
    for url in urls:
        assert not urlsplit(url).netloc, f"third-party request: {url}"
    for url in own_resources(soup):
        if url.endswith(".css"):
            css = static_file(url).decode()
            assert not EXTERNAL_IN_CSS.search(css), url


def test_homepage_is_readable_without_javascript(client, seeded):
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    # Everything is in the HTML the server sends: nothing waits for a script.
    text = soup.get_text(" ")
    assert "Mikita Balesni" in text
    assert "Highlighted Research" in text
    assert "Taken out of context" in text
