"""Editing the CV in the admin: sections, their entries, order, history."""

from bs4 import BeautifulSoup

from cv.models import CVEntry, CVSection
from tests.forms import form_data, form_errors

ADD_URL = "/admin/cv/cvsection/add/"


def add_form(client, **fields):
    data = form_data(client.get(ADD_URL).content.decode(), "cvsection_form")
    data.update(fields)
    return data


def entry_rows(data, rows):
    data["entries-TOTAL_FORMS"] = str(len(rows))
    for n, row in enumerate(rows):
        for key, value in row.items():
            data[f"entries-{n}-{key}"] = value
        data[f"entries-{n}-position"] = str(n + 1)
    return data


def test_add_a_section_with_entries_shows_on_the_cv(seeded, editor_client):
    data = add_form(editor_client, kind="education", title="Studies")
    entry_rows(
        data,
        [
            {
                "title": "PhD in Physics",
                "organisation": "University of Zurich",
                "start": "1901",
                "end": "1905",
                "details": "Thesis: *A new determination of molecular dimensions*",
            },
            {
                "title": "Federal teaching diploma",
                "organisation": "ETH Zurich",
                "start": "1896-10",
                "end": "1900-07",
            },
        ],
    )
    response = editor_client.post(ADD_URL, data)
    assert response.status_code == 302, form_errors(response.content.decode())
    soup = BeautifulSoup(editor_client.get("/cv/").content, "html.parser")
    assert soup.select_one("main h2").get_text() == "Studies"
    titles = [p.get_text() for p in soup.select(".cv-title")]
    assert titles == ["PhD in Physics", "Federal teaching diploma"]
    assert (
        soup.select_one(".cv-details em").get_text()
        == "A new determination of molecular dimensions"
    )
    assert soup.select(".cv-period")[1].get_text() == "Oct 1896 – Jul 1900"


def test_bad_dates_are_form_errors_and_nothing_is_saved(seeded, editor_client):
    for start, end, message in [
        ("Sept 2019", "", "Enter a year (2021)"),
        ("2019-13", "", "Enter a year (2021)"),
        ("2020", "2019-05", "The end comes before the start."),
        ("", "2019", "Enter when it started."),
    ]:
        data = entry_rows(
            add_form(editor_client), [{"title": "Postdoc", "start": start, "end": end}]
        )
        response = editor_client.post(ADD_URL, data)
        assert response.status_code == 200
        assert any(message in error for error in form_errors(response.content.decode())), start
    assert not CVSection.objects.exists() and not CVEntry.objects.exists()
    # Within the same year is fine: September 2019 to 2019.
    data = entry_rows(
        add_form(editor_client), [{"title": "Postdoc", "start": "2019-09", "end": "2019"}]
    )
    assert editor_client.post(ADD_URL, data).status_code == 302


def test_sections_are_ordered_in_the_list_and_searchable(seeded, editor_client):
    first = CVSection.objects.create(kind="positions", position=1)
    second = CVSection.objects.create(kind="awards", position=2)
    CVEntry.objects.create(section=second, title="Nobel Prize in Physics")
    listing = editor_client.get("/admin/cv/cvsection/").content.decode()
    assert listing.index("Positions") < listing.index("Awards and honours")
    found = editor_client.get("/admin/cv/cvsection/?q=nobel").content.decode()
    assert "Awards and honours" in found and f"/admin/cv/cvsection/{first.pk}/change/" not in found


def test_a_papers_section_has_no_entries_to_type(seeded, editor_client):
    section = CVSection.objects.create(kind="papers")
    page = editor_client.get(f"/admin/cv/cvsection/{section.pk}/change/").content.decode()
    assert "entries-TOTAL_FORMS" not in page
    assert "which papers" in page.lower()


def test_a_deleted_section_can_be_recovered_with_its_entries(seeded, editor_client):
    data = entry_rows(
        add_form(editor_client, kind="awards"),
        [{"title": "Nobel Prize in Physics", "start": "1921"}],
    )
    assert editor_client.post(ADD_URL, data).status_code == 302
    section = CVSection.objects.get()
    response = editor_client.post(f"/admin/cv/cvsection/{section.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert editor_client.get("/cv/").status_code == 404

    recover = BeautifulSoup(
        editor_client.get("/admin/cv/cvsection/recover/").content, "html.parser"
    )
    link = recover.select_one("#content-main a[href*='/recover/']")
    url = link["href"]
    form = form_data(editor_client.get(url).content.decode(), "cvsection_form")
    assert editor_client.post(url, form).status_code == 302
    assert "Nobel Prize in Physics" in editor_client.get("/cv/").content.decode()
