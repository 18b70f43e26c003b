"""The publication and person admin, driven through their real forms."""

import pytest
from bs4 import BeautifulSoup

from research.models import Person, Publication
from tests.forms import form_data, form_errors

ADD_URL = "/admin/research/publication/add/"


@pytest.fixture
def authors(db):
    return [
        Person.objects.create(name="Ada Owner", is_owner=True),
        Person.objects.create(name="Bo Other"),
        Person.objects.create(name="Cy Third"),
    ]


def fill_authors(data, rows):
    """rows: (person, position, equal_contribution) in the order the rows sit in the form."""
    data["authorships-TOTAL_FORMS"] = str(len(rows))
    for i, (person, position, equal) in enumerate(rows):
        data[f"authorships-{i}-person"] = str(person.pk)
        data[f"authorships-{i}-position"] = str(position)
        data[f"authorships-{i}-printed_name"] = ""
        if equal:
            data[f"authorships-{i}-equal_contribution"] = "on"
        else:
            data.pop(f"authorships-{i}-equal_contribution", None)


def new_paper_form(editor_client, **fields):
    data = form_data(editor_client.get(ADD_URL).content.decode(), "publication_form")
    data.update(
        {
            "title": "A new result",
            "slug": "a-new-result",
            "date": "2025-03-01",
            "status": "published",
            "highlighted": "on",
            "tldr": "It *works*.",
            "tags": "alignment, evaluations",
            **fields,
        }
    )
    return data


def test_add_paper_with_reordered_authors_shows_on_homepage(editor_client, authors):
    owner, bo, cy = authors
    data = new_paper_form(editor_client)
    # Rows added Ada, Bo, Cy, then dragged so Cy is first and Ada last.
    fill_authors(data, [(owner, 3, True), (bo, 2, True), (cy, 1, False)])
    response = editor_client.post(ADD_URL, data)
    assert response.status_code == 302, form_errors(response.content.decode())

    paper = Publication.objects.get(slug="a-new-result")
    assert [(a.person.name, a.equal_contribution) for a in paper.authors] == [
        ("Cy Third", False),
        ("Bo Other", True),
        ("Ada Owner", True),
    ]
    assert sorted(t.name for t in paper.tags.all()) == ["alignment", "evaluations"]

    home = BeautifulSoup(editor_client.get("/").content, "html.parser")
    entry = home.select_one("ul.research > li")
    assert entry.find("h3").get_text(strip=True) == "A new result"
    assert (
        entry.select_one(".authors").decode_contents() == "Cy Third, Bo Other*, <b>Ada Owner*</b>"
    )
    assert home.select_one(".equal-contribution") is not None


def test_reordering_authors_of_an_existing_paper(editor_client, authors):
    owner, bo, cy = authors
    data = new_paper_form(editor_client)
    fill_authors(data, [(owner, 1, False), (bo, 2, False), (cy, 3, False)])
    assert editor_client.post(ADD_URL, data).status_code == 302
    paper = Publication.objects.get(slug="a-new-result")

    change_url = f"/admin/research/publication/{paper.pk}/change/"
    data = form_data(editor_client.get(change_url).content.decode(), "publication_form")
    rows = {data[f"authorships-{i}-person"]: i for i in range(3)}
    data[f"authorships-{rows[str(cy.pk)]}-position"] = "1"
    data[f"authorships-{rows[str(owner.pk)]}-position"] = "2"
    data[f"authorships-{rows[str(bo.pk)]}-position"] = "3"
    response = editor_client.post(change_url, data)
    assert response.status_code == 302, form_errors(response.content.decode())
    assert [a.person.name for a in Publication.objects.get(pk=paper.pk).authors] == [
        "Cy Third",
        "Ada Owner",
        "Bo Other",
    ]


def test_the_same_person_twice_on_one_paper_is_a_form_error(editor_client, authors):
    owner, bo, _ = authors
    data = new_paper_form(editor_client)
    fill_authors(data, [(owner, 1, False), (owner, 2, False)])
    response = editor_client.post(ADD_URL, data)
    assert response.status_code == 200
    assert any("correct the duplicate" in e.lower() for e in form_errors(response.content.decode()))
    assert not Publication.objects.exists()


@pytest.mark.parametrize(
    "field,value",
    [("url", "javascript:alert(1)"), ("code_url", "ftp://example.org/x"), ("pdf_url", "data:x")],
)
def test_bad_links_are_form_errors_and_nothing_is_saved(editor_client, authors, field, value):
    data = new_paper_form(editor_client, **{field: value})
    fill_authors(data, [(authors[0], 1, False)])
    response = editor_client.post(ADD_URL, data)
    assert response.status_code == 200
    assert any("URL" in e or "http" in e for e in form_errors(response.content.decode()))
    assert not Publication.objects.exists()


def test_a_second_site_owner_is_refused_with_a_clear_error(editor_client, authors):
    url = "/admin/research/person/add/"
    data = form_data(editor_client.get(url).content.decode(), "person_form")
    data.update({"name": "Another Owner", "is_owner": "on"})
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert any("already the site owner" in e for e in form_errors(response.content.decode()))
    assert list(Person.objects.filter(is_owner=True)) == [authors[0]]


def test_list_toggles_highlighted_and_searches_by_author(editor_client, authors):
    data = new_paper_form(editor_client)
    fill_authors(data, [(authors[1], 1, False)])
    editor_client.post(ADD_URL, data)
    paper = Publication.objects.get()

    listing = editor_client.get("/admin/research/publication/", {"q": "Bo Other"})
    assert b"A new result" in listing.content
    assert (
        b"A new result"
        not in editor_client.get("/admin/research/publication/", {"q": "Cy Third"}).content
    )

    data = form_data(listing.content.decode(), "changelist-form")
    data.pop("form-0-highlighted", None)
    data["_save"] = "Save"
    response = editor_client.post("/admin/research/publication/?q=Bo+Other", data)
    assert response.status_code == 302
    paper.refresh_from_db()
    assert paper.highlighted is False
    assert b"A new result" not in editor_client.get("/").content


def test_year_filter_and_view_on_site(editor_client, authors):
    data = new_paper_form(editor_client)
    fill_authors(data, [(authors[0], 1, False)])
    editor_client.post(ADD_URL, data)
    paper = Publication.objects.get()
    changelist = "/admin/research/publication/"
    assert b"A new result" in editor_client.get(f"{changelist}?date__year=2025").content
    assert b"A new result" not in editor_client.get(f"{changelist}?date__year=2019").content
    change = editor_client.get(f"/admin/research/publication/{paper.pk}/change/").content.decode()
    assert "View on site" in change


def test_author_autocomplete_lists_people_by_name(editor_client, db):
    for name in ["Zoe Last", "Ada First", "Mia Middle"]:
        Person.objects.create(name=name)
    response = editor_client.get(
        "/admin/autocomplete/",
        {"app_label": "research", "model_name": "authorship", "field_name": "person"},
    )
    assert [r["text"] for r in response.json()["results"]] == [
        "Ada First",
        "Mia Middle",
        "Zoe Last",
    ]
