import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from pages.models import Page
from tests.forms import form_data, form_errors


def test_a_page_shows_its_markdown_at_its_address(seeded):
    Page.objects.create(title="Projects", body="Some **bold** text.\n\n## Work\n\nMore.")
    soup = BeautifulSoup(Client().get("/projects/").content, "html.parser")
    assert soup.h1.get_text() == "Projects"
    assert soup.select_one(".page-body strong").get_text() == "bold"
    assert soup.select_one(".page-body h2").get_text() == "Work"
    assert soup.title.get_text().startswith("Projects · ")


def test_scripts_in_a_page_body_are_removed(seeded):
    Page.objects.create(title="X", slug="x", body="<script>alert(1)</script>Hi")
    assert "<script>alert" not in Client().get("/x/").content.decode()


@pytest.mark.parametrize("slug", ["research", "news", "talks", "admin", "static", "media"])
def test_an_address_the_site_uses_is_refused_in_the_admin(editor_client, seeded, slug):
    url = reverse("admin:pages_page_add")
    data = form_data(editor_client.get(url).content.decode(), "page_form")
    data.update(title="Clash", slug=slug, body="x", status="published")
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert any("another page of the site" in e for e in form_errors(response.content.decode()))
    assert not Page.objects.exists()


def test_a_title_like_another_address_gets_a_free_slug(seeded):
    assert Page.objects.create(title="Research", body="x").slug == "research-2"


def test_pages_are_added_and_published_in_the_admin(editor_client, seeded):
    url = reverse("admin:pages_page_add")
    data = form_data(editor_client.get(url).content.decode(), "page_form")
    data.update(title="Outreach", slug="outreach", body="Talks at *schools*.", status="draft")
    assert editor_client.post(url, data).status_code == 302
    assert Client().get("/outreach/").status_code == 404
    page = Page.objects.get(slug="outreach")
    page.status = "published"
    page.save()
    assert "schools" in Client().get("/outreach/").content.decode()
