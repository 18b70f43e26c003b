"""The admin's "Import BibTeX" and "Add from arXiv" pages, used through their real forms."""

import urllib.error
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.contrib import admin
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from research import arxiv
from research.admin_import import ImportAdminMixin
from research.models import Person, Publication

DATA = Path(__file__).parent / "data"
IMPORT_URL = "/admin/research/publication/import-bibtex/"
ARXIV_URL = "/admin/research/publication/add-from-arxiv/"


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any attempt to open a URL fails the test (tests that fake arXiv patch over this)."""

    def refuse(*args, **kwargs):
        raise AssertionError("the network was used")

    monkeypatch.setattr(arxiv.urllib.request, "urlopen", refuse)


def page(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def form_data(form, button):
    """What a browser sends when `button` (its name) of this form is pressed."""
    data = {}
    for field in form.find_all(["input", "textarea"]):
        name = field.get("name")
        kind = field.get("type", "text")
        if (
            not name
            or kind in {"submit", "file"}
            or (kind == "checkbox" and not field.has_attr("checked"))
        ):
            continue
        data[name] = field.text if field.name == "textarea" else field.get("value", "on")
    submit = form.find("input", attrs={"type": "submit", "name": button})
    assert submit is not None, f"no {button} button in the form"
    data[button] = submit["value"]
    return data


def test_publication_list_links_to_both_imports(editor_client):
    links = page(editor_client.get("/admin/research/publication/")).select(".object-tools a")
    hrefs = {a.get_text(strip=True): a["href"] for a in links}
    assert hrefs["Import BibTeX"] == IMPORT_URL
    assert hrefs["Add from arXiv"] == ARXIV_URL


@pytest.mark.parametrize("url", [IMPORT_URL, ARXIV_URL])
def test_import_pages_are_for_editors_only(client, django_user_model, url):
    assert client.get(url).status_code == 302  # to the login page
    user = django_user_model.objects.create_user("helper", password="pw-helper-123", is_staff=True)
    client.login(username="helper", password="pw-helper-123")
    assert client.get(url).status_code == 403  # staff without permissions
    # Adding and changing papers is not enough: imports also add people.
    user.user_permissions.set(
        Permission.objects.filter(codename__in=["add_publication", "change_publication"])
    )
    assert client.get(url).status_code == 403
    changelist = page(client.get("/admin/research/publication/")).select(".object-tools a")
    buttons = [a.get_text(strip=True) for a in changelist]
    assert "Add publication" in buttons
    assert not {"Import BibTeX", "Add from arXiv"} & set(buttons)
    user.user_permissions.add(Permission.objects.get(codename="add_person"))
    assert client.get(url).status_code == 200


def test_pasted_bibtex_is_previewed_then_imported_on_confirm(seeded, editor_client):
    form = page(editor_client.get(IMPORT_URL)).find(
        "form", attrs={"enctype": "multipart/form-data"}
    )
    data = form_data(form, "preview")
    assert data["highlight_selected"] == "on"  # checked by default
    data["bibtex"] = (DATA / "broken.bib").read_text() + (DATA / "alfolio.bib").read_text()
    before = Publication.objects.count()

    preview = editor_client.post(IMPORT_URL, data)

    assert preview.status_code == 200
    soup = page(preview)
    summary = soup.find(id="import-summary").get_text(" ", strip=True)
    assert "4 created" in summary and "2 updated" in summary and "1 skipped" in summary
    rows = {
        tr.find_all("td")[1].get_text(strip=True): tr.get("class")[0]
        for tr in soup.select("#import-preview tbody tr")
    }
    assert rows == {
        "first_good": "import-created",
        "no_closing_brace": "import-skipped",
        "second_good": "import-created",
        "no_year": "import-created",  # undated, as al-folio shows it
        "berglund2023reversal": "import-updated",
        "scheurer2023strategic": "import-updated",
        "muller2021accents": "import-created",
    }
    # Papers already on the site link to their page in the admin.
    reversal = Publication.objects.get(slug="reversal-curse")
    updated = soup.select_one("#import-preview tr.import-updated a")["href"]
    assert updated == reverse("admin:research_publication_change", args=[reversal.pk])
    skipped = soup.select_one("#import-preview tr.import-skipped").get_text(" ", strip=True)
    assert "8" in skipped and "no_closing_brace" in skipped
    assert Publication.objects.count() == before  # nothing saved by the preview

    confirm = soup.find("input", attrs={"name": "confirm"}).find_parent("form")
    response = editor_client.post(confirm.get("action"), form_data(confirm, "confirm"), follow=True)

    assert response.redirect_chain[-1][0] == "/admin/research/publication/"
    assert Publication.objects.count() == before + 4
    assert Publication.objects.get(slug="reversal-curse").venue_short == "ICLR"
    text = response.content.decode()
    assert "4 created, 2 updated, 0 unchanged, 1 skipped" in text
    assert "no_closing_brace" in text  # skipped entries are named in the messages


def test_uploaded_file_is_previewed_and_reimport_offers_nothing(seeded, editor_client):
    upload = SimpleUploadedFile("papers.bib", (DATA / "alfolio.bib").read_bytes())
    soup = page(editor_client.post(IMPORT_URL, {"file": upload, "highlight_selected": "on"}))
    confirm = soup.find("input", attrs={"name": "confirm"}).find_parent("form")
    editor_client.post(confirm.get("action"), form_data(confirm, "confirm"))
    assert Publication.objects.filter(title__startswith="Über").exists()

    upload = SimpleUploadedFile("papers.bib", (DATA / "alfolio.bib").read_bytes())
    soup = page(editor_client.post(IMPORT_URL, {"file": upload, "highlight_selected": "on"}))

    assert "3 unchanged" in soup.find(id="import-summary").get_text(" ", strip=True)
    assert soup.find("input", attrs={"name": "confirm"}) is None
    assert "Nothing to import" in soup.get_text()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"bibtex": ""}, "Paste BibTeX entries or choose a .bib file."),
        ({"bibtex": "Dear editor, here are my papers."}, "No BibTeX entries found."),
        (
            {"file": SimpleUploadedFile("photo.bib", b"\x89PNG\r\n\x1a\n\x00\xff\xfe")},
            "not text in UTF-8",
        ),
    ],
)
def test_empty_or_non_bibtex_input_shows_an_error(db, editor_client, data, message):
    response = editor_client.post(IMPORT_URL, data)

    assert response.status_code == 200
    assert message in page(response).select_one(".errornote").get_text()
    assert Publication.objects.count() == 0


@pytest.fixture
def arxiv_answers(monkeypatch):
    """arXiv answers with the saved response for the requested ID."""
    asked = []

    def fake_fetch(arxiv_id):
        asked.append(arxiv_id)
        return (DATA / "arxiv_2309.12288v2.xml").read_bytes()

    monkeypatch.setattr(arxiv, "fetch_atom", fake_fetch)
    return asked


def test_add_from_arxiv_creates_a_draft_to_review(seeded, editor_client, arxiv_answers):
    Publication.objects.filter(slug="reversal-curse").delete()
    field = page(editor_client.get(ARXIV_URL)).find("input", attrs={"name": "arxiv"})
    assert field.find_parent("form")["method"] == "post"

    response = editor_client.post(ARXIV_URL, {"arxiv": "https://arxiv.org/abs/2309.12288v2"})

    draft = Publication.objects.get(url="https://arxiv.org/abs/2309.12288")
    assert arxiv_answers == ["2309.12288v2"]
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:research_publication_change", args=[draft.pk])
    assert draft.status == Publication.Status.DRAFT
    change = editor_client.get(response["Location"])
    assert "Draft created from arXiv 2309.12288" in change.content.decode()
    assert page(change).find("input", attrs={"name": "title"})["value"] == draft.title
    assert [a.person.name for a in draft.authors][3] == "Mikita Balesni"


def test_add_from_arxiv_for_a_paper_already_on_the_site(seeded, editor_client, arxiv_answers):
    existing = Publication.objects.get(slug="reversal-curse")
    count = Publication.objects.count()

    response = editor_client.post(ARXIV_URL, {"arxiv": "2309.12288"}, follow=True)

    assert response.redirect_chain[-1][0] == reverse(
        "admin:research_publication_change", args=[existing.pk]
    )
    assert "already on the site" in response.content.decode()
    assert Publication.objects.count() == count
    assert arxiv_answers == []


def test_add_from_arxiv_offline_shows_a_message_not_an_error_page(db, editor_client, monkeypatch):
    def offline(request, timeout):
        raise urllib.error.URLError("Temporary failure in name resolution")

    monkeypatch.setattr(arxiv.urllib.request, "urlopen", offline)

    response = editor_client.post(ARXIV_URL, {"arxiv": "2309.12288"})

    assert response.status_code == 200
    assert "Could not reach arXiv" in page(response).select_one(".errornote").get_text()
    assert Publication.objects.count() == 0
    assert Person.objects.count() == 0


def test_add_from_arxiv_api_error_is_shown(db, editor_client, monkeypatch):
    monkeypatch.setattr(arxiv, "fetch_atom", lambda _id: (DATA / "arxiv_empty.xml").read_bytes())

    response = editor_client.post(ARXIV_URL, {"arxiv": "2401.99999"})

    assert response.status_code == 200
    assert "no paper with this ID" in page(response).select_one(".errornote").get_text()


def test_add_from_arxiv_refuses_what_is_not_an_id(db, editor_client, arxiv_answers):
    response = editor_client.post(ARXIV_URL, {"arxiv": "the reversal curse"})

    assert response.status_code == 200
    assert "is not an arXiv ID" in page(response).select_one(".errorlist").get_text()
    assert arxiv_answers == []


def test_buttons_keep_the_change_list_of_another_admin_base(db, settings, tmp_path, rf):
    """An admin base naming its own change list (django-reversion does) keeps its buttons."""
    (tmp_path / "base_change_list.html").write_text(
        '{% extends "admin/change_list.html" %}{% block object-tools-items %}'
        "<li>Recover deleted publications</li>{{ block.super }}{% endblock %}"
    )
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [*engine["DIRS"], tmp_path]}]

    class BaseAdmin(admin.ModelAdmin):
        change_list_template = "base_change_list.html"

    class Combined(ImportAdminMixin, BaseAdmin):
        pass

    request = rf.get("/admin/research/publication/")
    request.user = User.objects.create_superuser("root", "root@example.org", "pw-root-123")
    response = Combined(Publication, admin.site).changelist_view(request)
    tools = page(response.render()).select_one(".object-tools").get_text(" ", strip=True)

    assert "Import BibTeX" in tools
    assert "Recover deleted publications" in tools


def test_owner_field_is_prefilled_and_recognises_other_spellings(db, editor_client):
    Person.objects.create(name="Hongyu Liu", is_owner=True)
    form = page(editor_client.get(IMPORT_URL)).find(
        "form", attrs={"enctype": "multipart/form-data"}
    )
    data = form_data(form, "preview")
    assert data["owner"] == "Hongyu Liu"
    data["bibtex"] = (
        "@article{a, title={One}, year=2023, author={Liu*, Hongyu and Liu*, Zhaoyang}}\n"
        "@article{b, title={Two}, year=2023, author={H. Liu and Qifeng Chen}}"
    )
    preview = page(editor_client.post(IMPORT_URL, data))
    assert "H. Liu is the site owner (Hongyu Liu)" in preview.get_text()
    confirm = preview.find("input", attrs={"name": "confirm"}).find_parent("form")
    editor_client.post(confirm.get("action"), form_data(confirm, "confirm"))
    owners = [
        [(a.name, a.marks) for a in p.authors if a.is_owner]
        for p in Publication.objects.for_listing().order_by("title")
    ]
    assert owners == [[("Hongyu Liu", "*")], [("H. Liu", "")]]


def test_owner_field_makes_the_owner_or_refuses_another(db, editor_client):
    bib = "@article{a, title={One}, year=2023, author={Einstein, A. and Rosen, N.}}"
    data = {"bibtex": bib, "owner": "Albert Einstein", "confirm": "Import"}
    editor_client.post(IMPORT_URL, data)
    assert Person.objects.get(is_owner=True).name == "Albert Einstein"
    paper = Publication.objects.for_listing().get(title="One")
    assert [(a.name, a.is_owner) for a in paper.authors] == [
        ("A. Einstein", True),
        ("N. Rosen", False),
    ]

    refused = editor_client.post(IMPORT_URL, {"bibtex": bib, "owner": "Max Planck"})
    assert "The site owner is Albert Einstein, not Max Planck" in page(refused).get_text()


def test_preview_writes_nothing_and_holds_no_transaction(seeded, editor_client):
    """A preview must not take the database's write lock (SQLite has one for all)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    text = (DATA / "alfolio.bib").read_text()
    with CaptureQueriesContext(connection) as queries:
        response = editor_client.post(IMPORT_URL, {"bibtex": text, "highlight_selected": "on"})

    assert response.status_code == 200
    assert "will be created" in response.content.decode()
    statements = [q["sql"].split()[0].upper() for q in queries.captured_queries]
    assert set(statements) <= {"SELECT"}, statements


def test_import_saves_in_batches_each_in_the_history(seeded, editor_client):
    from reversion.models import Version

    response = editor_client.post(
        IMPORT_URL,
        {"bibtex": (DATA / "alfolio.bib").read_text(), "confirm": "Import"},
        follow=True,
    )

    assert "1 created, 2 updated" in response.content.decode()
    created = Publication.objects.get(citation_key="muller2021accents")
    versions = Version.objects.get_for_object(created)
    assert versions.count() == 1
    assert versions[0].revision.user.username == "editor"
    assert versions[0].revision.comment == "Imported from BibTeX"
