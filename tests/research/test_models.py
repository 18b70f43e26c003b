from datetime import date

import pytest

from research.models import Authorship, Person, Publication, comparable


@pytest.fixture
def paper(db):
    return Publication.objects.create(title="Deep Thoughts: A Study", date=date(2024, 2, 1))


def test_slug_comes_from_the_title_and_stays_unique(paper):
    twin = Publication.objects.create(title="Deep Thoughts: A Study", date=date(2024, 3, 1))
    assert paper.slug == "deep-thoughts-a-study"
    assert twin.slug == "deep-thoughts-a-study-2"


def test_an_old_address_redirects_permanently_to_the_new_one(client, paper):
    old_url = paper.get_absolute_url()
    paper.slug = "deep-thoughts"
    paper.save()
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == "/research/deep-thoughts/"
    assert client.get(response["Location"]).status_code == 200
    # Taking the old slug back makes it the live address again, not a redirect.
    paper.slug = "deep-thoughts-a-study"
    paper.save()
    assert client.get(old_url).status_code == 200
    assert client.get("/research/deep-thoughts/").status_code == 301


def test_unknown_slug_is_404(client, db):
    assert client.get("/research/no-such-paper/").status_code == 404


@pytest.mark.parametrize(
    "url,expected",
    [
        ("https://arxiv.org/abs/2309.12288", "2309.12288"),
        ("https://arxiv.org/abs/2309.12288v2", "2309.12288"),
        ("http://arxiv.org/pdf/hep-th/9901001v1", "hep-th/9901001"),
        ("https://arxiv.org/abs/HEP-TH/9901001", "hep-th/9901001"),
        ("https://openreview.net/forum?id=abc", ""),
    ],
)
def test_arxiv_id_is_read_from_the_link(url, expected):
    assert Publication(url=url).arxiv_id == expected


def test_querysets_hide_drafts_and_keep_author_order(paper, django_assert_num_queries):
    a, b = Person.objects.create(name="A"), Person.objects.create(name="B")
    Authorship.objects.create(publication=paper, person=b, position=2, printed_name="B. Printed")
    Authorship.objects.create(publication=paper, person=a, position=1, equal_contribution=True)
    Publication.objects.create(title="Draft", date=date(2025, 1, 1), status="draft")
    with django_assert_num_queries(3):
        papers = list(Publication.objects.published().for_listing())
        assert [p.title for p in papers] == ["Deep Thoughts: A Study"]
        assert [x.name for x in papers[0].authors] == ["A", "B. Printed"]
        assert papers[0].has_equal_contributors


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Jérémy Scheurer", "Jérémy Scheurer"),
        ("jeremy SCHEURER", "Jérémy Scheurer"),  # accents and case ignored
        ("Jeremy  Scheurer", "Jérémy Scheurer"),  # an alias, extra space ignored
        ("Tomek Korbak", "Tomasz Korbak"),  # an alias
        ("MIKITA BALESNI", "Mikita Balesni"),  # the owner, the same way
        ("Tomek Korbakowski", None),
        ("", None),
    ],
)
def test_people_are_matched_by_name_or_alias(seeded, name, expected):
    person = Person.objects.by_name().get(comparable(name))
    assert (person.name if person else None) == expected


def test_papers_are_matched_by_doi_arxiv_id_or_title(seeded):
    paper = Publication.objects.get(slug="reversal-curse")
    paper.doi = "10.48550/arXiv.2309.12288"
    paper.save()

    assert Publication.objects.matching(doi="10.48550/ARXIV.2309.12288") == paper
    assert Publication.objects.matching(arxiv_id="2309.12288") == paper
    assert Publication.objects.matching(arxiv_id="2309.1228") is None  # a prefix is not a match
    assert (
        Publication.objects.matching(
            title="the reversal curse -- LLMs trained on A is B, fail to learn B is A"
        )
        == paper
    )
    assert Publication.objects.matching(title="The Reversal Curse") is None
