"""The profile admin: one profile, sortable social links, validated URLs."""

import pytest
from bs4 import BeautifulSoup

from profiles.models import Profile
from tests.forms import form_data, form_errors


@pytest.fixture
def change_url(seeded):
    return f"/admin/profile/profile/{Profile.load().pk}/change/"


def social_row(client):
    page = BeautifulSoup(client.get("/").content, "html.parser")
    return [a.get_text() for a in page.select(".social a")]


def test_the_list_opens_the_one_profile_and_never_offers_a_second(editor_client, change_url):
    response = editor_client.get("/admin/profile/profile/")
    assert response.status_code == 302 and response["Location"] == change_url
    assert editor_client.get("/admin/profile/profile/add/").status_code == 403
    assert editor_client.get(change_url.replace("change", "delete")).status_code == 403
    page = editor_client.get(change_url).content.decode()
    assert "deletelink" not in page


def test_fresh_install_list_leads_to_adding_the_profile(editor_client, db):
    response = editor_client.get("/admin/profile/profile/")
    assert response["Location"] == "/admin/profile/profile/add/"


def test_editing_the_bio_and_reordering_links_shows_on_the_homepage(editor_client, change_url):
    data = form_data(editor_client.get(change_url).content.decode(), "profile_form")
    data["bio"] = "I now study **tides**."
    labels = {data[f"links-{i}-label"]: i for i in range(int(data["links-TOTAL_FORMS"]))}
    # Drag Twitter to the front: sortable2 renumbers the hidden position fields.
    order = ["Twitter", "Feedback form", "Email", "Google Scholar", "GitHub", "Facebook", "CV"]
    for position, label in enumerate(order, start=1):
        data[f"links-{labels[label]}-position"] = str(position)
    response = editor_client.post(change_url, data)
    assert response.status_code == 302, form_errors(response.content.decode())

    home = BeautifulSoup(editor_client.get("/").content, "html.parser")
    assert home.select_one("#about-section strong").get_text() == "tides"
    assert social_row(editor_client) == order[:-1]


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x", "mailto:not-an-email"]
)
def test_a_bad_social_link_is_a_form_error_and_nothing_changes(editor_client, change_url, url):
    before = social_row(editor_client)
    data = form_data(editor_client.get(change_url).content.decode(), "profile_form")
    data["bio"] = "Changed bio that must not be saved"
    data["links-0-url"] = url
    response = editor_client.post(change_url, data)
    assert response.status_code == 200
    assert any("mailto" in e for e in form_errors(response.content.decode()))
    assert social_row(editor_client) == before
    assert "Changed bio" not in Profile.load().bio


def test_a_link_without_url_is_refused_unless_it_is_the_cv(editor_client, change_url):
    data = form_data(editor_client.get(change_url).content.decode(), "profile_form")
    data["links-0-url"] = ""
    response = editor_client.post(change_url, data)
    assert "Enter the link" in " ".join(form_errors(response.content.decode()))
