"""Markdown shows only images the site serves: no third-party request, even when exported."""

import pytest
from bs4 import BeautifulSoup

from core.markup import render_markdown
from research.models import Publication

REMOTE = (
    "![a tracking pixel](https://tracker.example/p.png) <img src='//cdn.example/x.png' alt='cdn'>"
)


def test_remote_images_become_their_alt_text():
    html = render_markdown(REMOTE + " ![figure](/media/markdownx/figure.png)")
    soup = BeautifulSoup(html, "html.parser")
    assert [img["src"] for img in soup.find_all("img")] == ["/media/markdownx/figure.png"]
    assert "[a tracking pixel]" in soup.get_text()
    assert "[cdn]" in soup.get_text()


def test_images_on_the_sites_own_address_or_its_media_host_are_kept(settings):
    settings.SITE_URL = "https://example.org"
    settings.MARKDOWN_IMAGE_ORIGINS = ["https://media.example.org"]
    html = render_markdown(
        "![a](https://example.org/media/a.png) ![b](https://media.example.org/b.png) "
        "![c](https://example.org.evil.example/c.png)"
    )
    srcs = [img["src"] for img in BeautifulSoup(html, "html.parser").find_all("img")]
    assert srcs == ["https://example.org/media/a.png", "https://media.example.org/b.png"]


def test_the_editor_preview_says_why_an_image_is_not_shown(editor_client):
    response = editor_client.post("/markdownx/markdownify/", {"content": REMOTE})
    assert "[a tracking pixel (image from another site, not shown: upload it instead)]" in (
        BeautifulSoup(response.content, "html.parser").get_text()
    )


@pytest.mark.django_db
def test_pages_and_the_export_request_no_remote_image(client, tmp_path):
    from django.core.management import call_command

    Publication.objects.create(title="Pixel", date="2024-01-01", tldr=REMOTE)
    page = client.get("/research/pixel/").content.decode()
    assert "tracker.example" not in page and "cdn.example" not in page
    call_command("export_site", str(tmp_path / "out"), stdout=None)
    exported = "".join(p.read_text() for p in (tmp_path / "out").rglob("*.html"))
    assert "tracker.example" not in exported and "cdn.example" not in exported
