"""The editor's start page: what a researcher sees first after logging in."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission

from editor import start
from editor.start import Notice, register_notice
from research.models import Publication
from tests.forms import form_data


def start_page(client):
    response = client.get("/admin/")
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_the_start_page_offers_the_main_tasks(seeded, editor_client):
    soup = start_page(editor_client)
    buttons = {a.get_text(): a["href"] for a in soup.select(".start-actions a")}
    assert list(buttons) == [
        "Edit profile",
        "Add paper",
        "Import BibTeX",
        "Add from arXiv",
        "Add news",  # the news app is installed
        "Edit CV",
        "Import a whole site",  # siteimport registers it
        "View site",
    ]
    for url in buttons.values():
        assert editor_client.get(url, follow=True).status_code == 200
    assert buttons["View site"] == "/"
    assert buttons["Add paper"] == "/admin/research/publication/add/"


def test_an_action_for_an_app_adds_to_its_model_and_needs_the_app(seeded, editor_client):
    # "Add news" is such an action: it shows once a news app is in the admin (it is).
    assert "Add news" in start_page(editor_client).get_text()
    action = start.Action("Add a CV section", app_label="cv")
    missing = start.Action("Add a talk", app_label="no_such_app")
    start.register_action(action)
    start.register_action(missing)
    try:
        buttons = {
            a.get_text(): a["href"] for a in start_page(editor_client).select(".start-actions a")
        }
    finally:
        start.ACTIONS.remove(action)
        start.ACTIONS.remove(missing)
    assert buttons["Add a CV section"] == "/admin/cv/cvsection/add/"
    assert "Add a talk" not in buttons


def test_technical_models_are_grouped_under_site_administration(seeded, editor_client):
    soup = start_page(editor_client)
    groups = [c.get_text(strip=True) for c in soup.select("#content-main .module caption")]
    assert groups[-1] == "Site administration"
    assert "Authentication and Authorization" not in groups
    assert "Axes" not in groups and "Taggit" not in groups
    admin_group = soup.select_one(".app-site_administration")
    names = [th.get_text(strip=True) for th in admin_group.select("th[scope=row]")]
    for name in ["Users", "Groups", "Tags", "Access attempts"]:
        assert name in names, names
    assert "Publications" in soup.select_one(".app-research").get_text()
    # App pages keep working: /admin/auth/ still lists users and groups.
    assert "Users" in editor_client.get("/admin/auth/").content.decode()


def test_drafts_waiting_and_recent_changes(seeded, editor_client):
    soup = start_page(editor_client)
    assert "No drafts" in soup.select_one(".start-drafts").get_text()

    paper = Publication.objects.get(slug="reversal-curse")
    url = f"/admin/research/publication/{paper.pk}/change/"
    data = form_data(editor_client.get(url).content.decode(), "publication_form")
    data["status"] = "draft"
    data["title"] = "The Reversal Curse (revised)"
    response = editor_client.post(url, data)
    assert response.status_code == 302

    soup = start_page(editor_client)
    drafts = soup.select(".start-drafts a")
    assert [a.get_text() for a in drafts] == ["The Reversal Curse (revised)"]
    assert drafts[0]["href"] == f"/admin/research/publication/{paper.pk}/change/"
    recent = soup.select("#recent-actions-module li")
    assert recent[0].select_one("a").get_text() == "The Reversal Curse (revised)"
    assert "editor" in recent[0].get_text()
    assert "Publication" in recent[0].get_text()


def test_a_deleted_item_in_recent_changes_is_not_a_link(seeded, editor_client):
    paper = Publication.objects.get(slug="reversal-curse")
    response = editor_client.post(
        f"/admin/research/publication/{paper.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    first = start_page(editor_client).select_one("#recent-actions-module li")
    assert paper.title in first.get_text()
    assert first.select_one("a") is None


def test_other_apps_add_notices(seeded, editor_client):
    def inbox(request):
        yield Notice("3 new papers in the inbox", "/admin/research/publication/")

    register_notice(inbox)
    try:
        soup = start_page(editor_client)
    finally:
        start._NOTICES.remove(inbox)
    link = soup.select_one(".start-notices a")
    assert (link.get_text(), link["href"]) == (
        "3 new papers in the inbox",
        "/admin/research/publication/",
    )
    assert start_page(editor_client).select_one(".start-notices") is None


@pytest.mark.django_db
def test_an_editor_without_permissions_sees_only_what_they_may_do(client, django_user_model):
    user = django_user_model.objects.create_user("helper", password="pw-helper-123", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_publication"))
    client.force_login(user)
    soup = start_page(client)
    labels = [a.get_text() for a in soup.select(".start-actions a")]
    assert labels == ["View site"]
    assert soup.select_one(".app-site_administration") is None
