import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from core.menu import MenuEntry, entries_with_content
from news.models import NewsItem
from pages.models import MenuItem, Page
from talks.models import Talk
from tests.forms import form_data


def menu(client=None, url="/"):
    soup = BeautifulSoup((client or Client()).get(url).content, "html.parser")
    return [a.get_text() for a in soup.select(".nav-links a")]


def test_the_seed_menu_is_about_and_research(seeded):
    assert menu() == ["about", "research"]


def test_sections_appear_once_they_have_published_content(seeded):
    NewsItem.objects.create(text="Draft", status="draft")
    Talk.objects.create(title="Draft", event="E", date="2024-01-01", status="draft")
    assert menu() == ["about", "research"]
    NewsItem.objects.create(text="Our paper was accepted.")
    assert menu() == ["about", "research", "news"]
    Talk.objects.create(title="T", event="E", date="2024-01-01")
    assert menu() == ["about", "research", "news", "talks"]


def test_a_page_joins_the_menu_after_the_sections_unless_told_not_to(seeded):
    Page.objects.create(title="Projects", body="x")
    Page.objects.create(title="Not listed", body="x", show_in_menu=False)
    Page.objects.create(title="Draft page", body="x", status="draft")
    assert menu() == ["about", "research", "Projects"]
    assert Client().get("/not-listed/").status_code == 200


def test_the_current_page_is_marked_in_the_menu(seeded):
    Page.objects.create(title="Projects", body="x")
    soup = BeautifulSoup(Client().get("/projects/").content, "html.parser")
    assert [a.get_text() for a in soup.select('.nav-links a[aria-current="page"]')] == ["Projects"]


def test_the_owner_orders_renames_and_hides_menu_entries_in_the_admin(editor_client, seeded):
    Page.objects.create(title="Projects", body="x")
    changelist = editor_client.get(reverse("admin:pages_menuitem_changelist"))
    assert changelist.status_code == 200
    rows = BeautifulSoup(changelist.content, "html.parser").select("#result_list tbody tr")
    assert [row.select_one("th").get_text(strip=True) for row in rows] == [
        "about",
        "research",
        "news",
        "talks",
        "teaching",
        "cv",
        "Page: Projects",
    ]
    # Drag and drop sends the new order to adminsortable2's endpoint.
    items = {item.key: item for item in MenuItem.objects.all()}
    page_key = next(key for key in items if key.startswith("page:"))
    order = [page_key, "about", "research", "news", "talks", "teaching"]
    response = editor_client.post(
        reverse("admin:pages_menuitem_sortable_update"),
        {"updatedItems": [[items[key].pk, i + 1] for i, key in enumerate(order)]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert menu() == ["Projects", "about", "research"]

    url = reverse("admin:pages_menuitem_change", args=[items["research"].pk])
    data = form_data(editor_client.get(url).content.decode(), "menuitem_form")
    data["label"] = "publications"
    assert editor_client.post(url, data).status_code == 302
    url = reverse("admin:pages_menuitem_change", args=[items["about"].pk])
    data = form_data(editor_client.get(url).content.decode(), "menuitem_form")
    data.pop("visible")
    assert editor_client.post(url, data).status_code == 302
    assert menu() == ["Projects", "publications"]


def test_sections_cannot_be_deleted_from_the_menu(editor_client, seeded):
    editor_client.get(reverse("admin:pages_menuitem_changelist"))
    about = MenuItem.objects.get(key="about")
    response = editor_client.post(
        reverse("admin:pages_menuitem_delete", args=[about.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert MenuItem.objects.filter(key="about").exists()


@pytest.mark.django_db
def test_an_entry_can_decide_itself_whether_it_has_content():
    entries = [
        MenuEntry("always", "always", "profiles:home"),
        MenuEntry("yes", "yes", "profiles:home", has_content=lambda: True),
        MenuEntry("no", "no", "profiles:home", has_content=lambda: False),
        MenuEntry("news", "news", "news:index", model="news.NewsItem"),
    ]
    assert entries_with_content(entries) == {"always", "yes"}
    NewsItem.objects.create(text="x")
    assert entries_with_content(entries) == {"always", "yes", "news"}
