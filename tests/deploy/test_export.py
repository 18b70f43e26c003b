"""export_site: the exported folder, served by a plain static file server, is the site."""

import functools
import html
import io
import re
import threading
import urllib.error
import urllib.request
from collections import deque
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from PIL import Image

from profiles.models import Profile
from research.models import Publication


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture
def static_server(tmp_path):
    """Python's http.server on loopback, serving tmp_path/www; yields its root URL."""
    root = tmp_path / "www"
    root.mkdir()
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(root))
    )
    server.timeout = 5
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield root, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def fetch(url):
    """(status, content type, body) as a browser would get them from the static host."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as error:
        return error.code, "", b""


def page_links(html):
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        for attribute in ("href", "src"):
            if tag.get(attribute):
                yield tag[attribute]
        if tag.get("srcset"):
            yield from (part.split()[0] for part in tag["srcset"].split(",") if part.strip())


def crawl(start):
    """Follow every link on the same host from start; return {url: status} and the pages."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(start))
    statuses, pages, queue = {}, {}, deque([(start, None)])
    referrers = {}
    while queue:
        url, referrer = queue.popleft()
        if url in statuses:
            continue
        status, content_type, body = fetch(url)
        statuses[url] = status
        referrers[url] = referrer
        # Feeds are stored as index.html, so the server calls them HTML too.
        if status == 200 and content_type == "text/html" and not body.startswith(b"<?xml"):
            pages[url] = body.decode("utf-8")
            for link in page_links(pages[url]):
                target = urljoin(url, link).split("#")[0]
                if target.startswith(origin):
                    queue.append((target, url))
    return statuses, pages, referrers


def export(outdir, base_url):
    out = io.StringIO()
    call_command("export_site", str(outdir), base_url=base_url, stdout=out, stderr=out)
    return out.getvalue()


@pytest.mark.parametrize("sub_path", ["", "sub/path/"])
def test_exported_seed_site_works_from_a_static_server(seeded, static_server, sub_path):
    root, server_url = static_server
    base_url = server_url + sub_path

    export(root / sub_path, base_url)
    statuses, pages, referrers = crawl(base_url)

    broken = {url: (status, referrers[url]) for url, status in statuses.items() if status != 200}
    assert broken == {}
    home = BeautifulSoup(pages[base_url], "html.parser")
    assert home.h1.get_text(strip=True) == "Mikita Balesni"
    titles = [a.get_text(strip=True) for a in home.select(".paper .title a")]
    assert titles == list(
        Publication.objects.published().highlighted().values_list("title", flat=True)
    )
    # Everything the homepage shows came along: the stylesheet, photo and thumbnails.
    assert home.find("link", rel="stylesheet")["href"] == f"/{sub_path}static/css/site.css"
    images = [urljoin(base_url, img["src"]) for img in home.find_all("img")]
    assert len(images) == 1 + len(titles)
    assert all(statuses[url] == 200 for url in images)
    # Every internal link stays inside the published folder.
    assert all(url.startswith(base_url) for url in statuses)


def test_root_relative_links_in_markdown_get_the_sub_path(seeded, tmp_path):
    profile = Profile.load()
    profile.bio = "See [my page](/) and [the style](/static/css/site.css)."
    profile.save()

    export(tmp_path / "out", "https://me.example.org/site")

    html = (tmp_path / "out" / "index.html").read_text()
    bio = BeautifulSoup(html, "html.parser").select_one(".bio")
    assert [a["href"] for a in bio.find_all("a")][:2] == ["/site/", "/site/static/css/site.css"]
    assert (tmp_path / "out" / "static" / "css" / "site.css").is_file()


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return buffer.getvalue()


def test_drafts_and_their_files_are_not_published(seeded, tmp_path):
    draft = Publication.objects.create(
        title="Unannounced result",
        date="2025-01-01",
        status=Publication.Status.DRAFT,
        highlighted=True,
    )
    draft.thumbnail.save("secret-figure.png", ContentFile(png_bytes()))
    draft.pdf.save("secret-draft.pdf", ContentFile(b"%PDF-1.4 draft"))

    export(tmp_path / "out", "https://me.example.org/")

    files = [p.name for p in (tmp_path / "out").rglob("*")]
    assert "secret-figure.png" not in files
    assert "secret-draft.pdf" not in files
    assert "Unannounced result" not in (tmp_path / "out" / "index.html").read_text()


@pytest.mark.slow  # two exports and git in subprocesses (about 3 s)
def test_exporting_again_removes_what_is_gone_and_keeps_a_git_checkout(seeded, tmp_path):
    out = tmp_path / "out"
    export(out, "https://me.example.org/")
    photo = next((out / "media").rglob("photo*"))
    (out / ".git").mkdir()
    (out / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")

    profile = Profile.load()
    profile.photo.delete()
    export(out, "https://me.example.org/")

    assert not photo.exists()
    assert (out / "index.html").is_file()
    assert (out / ".git" / "HEAD").read_text() == "ref: refs/heads/gh-pages\n"


def test_refuses_to_overwrite_a_folder_it_did_not_make(seeded, tmp_path):
    out = tmp_path / "thesis"
    out.mkdir()
    (out / "chapter1.tex").write_text("precious")

    with pytest.raises(CommandError, match="not made by export_site"):
        export(out, "https://me.example.org/")

    assert [p.name for p in out.iterdir()] == ["chapter1.tex"]


@pytest.mark.parametrize("base_url", ["me.github.io/site", "ftp://example.org/", "https://x/?a=1"])
def test_rejects_a_base_url_that_is_not_an_http_url(seeded, tmp_path, base_url):
    with pytest.raises(CommandError, match="base URL"):
        export(tmp_path / "out", base_url)

    assert not (tmp_path / "out").exists()


def test_exported_feeds_parse_with_links_to_the_base_url(seeded, static_server):
    root, server_url = static_server
    base_url = server_url + "homepage/"
    export(root / "homepage", base_url)
    home = BeautifulSoup(fetch(base_url)[2], "html.parser")
    feed_urls = [
        urljoin(base_url, link["href"])
        for link in home.find_all("link", rel="alternate")
        if link.get("type") in {"application/rss+xml", "application/atom+xml"}
    ]
    tag_page = BeautifulSoup(fetch(base_url + "research/tags/deception/")[2], "html.parser")
    tag_feed = urljoin(base_url, tag_page.find("a", href=re.compile(r"/feed/$"))["href"])

    assert len(feed_urls) == 2
    papers = list(Publication.objects.published())
    for url in [*feed_urls, tag_feed]:
        status, _, body = fetch(url)
        assert status == 200
        feed = feedparser.parse(body)
        assert feed.bozo == 0, (url, feed.get("bozo_exception"))
        expected = [p for p in papers if url != tag_feed or "deception" in p.tags.names()]
        # RSS titles are HTML-escaped on purpose (readers treat them as HTML).
        titles = [html.unescape(entry.title) for entry in feed.entries]
        assert titles == [p.title for p in expected]
        links = [feed.feed.link] + [entry.link for entry in feed.entries]
        assert all(link.startswith(base_url) for link in links)
        # Every link in the feed is a page of the export.
        assert all(fetch(link)[0] == 200 for link in links)
    # Hosts that read _headers (Netlify, Cloudflare Pages) send the feeds' real type.
    headers = (root / "homepage" / "_headers").read_text()
    assert "/homepage/research/feed/\n  Content-Type: application/rss+xml" in headers
    assert "/homepage/research/feed/atom/\n  Content-Type: application/atom+xml" in headers
    # ... and the site's own security headers on every page.
    assert headers.startswith("/homepage/*\n")
    assert "  X-Content-Type-Options: nosniff\n" in headers


def test_a_published_papers_uploaded_pdf_is_published_with_it(seeded, tmp_path):
    paper = Publication.objects.get(slug="reversal-curse")
    paper.pdf.save("reversal-curse.pdf", ContentFile(b"%PDF-1.4 the paper"))

    export(tmp_path / "out", "https://me.example.org/")

    exported = tmp_path / "out" / "media" / paper.pdf.name
    assert exported.read_bytes() == b"%PDF-1.4 the paper"


def test_a_link_out_of_the_media_folder_is_reported_and_the_export_goes_on(seeded, tmp_path):
    paper = Publication.objects.get(slug="reversal-curse")
    paper.tldr = "See [the database](/media/%2e%2e/db.sqlite3) and [static](/static/%2e%2e/x)."
    paper.save()

    output = export(tmp_path / "out", "https://example.org/")

    assert "Broken link: /media/%2e%2e/db.sqlite3" in output
    assert "Broken link: /static/%2e%2e/x" in output
    assert (tmp_path / "out" / "research" / "reversal-curse" / "index.html").exists()
    assert not list((tmp_path / "out").rglob("db.sqlite3"))
