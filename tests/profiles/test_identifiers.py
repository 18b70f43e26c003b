"""Research identifiers on the profile: checked in the admin, shown as links where public."""

import pytest
from bs4 import BeautifulSoup

from profiles.models import Profile
from tests.forms import form_data, form_errors


@pytest.fixture
def change_url(seeded):
    return f"/admin/profile/profile/{Profile.load().pk}/change/"


def social_links(client):
    page = BeautifulSoup(client.get("/").content, "html.parser")
    return [(a.get_text(), a["href"]) for a in page.select(".social a")]


def post(client, url, **values):
    data = form_data(client.get(url).content.decode(), "profile_form")
    data.update(values)
    return client.post(url, data)


def test_pasted_profile_links_are_kept_as_identifiers_and_shown_as_links(
    editor_client, change_url, client
):
    before = social_links(client)
    response = post(
        editor_client,
        change_url,
        orcid="https://orcid.org/0000-0002-1825-0097",
        openalex_id="https://openalex.org/A5023888391",
        dblp_pid="https://dblp.org/pid/95/7448-1.html",
        semantic_scholar_id="https://www.semanticscholar.org/author/L.-Cantley/1723755",
        arxiv_query="au:Piwowar_H",
    )
    assert response.status_code == 302, form_errors(response.content.decode())
    profile = Profile.load()
    assert (profile.orcid, profile.openalex_id, profile.dblp_pid, profile.semantic_scholar_id) == (
        "0000-0002-1825-0097",
        "A5023888391",
        "95/7448-1",
        "1723755",
    )
    editor_client.logout()
    assert social_links(client) == before + [
        ("ORCID", "https://orcid.org/0000-0002-1825-0097"),
        ("DBLP", "https://dblp.org/pid/95/7448-1.html"),
        ("Semantic Scholar", "https://www.semanticscholar.org/author/1723755"),
        ("OpenAlex", "https://openalex.org/authors/A5023888391"),
    ]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("orcid", "0000-0002-1825-0098", "check digit"),
        ("orcid", "0000-0002-1825", "16 characters"),
        ("openalex_id", "W2741809807", "A followed by digits"),
        ("dblp_pid", "Di Xu", "95/7448-1"),
        ("semantic_scholar_id", "L. Cantley", "is a number"),
    ],
)
def test_a_mistyped_identifier_is_a_form_error_and_nothing_changes(
    editor_client, change_url, field, value, message
):
    response = post(editor_client, change_url, **{field: value, "subtitle": "Not saved"})
    assert response.status_code == 200
    assert message in " ".join(form_errors(response.content.decode()))
    assert Profile.load().subtitle != "Not saved"


def test_an_existing_orcid_link_is_not_repeated(editor_client, change_url, client):
    profile = Profile.load()
    profile.links.create(
        label="My ORCID", kind="orcid", url="https://orcid.org/0000-0002-1825-0097"
    )
    profile.orcid = "0000-0002-1825-0097"
    profile.save()
    labels = [label for label, _href in social_links(client)]
    assert labels.count("My ORCID") == 1 and "ORCID" not in labels
