"""The people admin: merging spellings of one person, and the likely-duplicates filter."""

import datetime

import pytest
from bs4 import BeautifulSoup
from reversion.models import Version

from research.bibtex_import import parse_bibtex, run_import
from research.models import Person, Publication
from tests.forms import form_data

PEOPLE_URL = "/admin/research/person/"


@pytest.fixture
def spellings(db):
    """The owner and two spellings of them made by earlier imports, each on a paper."""
    owner = Person.objects.create(name="Kyle A. Oman", is_owner=True)
    short = Person.objects.create(name="K. A. Oman", homepage="https://oman.example.org")
    reversed_ = Person.objects.create(name="Oman, K.", aliases="Kyle Oman")
    navarro = Person.objects.create(name="Julio Navarro")
    papers = []
    for title, people in [
        ("Dwarf galaxies", [owner, navarro]),
        ("Rotation curves", [navarro, short]),
        ("Cusps and cores", [reversed_]),
    ]:
        paper = Publication.objects.create(title=title, date=datetime.date(2020, 1, 1))
        paper.set_authors(people)
        papers.append(paper)
    return owner, short, reversed_, navarro, papers


def merge(editor_client, people, keep=None):
    data = {"action": "merge_people", "_selected_action": [str(p.pk) for p in people]}
    page = editor_client.post(PEOPLE_URL, data)
    assert page.status_code == 200
    confirm = form_data(page.content.decode(), "merge-form")
    confirm["_selected_action"] = [str(p.pk) for p in people]
    if keep is not None:
        confirm["keep"] = str(keep.pk)
    confirm["confirm"] = "Merge"
    return page, editor_client.post(PEOPLE_URL, confirm, follow=True)


def test_merge_moves_papers_keeps_spellings_and_records_history(editor_client, spellings):
    owner, short, reversed_, navarro, papers = spellings
    page, done = merge(editor_client, [owner, short, reversed_])
    choices = BeautifulSoup(page.content, "html.parser").select("input[name=keep]")
    # The owner is offered first and chosen by default.
    assert choices[0]["value"] == str(owner.pk) and choices[0].has_attr("checked")
    assert "Merged K. A. Oman, Oman, K. into Kyle A. Oman" in done.content.decode()

    assert list(Person.objects.filter(name__contains="Oman")) == [owner]
    owner.refresh_from_db()
    assert owner.is_owner
    assert owner.alias_list == ["K. A. Oman", "Oman, K.", "Kyle Oman"]
    assert owner.homepage == "https://oman.example.org"
    by_title = {
        p.title: [(a.name, a.person.name) for a in p.authors]
        for p in Publication.objects.for_listing()
    }
    assert by_title == {
        "Dwarf galaxies": [("Kyle A. Oman", "Kyle A. Oman"), ("Julio Navarro", "Julio Navarro")],
        "Rotation curves": [("Julio Navarro", "Julio Navarro"), ("K. A. Oman", "Kyle A. Oman")],
        "Cusps and cores": [("Oman, K.", "Kyle A. Oman")],
    }
    # The owner is bold on all three papers now.
    home = BeautifulSoup(editor_client.get("/research/").content, "html.parser")
    assert sorted(b.get_text() for b in home.select(".authors b")) == [
        "K. A. Oman",
        "Kyle A. Oman",
        "Oman, K.",
    ]
    # In the version history, and the people merged away can be recovered.
    assert Version.objects.get_for_object(owner).first().revision.comment.startswith("Merged")
    deleted = {v.object_repr for v in Version.objects.get_deleted(Person)}
    assert deleted == {"K. A. Oman", "Oman, K."}


def test_merge_keeps_the_person_chosen(editor_client, spellings):
    owner, short, reversed_, navarro, papers = spellings
    merge(editor_client, [short, reversed_], keep=reversed_)
    assert not Person.objects.filter(pk=short.pk).exists()
    reversed_.refresh_from_db()
    assert reversed_.alias_list == ["Kyle Oman", "K. A. Oman"]
    assert [a.name for a in Publication.objects.get(title="Rotation curves").authors] == [
        "Julio Navarro",
        "K. A. Oman",
    ]


def test_a_paper_listing_both_is_a_clear_error_and_nothing_changes(editor_client, spellings):
    owner, short, reversed_, navarro, papers = spellings
    _page, done = merge(editor_client, [navarro, short])
    assert "Not merged" in done.content.decode()
    assert "“Rotation curves”" in done.content.decode()
    assert Person.objects.filter(pk__in=[navarro.pk, short.pk]).count() == 2
    assert [a.person for a in Publication.objects.get(title="Rotation curves").authors] == [
        navarro,
        short,
    ]


def test_merged_names_are_recognised_on_reimport(editor_client, spellings):
    owner, short, reversed_, navarro, papers = spellings
    merge(editor_client, [owner, short, reversed_])
    run_import(parse_bibtex("@article{x, title={New}, year=2021, author={Oman, K. A.}}"))
    assert Publication.objects.get(title="New").authors[0].person == owner


def test_likely_duplicates_filter(editor_client, spellings):
    Person.objects.create(name="Jane Oman")  # same family name, other given name
    Person.objects.create(name="Kyle Smith")
    page = editor_client.get(PEOPLE_URL, {"duplicates": "yes"})
    names = [
        a.get_text()
        for a in BeautifulSoup(page.content, "html.parser").select("#result_list tbody th a")
    ]
    assert sorted(n for n in names if n) == ["K. A. Oman", "Kyle A. Oman", "Oman, K."]


def test_merging_one_person_asks_for_more(editor_client, spellings):
    owner = spellings[0]
    done = editor_client.post(
        PEOPLE_URL, {"action": "merge_people", "_selected_action": [str(owner.pk)]}, follow=True
    )
    assert "Select two or more people to merge." in done.content.decode()
