"""Co-author pages (/research/with/<slug>/) and the profile switch that links them."""

import datetime

import pytest
from bs4 import BeautifulSoup

from profiles.models import Profile
from research.models import Person, Publication


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def titles(response):
    return [h.get_text(" ", strip=True) for h in soup(response).select("li.paper h3.title a")]


@pytest.fixture
def papers(make_paper):
    Profile.objects.create(name="Owen Owner")
    Person.objects.create(name="Owen Owner", is_owner=True)
    make_paper(
        "With Ada, old",
        authors=("Ada Lovelace", "Owen Owner"),
        date=datetime.date(2022, 1, 1),
        highlighted=True,
    )
    make_paper("With Ada, new", authors=("Owen Owner", "Ada Lovelace*", "Alan Turing"))
    make_paper("Ada without the owner", authors=("Ada Lovelace", "Grace Hopper"))
    make_paper(
        "With Ada, draft",
        authors=("Owen Owner", "Ada Lovelace"),
        status=Publication.Status.DRAFT,
    )


def test_a_coauthor_page_lists_the_papers_written_together(client, papers):
    ada = Person.objects.get(name="Ada Lovelace")
    assert ada.slug == "ada-lovelace"
    response = client.get("/research/with/ada-lovelace/")
    assert titles(response) == ["With Ada, new", "With Ada, old"]
    page = soup(response)
    assert page.h1.get_text() == "Papers with Ada Lovelace"
    assert "2 papers by Owen Owner and Ada Lovelace" in page.select_one(".subtitle").get_text()
    assert page.select_one(".equal-contribution")  # "* equal contribution"


def test_coauthor_pages_that_do_not_exist_are_404(client, papers):
    assert client.get("/research/with/nobody/").status_code == 404
    assert client.get("/research/with/owen-owner/").status_code == 404  # the owner
    assert client.get("/research/with/grace-hopper/").status_code == 404  # never with the owner


def test_names_link_to_coauthor_pages_only_when_the_owner_turns_it_on(client, papers):
    def author_links(url):
        return {
            a.get_text(): a["href"] for a in soup(client.get(url)).select("li.paper .authors a")
        }

    assert author_links("/") == {}
    assert author_links("/research/") == {}

    profile = Profile.load()
    profile.link_coauthors = True
    profile.save()

    assert author_links("/") == {"Ada Lovelace": "/research/with/ada-lovelace/"}
    links = author_links("/research/")
    assert links["Ada Lovelace*"] == "/research/with/ada-lovelace/"
    assert links["Alan Turing"] == "/research/with/alan-turing/"
    assert "Owen Owner" not in links  # the owner's own name stays plain (bold)
    assert client.get(links["Alan Turing"]).status_code == 200


def test_a_renamed_person_keeps_their_address_unless_it_is_changed(client, papers):
    ada = Person.objects.get(name="Ada Lovelace")
    ada.name = "Ada King"
    ada.save()
    assert soup(client.get("/research/with/ada-lovelace/")).h1.get_text() == "Papers with Ada King"
    twin = Person.objects.create(name="Ada Lovelace")
    assert twin.slug == "ada-lovelace-2"
