"""Finding a paper on /research/: the search box and the filters (a plain GET form).

These run on whichever database the suite runs on: SQLite (FTS5) by default, and
PostgreSQL's full-text search when CI runs the suite again with DATABASE_URL.
"""

import datetime
import io
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.db import connection

from profiles.models import Profile
from research.models import Person, Publication
from research.search import highlight


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def titles(response):
    return [h.get_text(" ", strip=True) for h in soup(response).select("li.paper h3.title a")]


def count_line(response):
    line = soup(response).select_one(".result-count")
    return line.get_text(" ", strip=True) if line else None


@pytest.fixture
def library(make_paper):
    Person.objects.create(name="Owen Owner", is_owner=True)
    make_paper(
        "Taken out of context",
        authors=("Owen Owner", "Jérémy Scheurer*", "Ada Lovelace"),
        venue="ICLR 2024",
        tags=["situational awareness"],
        abstract="We measure out-of-context reasoning in large language models.",
        date=datetime.date(2023, 9, 1),
    )
    make_paper(
        "The reversal curse",
        authors=("Owen Owner", "Alan Turing"),
        venue="Journal of Machine Learning Research",
        tags=["generalization"],
        abstract="Models trained on “A is B” fail to learn “B is A”.",
        date=datetime.date(2024, 5, 1),
    )
    make_paper(
        "Tell me about yourself",
        authors=("Owen Owner", "Ada Lovelace"),
        venue="",
        url="https://arxiv.org/abs/2501.11120",
        tags=["situational awareness"],
        date=datetime.date(2025, 1, 1),
    )
    make_paper(
        "A hidden draft about context",
        authors=("Owen Owner", "Jérémy Scheurer"),
        status=Publication.Status.DRAFT,
        date=datetime.date(2024, 6, 1),
    )


def test_the_form_is_a_plain_get_form_with_every_filter(client, library):
    form = soup(client.get("/research/")).select_one("form.find-papers")
    assert form["method"] == "get"
    assert form["action"] == "/research/"
    names = [field["name"] for field in form.select("input, select")]
    assert names == ["q", "year", "tag", "author", "venue", "kind"]
    assert form.select_one("button[type=submit]")
    # Every control has a label.
    for field in form.select("input, select"):
        assert form.select_one(f'label[for="{field["id"]}"]')
    years = [o.get_text() for o in form.select("select[name=year] option")]
    assert years == ["Any", "2025", "2024", "2023"]  # not 2024's draft twice, newest first
    people = [o.get_text() for o in form.select("select[name=author] option")]
    assert people == ["Any", "Ada Lovelace", "Alan Turing", "Jérémy Scheurer"]  # not the owner
    kinds = {o["value"]: o.get_text() for o in form.select("select[name=kind] option")}
    assert kinds == {
        "": "Any",
        "conference": "Conference or workshop paper",
        "journal": "Journal article",
        "preprint": "Preprint",
    }


def test_search_ignores_accents_and_case_and_highlights(client, library):
    response = client.get("/research/?q=jeremy")
    assert titles(response) == ["Taken out of context"]
    assert count_line(response) == "1 paper found."
    marks = [m.get_text() for m in soup(response).select("li.paper mark")]
    assert marks == ["Jérémy"]
    # The box keeps what was typed.
    assert soup(response).select_one("input[name=q]")["value"] == "jeremy"
    assert titles(client.get("/research/?q=JÉRÉMY")) == ["Taken out of context"]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("reversal", ["The reversal curse"]),  # title
        ("turing", ["The reversal curse"]),  # author
        ("machine learning research", ["The reversal curse"]),  # venue
        ("out-of-context reasoning", ["Taken out of context"]),  # abstract
        ("situational", ["Tell me about yourself", "Taken out of context"]),  # tag
        ("lovelace context", ["Taken out of context"]),  # every word must match
        ("conte", ["Taken out of context"]),  # words match as prefixes
        ("nothing-like-this", []),
    ],
)
def test_search_covers_title_authors_venue_abstract_and_tags(client, library, query, found):
    assert titles(client.get("/research/", {"q": query})) == found


def test_drafts_are_never_found(client, library):
    assert titles(client.get("/research/?q=hidden")) == []
    assert titles(client.get("/research/?q=scheurer")) == ["Taken out of context"]
    assert titles(client.get("/research/?year=2024")) == ["The reversal curse"]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("year=2023", ["Taken out of context"]),
        ("tag=situational-awareness", ["Tell me about yourself", "Taken out of context"]),
        ("author=ada-lovelace", ["Tell me about yourself", "Taken out of context"]),
        ("venue=ICLR+2024", ["Taken out of context"]),
        ("kind=preprint", ["Tell me about yourself"]),
        ("kind=journal", ["The reversal curse"]),
        ("author=ada-lovelace&year=2025", ["Tell me about yourself"]),
        ("q=awareness&kind=conference", ["Taken out of context"]),
    ],
)
def test_filters(client, library, query, found):
    response = client.get(f"/research/?{query}")
    assert titles(response) == found
    assert count_line(response) == f"{len(found)} paper{'s' if len(found) != 1 else ''} found."


def test_a_filtered_page_is_linkable_and_shows_the_chosen_filters(client, library):
    page = soup(client.get("/research/?tag=generalization&q=curse"))
    assert page.select_one("select[name=tag] option[selected]")["value"] == "generalization"
    assert page.select_one("select[name=year] option[selected]") is None
    clear = page.find("a", string="Clear filters")
    assert clear["href"] == "/research/"


def test_an_empty_result_says_so_and_offers_to_clear_the_filters(client, library):
    response = client.get("/research/?q=quantum+gravity&year=2024")
    assert titles(response) == []
    line = soup(response).select_one(".result-count")
    assert line.get_text(" ", strip=True).startswith("No papers match these filters.")
    assert line.find("a")["href"] == "/research/"
    assert "No papers yet" not in response.content.decode()


def test_unknown_filter_values_are_ignored(client, library):
    everything = titles(client.get("/research/"))
    assert len(everything) == 3
    assert titles(client.get("/research/?year=1850&tag=nope&author=nobody&kind=x")) == everything
    assert count_line(client.get("/research/?year=banana")) is None


def test_edits_are_found_on_the_next_search(client, library):
    paper = Publication.objects.get(title="The reversal curse")
    paper.title = "The reversal curse: quokkas"
    paper.save()
    assert titles(client.get("/research/?q=quokka")) == ["The reversal curse: quokkas"]

    person = Person.objects.get(name="Alan Turing")
    person.name = "Alan Mathison Turing"
    person.save()
    assert titles(client.get("/research/?q=mathison")) == ["The reversal curse: quokkas"]

    paper.tags.add("wombats")
    assert titles(client.get("/research/?q=wombat")) == ["The reversal curse: quokkas"]
    paper.tags.remove("wombats")
    assert titles(client.get("/research/?q=wombat")) == []

    paper.delete()
    assert titles(client.get("/research/?q=curse")) == []


def test_papers_added_in_bulk_are_found(client, many_papers):
    Profile.objects.create(name="Owner")
    papers = many_papers(30)
    assert titles(client.get("/research/?q=finding+number+17")) == [papers[17].title]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 index is SQLite's")
def test_sqlite_searches_its_fts5_index(client, library):
    client.get("/research/?q=jeremy")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid FROM research_publication_fts WHERE research_publication_fts "
            "MATCH 'jeremy'"
        )
        rows = {row[0] for row in cursor.fetchall()}
    # Drafts are indexed too (editors' searches could use them); pages filter them out.
    assert rows == set(
        Publication.objects.filter(authorships__person__name="Jérémy Scheurer").values_list(
            "pk", flat=True
        )
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's full-text search")
def test_postgresql_uses_its_full_text_search(client, library):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert titles(client.get("/research/?q=jeremy")) == ["Taken out of context"]
    assert any("to_tsvector" in q["sql"] and "to_tsquery" in q["sql"] for q in queries)


def test_highlight_leaves_markup_and_entities_alone():
    html = '<a href="/jeremy/" title="amp">Jérémy &amp; ampere</a>'
    assert highlight(html, ["jeremy", "amp"]) == (
        '<a href="/jeremy/" title="amp"><mark>Jérémy</mark> &amp; <mark>ampere</mark></a>'
    )


ALFOLIO_EXAMPLE = Path(__file__).parent.parent / "data" / "bibtex" / "alshedivat-papers.bib"


@pytest.fixture
def alfolio_example(db):
    """al-folio's own example papers.bib (owner Albert Einstein), imported as a user would."""
    Profile.objects.create(name="Albert Einstein")
    call_command(
        "import_bibtex", str(ALFOLIO_EXAMPLE), owner="Albert Einstein", stdout=io.StringIO()
    )


def test_search_and_filters_on_al_folios_own_example(client, alfolio_example):
    # "uber" finds the two German titles, written {\"U}ber in the file.
    found = titles(client.get("/research/?q=uber"))
    assert len(found) == 2
    assert all(title.startswith("Über") for title in found)
    # "relativity" is in two titles; "schrodinger" is an author of one paper only.
    assert len(titles(client.get("/research/?q=relativity"))) == 2
    assert titles(client.get("/research/?q=schrodinger")) == ["Letters on wave mechanics"]
    assert count_line(client.get("/research/?q=schrodinger")) == "1 paper found."
    # Podolsky, a co-author of the EPR paper, is offered as a co-author filter and has a page.
    podolsky = Person.objects.get(name__contains="Podolsky")
    epr = "Can Quantum-Mechanical Description of Physical Reality Be Considered Complete?"
    assert titles(client.get(f"/research/?author={podolsky.slug}")) == [epr]
    assert titles(client.get(f"/research/with/{podolsky.slug}/")) == [epr]
