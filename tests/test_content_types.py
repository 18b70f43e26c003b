"""What every content type has, as papers do: pages, drafts hidden everywhere, history and
recovery in the admin, the page cache following edits, admin search, sitemap and export."""

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from news.models import NewsItem
from pages.models import Page
from talks.models import Talk
from teaching.models import Course
from tests.content import add_content
from tests.forms import form_data, form_errors


@pytest.fixture
def content(seeded):
    return add_content()


def text(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)


LISTINGS = {
    "/projects/": ("A growing collection of your cool projects.", "Secret page"),
    "/news/": ("A simple inline announcement.", "Not yet announced"),
    "/talks/": ("Out-of-context reasoning in LLMs", "Draft talk"),
    "/teaching/": ("Introduction to Machine Learning", "Draft course"),
}


@pytest.mark.parametrize("url", LISTINGS)
def test_visitors_see_published_items_and_never_drafts(client, content, url):
    published, draft = LISTINGS[url]
    page = text(client.get(url))
    assert published in page
    assert draft not in page


def test_draft_pages_are_not_found_for_visitors_but_editors_preview_them(editor_client, content):
    for url in ["/secret-page/", "/news/draft-news/"]:
        assert Client().get(url).status_code == 404
        preview = text(editor_client.get(url))
        assert "Draft: only editors can see this page." in preview


def test_feeds_sitemap_and_menu_leave_drafts_out(client, content):
    assert "Not yet announced" not in client.get("/news/feed/").content.decode()
    assert "Draft news" not in client.get("/news/feed/atom/").content.decode()
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/secret-page/" not in sitemap and "/news/draft-news/" not in sitemap
    menu = BeautifulSoup(client.get("/").content, "html.parser").select(".nav-links a")
    assert "Secret page" not in [a.get_text() for a in menu]


def test_sitemap_lists_every_published_type(client, content):
    sitemap = client.get("/sitemap.xml").content.decode()
    for path in [
        "/projects/",
        "/news/",
        "/news/a-long-announcement-with-details/",
        "/talks/",
        "/teaching/",
    ]:
        assert f"<loc>http://testserver{path}</loc>" in sitemap, path


def test_sitemap_of_the_seed_has_no_empty_sections(client, seeded):
    sitemap = client.get("/sitemap.xml").content.decode()
    for path in ["/news/", "/talks/", "/teaching/"]:
        assert f"testserver{path}<" not in sitemap


TYPES = {
    "page": ("pages_page", "page_form", "title", lambda items: items["page"]),
    "news": ("news_newsitem", "newsitem_form", "text", lambda items: items["news"]),
    "talk": ("talks_talk", "talk_form", "title", lambda items: items["talk"]),
    "course": ("teaching_course", "course_form", "course", lambda items: items["course"]),
}


def save_in_admin(client, admin_name, form_id, obj, **changes):
    url = reverse(f"admin:{admin_name}_change", args=[obj.pk])
    data = form_data(client.get(url).content.decode(), form_id)
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, form_errors(response.content.decode())


@pytest.mark.parametrize("kind", TYPES)
def test_history_reverts_an_edit(editor_client, content, kind):
    admin_name, form_id, field, pick = TYPES[kind]
    obj = pick(content[0])
    original = getattr(obj, field)
    save_in_admin(editor_client, admin_name, form_id, obj, **{field: "First version"})
    save_in_admin(editor_client, admin_name, form_id, obj, **{field: "Second version"})
    history = editor_client.get(reverse(f"admin:{admin_name}_history", args=[obj.pk]))
    assert len(BeautifulSoup(history.content, "html.parser").select("#change-history tbody tr"))
    first = Version.objects.get_for_object(obj).order_by("pk").first()
    url = reverse(f"admin:{admin_name}_revision", args=[obj.pk, first.pk])
    response = editor_client.post(url, form_data(editor_client.get(url).content.decode(), form_id))
    assert response.status_code == 302
    obj.refresh_from_db()
    assert getattr(obj, field) == "First version" != original


@pytest.mark.parametrize("kind", TYPES)
def test_a_deleted_item_is_recovered(editor_client, content, kind):
    admin_name, form_id, field, pick = TYPES[kind]
    obj = pick(content[0])
    model, pk, value = type(obj), obj.pk, getattr(obj, field)
    url = reverse(f"admin:{admin_name}_delete", args=[pk])
    assert editor_client.post(url, {"post": "yes"}).status_code == 302
    assert not model.objects.filter(pk=pk).exists()
    (version,) = Version.objects.get_deleted(model)
    url = reverse(f"admin:{admin_name}_recover", args=[version.pk])
    response = editor_client.post(url, form_data(editor_client.get(url).content.decode(), form_id))
    assert response.status_code == 302, form_errors(response.content.decode())
    assert getattr(model.objects.get(pk=pk), field) == value


def test_a_recovered_course_has_its_links_again(editor_client, content):
    course = content[0]["course"]
    url = reverse("admin:teaching_course_delete", args=[course.pk])
    assert editor_client.post(url, {"post": "yes"}).status_code == 302
    (version,) = Version.objects.get_deleted(Course)
    url = reverse("admin:teaching_course_recover", args=[version.pk])
    editor_client.post(url, form_data(editor_client.get(url).content.decode(), "course_form"))
    assert [link.label for link in Course.objects.get(pk=course.pk).links.all()] == ["Course page"]


EDITS = {
    "/projects/": lambda items: Page.objects.filter(pk=items["page"].pk).first(),
    "/news/": lambda items: NewsItem.objects.filter(pk=items["news"].pk).first(),
    "/talks/": lambda items: Talk.objects.filter(pk=items["talk"].pk).first(),
    "/teaching/": lambda items: Course.objects.filter(pk=items["course"].pk).first(),
}
FIELDS = {"/projects/": "body", "/news/": "text", "/talks/": "title", "/teaching/": "course"}


@pytest.mark.parametrize("url", EDITS)
def test_an_edit_shows_on_the_next_request_through_the_page_cache(client, content, url):
    assert client.get(url).status_code == 200
    assert "Freshly edited" not in client.get(url).content.decode()  # now from the cache
    obj = EDITS[url](content[0])
    setattr(obj, FIELDS[url], "Freshly edited")
    obj.save()
    assert "Freshly edited" in client.get(url).content.decode()
    obj.delete()
    assert "Freshly edited" not in client.get(url).content.decode()


SEARCHES = {
    "pages_page": ("cool projects", "Projects"),
    "news_newsitem": ("inline announcement", "A simple inline announcement"),
    "talks_talk": ("New Orleans", "Out-of-context reasoning in LLMs"),
    "teaching_course": ("Tartu", "Introduction to Machine Learning"),
}


@pytest.mark.parametrize("admin_name", SEARCHES)
def test_admin_search_finds_items(editor_client, content, admin_name):
    query, expected = SEARCHES[admin_name]
    found = text(editor_client.get(reverse(f"admin:{admin_name}_changelist"), {"q": query}))
    assert expected in found
    assert "Draft" not in found.split("Action:")[-1].replace("Draft (hidden)", "")


@pytest.mark.slow  # a whole export of the site (over a second of CPU)
def test_export_publishes_every_type_and_no_draft(content, tmp_path):
    outdir = tmp_path / "public"
    call_command("export_site", str(outdir), base_url="https://example.org/", verbosity=0)
    for path in [
        "projects/index.html",
        "news/index.html",
        "news/feed/index.html",
        "news/feed/atom/index.html",
        "news/a-long-announcement-with-details/index.html",
        "talks/index.html",
        "teaching/index.html",
    ]:
        assert (outdir / path).is_file(), path
    assert "Introduction to Machine Learning" in (outdir / "teaching/index.html").read_text()
    assert not (outdir / "secret-page").exists()
    assert not (outdir / "news" / "draft-news").exists()
    assert "Draft talk" not in (outdir / "talks/index.html").read_text()
