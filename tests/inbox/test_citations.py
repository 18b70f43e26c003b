"""Citation counts on the public pages: off by default, the preferred source, totals, drafts."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inbox.citations import h_index
from inbox.models import CitationCount
from inbox.sync import run_sync
from profiles.models import Profile
from research.models import Publication

from .conftest import route_openalex

pytestmark = pytest.mark.django_db


@pytest.fixture
def counted(api):
    """Two of Heather Piwowar's papers on the site, counted from the recorded OpenAlex answer."""
    profile = Profile.objects.create(name="Heather Piwowar", openalex_id="A1969205032")
    papers = [
        Publication.objects.create(
            title="Data reuse and the open data citation advantage",
            date=datetime.date(2013, 10, 1),
            doi="10.7717/peerj.175",
        ),
        Publication.objects.create(
            title="Altmetrics: Value all research products",
            date=datetime.date(2013, 1, 10),
            doi="10.1038/493159a",
        ),
    ]
    route_openalex(api)
    run_sync({"openalex": "A1969205032"}, sources=["openalex"])
    return profile, papers


def citation_lines(html):
    return [p.get_text() for p in BeautifulSoup(html, "html.parser").select("p.citations")]


def test_counts_are_stored_with_source_and_date(counted):
    _profile, (reuse, altmetrics) = counted
    today = datetime.date.today()
    assert [(c.source, c.count, c.fetched) for c in reuse.citation_counts.all()] == [
        ("openalex", 315, today)
    ]
    assert altmetrics.citation_counts.get().count == 296


def test_pages_show_no_counts_unless_the_owner_asks(client, counted):
    _profile, (reuse, _) = counted
    assert citation_lines(client.get("/research/").content) == []
    assert citation_lines(client.get(reuse.get_absolute_url()).content) == []


def test_research_and_paper_pages_print_the_count_as_plain_text(client, counted):
    profile, (reuse, _) = counted
    profile.show_citations = True
    profile.save()
    today = datetime.date.today().isoformat()
    assert citation_lines(client.get("/research/").content) == [
        f"cited by 315 · OpenAlex, {today}",
        f"cited by 296 · OpenAlex, {today}",
    ]
    page = client.get(reuse.get_absolute_url())
    assert citation_lines(page.content) == [f"cited by 315 · OpenAlex, {today}"]
    assert b'<script src="http' not in page.content


def test_the_preferred_source_wins_where_it_has_a_count(client, counted):
    profile, (reuse, altmetrics) = counted
    CitationCount.objects.create(
        publication=reuse, source="crossref", count=1234, fetched=datetime.date(2026, 11, 30)
    )
    profile.show_citations = True
    profile.citation_source = "crossref"
    profile.save()
    lines = citation_lines(client.get("/research/").content)
    assert lines[0] == "cited by 1,234 · Crossref, 2026-11-30"
    assert lines[1].startswith("cited by 296 · OpenAlex")  # no Crossref count for this one


def test_totals_and_h_index(client, counted):
    profile, _papers = counted
    profile.show_citations = profile.show_citation_totals = True
    profile.save()
    totals = BeautifulSoup(client.get("/research/").content, "html.parser").select_one(
        "p.citation-totals"
    )
    assert totals.get_text() == "Cited 611 times in total · h-index 2"
    assert h_index([10, 8, 5, 4, 3]) == 4 and h_index([0]) == 0 and h_index([]) == 0


def test_drafts_counts_are_not_shown_or_totalled(client, counted):
    profile, (reuse, _) = counted
    reuse.status = Publication.Status.DRAFT
    reuse.save()
    profile.show_citations = profile.show_citation_totals = True
    profile.save()
    html = client.get("/research/").content
    assert [line.split(" ·")[0] for line in citation_lines(html)] == ["cited by 296"]
    assert b"Cited 296 times in total" in html


def test_counts_cost_one_query_per_page_however_many_papers(client, counted):
    profile, (reuse, _) = counted
    profile.show_citations = profile.show_citation_totals = True
    profile.save()

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/research/").status_code == 200
        return len(captured)

    # Both counts after an edit of a paper: what pages keep between edits of papers
    # (the profile, the menu, pagecache.freshness) is read in neither.
    client.get("/research/")
    reuse.save()
    few = queries()
    for n in range(5):
        paper = Publication.objects.create(title=f"Paper {n}", date=datetime.date(2020, 1, 1))
        CitationCount.objects.create(publication=paper, source="openalex", count=n)
    assert len(citation_lines(client.get("/research/").content)) == 7
    # A change of content, so the next answer is rendered again, not cached.
    reuse.save()
    assert queries() == few
