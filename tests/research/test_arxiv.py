"""The arXiv import, on saved API responses: no test here touches the network."""

import datetime
import io
import urllib.error
from pathlib import Path

import pytest

from research import arxiv
from research.models import Person, Publication

DATA = Path(__file__).parent / "data"


def saved(name):
    return (DATA / name).read_bytes()


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any attempt to open a URL fails the test (tests that fake arXiv patch over this)."""

    def refuse(*args, **kwargs):
        raise AssertionError("the network was used")

    monkeypatch.setattr(arxiv.urllib.request, "urlopen", refuse)


def test_new_style_response_is_read():
    paper = arxiv.parse_feed(saved("arxiv_2309.12288v2.xml"))

    assert paper.arxiv_id == "2309.12288"
    assert paper.title == 'The Reversal Curse: LLMs trained on "A is B" fail to learn "B is A"'
    assert paper.authors == [
        "Lukas Berglund",
        "Meg Tong",
        "Max Kaufmann",
        "Mikita Balesni",
        "Asa Cooper Stickland",
        "Tomasz Korbak",
        "Owain Evans",
    ]
    # The first version's date, and the abstract on one line.
    assert paper.published == datetime.date(2023, 9, 21)
    assert paper.abstract.startswith("We expose a surprising failure of generalization in auto")
    assert "\n" not in paper.abstract
    assert paper.abs_url == "https://arxiv.org/abs/2309.12288"
    assert paper.pdf_url == "https://arxiv.org/pdf/2309.12288"


def test_old_style_response_is_read():
    paper = arxiv.parse_feed(saved("arxiv_hep-th_9711200.xml"))

    assert paper.arxiv_id == "hep-th/9711200"
    assert paper.title == "The Large N Limit of Superconformal Field Theories and Supergravity"
    assert paper.authors == ["Juan M. Maldacena"]
    assert paper.published == datetime.date(1997, 11, 27)
    assert paper.doi == "10.1023/A:1026654312961"
    assert paper.journal_ref == "Adv.Theor.Math.Phys.2:231-252,1998"
    assert paper.abs_url == "https://arxiv.org/abs/hep-th/9711200"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (saved("arxiv_error.xml"), "incorrect id format for 2309.99999999"),
        (saved("arxiv_empty.xml"), "no paper with this ID"),
        (b"<html><body>Service unavailable</body>", "not valid XML"),
        (
            b'<?xml version="1.0"?><!DOCTYPE f [<!ENTITY a "aaaa">]><feed>&a;</feed>',
            "could not be read safely",
        ),
    ],
)
def test_errors_and_empty_answers_are_explained(content, message):
    with pytest.raises(arxiv.ArxivError, match=message):
        arxiv.parse_feed(content)


def test_fetch_asks_the_api_for_the_id_with_a_timeout(monkeypatch):
    asked = {}

    def fake_urlopen(request, timeout):
        asked["url"], asked["timeout"] = request.full_url, timeout
        return io.BytesIO(saved("arxiv_2309.12288v2.xml"))

    monkeypatch.setattr(arxiv.urllib.request, "urlopen", fake_urlopen)

    paper = arxiv.fetch_entry("https://arxiv.org/abs/2309.12288v2")

    assert asked["url"].startswith("https://export.arxiv.org/api/query?")
    assert "id_list=2309.12288v2" in asked["url"]
    assert asked["timeout"] <= 15
    assert paper.title.startswith("The Reversal Curse")


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (urllib.error.URLError("Name or service not known"), "Could not reach arXiv"),
        (TimeoutError("timed out"), "Could not reach arXiv"),
        (urllib.error.HTTPError(arxiv.API_URL, 503, "busy", {}, None), "HTTP 503"),
    ],
)
def test_network_failures_become_clear_errors(monkeypatch, error, message):
    def failing_urlopen(request, timeout):
        raise error

    monkeypatch.setattr(arxiv.urllib.request, "urlopen", failing_urlopen)
    with pytest.raises(arxiv.ArxivError, match=message):
        arxiv.fetch_entry("2309.12288")


def test_draft_is_created_with_people_matched(seeded, no_network, client):
    Publication.objects.filter(slug="reversal-curse").delete()
    people = Person.objects.count()

    draft = arxiv.create_draft(arxiv.parse_feed(saved("arxiv_2309.12288v2.xml")))

    assert draft.status == Publication.Status.DRAFT
    assert draft.title.startswith("The Reversal Curse")
    assert draft.date == datetime.date(2023, 9, 21)
    assert draft.url == "https://arxiv.org/abs/2309.12288"
    assert draft.pdf_url == "https://arxiv.org/pdf/2309.12288"
    assert draft.abstract.startswith("We expose")
    assert [(a.name, a.is_owner) for a in draft.authors][2:5] == [
        ("Max Kaufmann", False),
        ("Mikita Balesni", True),
        ("Asa Cooper Stickland", False),
    ]
    assert Person.objects.count() == people  # all seven were known already
    # A draft stays hidden from visitors until the editor publishes it.
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_draft_adds_unknown_authors_as_people(db, no_network):
    draft = arxiv.create_draft(arxiv.parse_feed(saved("arxiv_hep-th_9711200.xml")))

    assert [a.person.name for a in draft.authors] == ["Juan M. Maldacena"]
    assert draft.venue == "Adv.Theor.Math.Phys.2:231-252,1998"
    assert draft.doi == "10.1023/A:1026654312961"
    assert draft.arxiv_id == "hep-th/9711200"
