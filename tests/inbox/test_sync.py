"""Merging, suggestions for updates, dismissing, failures, and the command's flags."""

import datetime

import httpx
import pytest
from django.core.management import CommandError, call_command

from inbox.accepting import accept, dismiss
from inbox.http import SourceClient
from inbox.models import CitationCount, DismissedWork, SourceStatus, Suggestion, SyncRun
from inbox.sources import FoundWork, parse_arxiv_feed, parse_openalex_works
from inbox.sync import SourceResult, SyncReport, file_suggestions, merge, run_sync
from profiles.models import Profile
from research.models import Person, Publication

from .conftest import (
    OPENALEX_NEXT_CURSOR,
    data,
    json_response,
    route_openalex,
    route_orcid,
    xml_response,
)

pytestmark = pytest.mark.django_db

RIDING = (
    "Riding the crest of the altmetrics wave: How librarians can help prepare faculty for "
    "the next generation of research impact metrics"
)
OPENALEX_PAGE = "openalex/works_filter_author_A1969205032_cursor_first_page_2022.json"
ARXIV_API = "https://export.arxiv.org/api/query"


def openalex_works():
    works, _cursor = parse_openalex_works(data(OPENALEX_PAGE))
    return works


def test_a_preprint_and_its_article_merge_into_one_work():
    merged = [m for m in merge(openalex_works()) if m.title.startswith("Riding the crest of the")]
    # "Riding the crest of the" (a 2013 stub) shares no key with the two full records.
    full = [m for m in merged if len(m.works) == 2]
    assert len(full) == 1
    work = full[0]
    assert work.doi == "10.5860/crln.74.6.8960"
    assert work.venue == "College & Research Libraries News"  # not "arXiv: Digital Libraries"
    assert work.citations == {"openalex": 23}


def test_two_arxiv_answers_about_one_paper_merge_on_the_arxiv_id():
    parse = SourceClient("arXiv").parse_xml
    single, _ = parse_arxiv_feed(
        parse(
            xml_response("arxiv/classic2016_id_list_1111.2011v2_with_doi_journal_ref.xml").content
        )
    )
    search, _ = parse_arxiv_feed(
        parse(
            xml_response(
                "arxiv/classic2016_search_au_del_maestro_AND_ti_quantum_criticality_2entries.xml"
            ).content
        )
    )
    merged = merge(single + search)
    assert len(merged) == 2
    paper = next(m for m in merged if m.arxiv_id == "1111.2011")
    assert len(paper.works) == 2 and paper.doi == "10.1103/physrevb.85.115117"
    assert paper.url == "https://doi.org/10.1103/physrevb.85.115117"


@pytest.fixture
def preprint():
    """The owner's paper as first put on the site: the arXiv version, no DOI yet."""
    return Publication.objects.create(
        title=RIDING, date=datetime.date(2013, 5, 15), venue="arXiv", url=""
    )


def test_a_preprint_on_the_site_gets_an_update_with_its_doi_and_venue(api, preprint):
    route_openalex(api)
    report = run_sync({"openalex": "A1969205032"}, sources=["openalex"])
    update = Suggestion.objects.get(kind="update")
    assert update.publication == preprint
    assert update.changes == {
        "doi": ["", "10.5860/crln.74.6.8960"],
        "venue": ["arXiv", "College & Research Libraries News"],
        "url": ["", "https://doi.org/10.5860/crln.74.6.8960"],
    }
    assert report.sources["openalex"].updates == 1
    # The same work is not also suggested as new.
    assert not Suggestion.objects.filter(kind="new", title=RIDING).exists()


def test_accepting_some_fields_declines_the_others_for_good(api, preprint):
    route_openalex(api)
    run_sync({"openalex": "A1969205032"}, sources=["openalex"])
    update = Suggestion.objects.get(kind="update")
    accept(update, fields=["doi"])
    preprint.refresh_from_db()
    assert preprint.doi == "10.5860/crln.74.6.8960" and preprint.venue == "arXiv"

    report = run_sync({"openalex": "A1969205032"}, sources=["openalex"])
    assert report.updates == 0
    assert Suggestion.objects.filter(kind="update").count() == 1


def test_a_dismissed_update_stays_dismissed(api, preprint):
    route_openalex(api)
    run_sync({"openalex": "A1969205032"}, sources=["openalex"])
    dismiss(Suggestion.objects.get(kind="update"))
    report = run_sync({"openalex": "A1969205032"}, sources=["openalex"])
    assert report.updates == 0 and not Suggestion.objects.waiting().filter(kind="update")


def test_a_new_arxiv_version_is_an_update(api):
    paper = Publication.objects.create(
        title="Quantum criticality for extended nodes on a Bethe lattice in the large "
        "connectivity limit",
        date=datetime.date(2011, 11, 8),
        venue="Phys. Rev. B 85, 115117 (2012)",
        doi="10.1103/PhysRevB.85.115117",
        url="https://arxiv.org/abs/1111.2011v1",
    )
    api.get(ARXIV_API).mock(
        return_value=xml_response("arxiv/classic2016_id_list_1111.2011v2_with_doi_journal_ref.xml")
    )
    run_sync({"arxiv": "au:del_maestro"}, sources=["arxiv"])
    update = Suggestion.objects.get(kind="update")
    assert update.publication == paper
    assert update.changes == {
        "url": ["https://arxiv.org/abs/1111.2011v1", "https://arxiv.org/abs/1111.2011v2"]
    }


def test_a_source_failing_half_way_saves_nothing_and_the_others_still_run(api):
    pages = api.get("https://api.openalex.org/works")
    pages.side_effect = lambda request: (
        httpx.Response(500)
        if request.url.params["cursor"] == OPENALEX_NEXT_CURSOR
        else json_response(OPENALEX_PAGE)
    )
    api.get(ARXIV_API).mock(
        return_value=xml_response(
            "arxiv/classic2016_search_au_del_maestro_AND_ti_quantum_criticality_2entries.xml"
        )
    )
    report = run_sync(
        {"openalex": "A1969205032", "arxiv": "au:del_maestro"}, sources=["openalex", "arxiv"]
    )
    assert [s.sources for s in Suggestion.objects.all()] == [["arxiv"], ["arxiv"]]
    assert Suggestion.objects.count() == 2
    assert report.summary() == (
        "2 new works and 0 updates found (arxiv 2 new, 0 updates). "
        "Failed: openalex (HTTP 500 (gave up after 4 tries))."
    )
    status = SourceStatus.objects.get(source="openalex")
    assert status.failing and "HTTP 500" in status.last_error


def test_a_failed_citation_refresh_keeps_the_last_counts(api):
    paper = Publication.objects.create(
        title="Data reuse and the open data citation advantage",
        date=datetime.date(2013, 10, 1),
        doi="10.7717/peerj.175",
    )
    route_openalex(api)
    run_sync({"openalex": "A1969205032"}, sources=["openalex"])
    count = CitationCount.objects.get(publication=paper)
    assert (count.source, count.count) == ("openalex", 315)

    api.routes.clear()
    api.get("https://api.openalex.org/works").mock(
        return_value=httpx.Response(200, content=b'{"meta": {"count": 50}, "results": [{"id"')
    )
    report = run_sync({"openalex": "A1969205032"}, sources=["openalex"])
    assert "not valid JSON" in report.failed["openalex"]
    assert CitationCount.objects.get(publication=paper).count == 315
    assert SourceStatus.objects.get(source="openalex").failing


def test_dry_run_prints_and_saves_nothing(api, capsys):
    Profile.objects.create(name="Heather Piwowar", openalex_id="A1969205032")
    route_openalex(api)
    call_command("sync_papers", "--source", "openalex", "--dry-run")
    out = capsys.readouterr().out.splitlines()
    assert (
        "new work: The state of OA: a large-scale analysis of the prevalence and impact of "
        "Open Access articles" in out
    )
    assert out[-1].startswith("24 new works and 0 updates found (openalex 24 new, 0 updates).")
    assert not Suggestion.objects.exists()
    assert not SyncRun.objects.exists() and not SourceStatus.objects.exists()


def test_flags_override_the_profile(api, capsys):
    Profile.objects.create(name="Someone", openalex_id="A5023888391")
    route = route_openalex(api, author="A1969205032")
    call_command("sync_papers", "--openalex", "A1969205032", "--source", "openalex")
    assert route.called
    assert SyncRun.objects.get().summary.startswith("24 new works")


def test_a_failed_source_makes_the_command_fail_after_its_summary(api, capsys):
    Profile.objects.create(name="Di Xu", dblp_pid="95/7448-1")
    api.get("https://dblp.org/pid/95/7448-1.xml").mock(
        return_value=httpx.Response(503, headers={"Retry-After": "1"})
    )
    with pytest.raises(CommandError, match="1 source"):
        call_command("sync_papers", "--source", "dblp")
    last = capsys.readouterr().out.splitlines()[-1]
    assert last == (
        "0 new works and 0 updates found. Failed: dblp (HTTP 503 (gave up after 4 tries))."
    )


def test_unknown_source_is_refused():
    with pytest.raises(CommandError, match="Unknown source scholar"):
        call_command("sync_papers", "--source", "openalex,scholar")


def test_a_dismissed_work_is_not_suggested_by_another_source(api):
    """Dismissed from OpenAlex's answer; the same DOI from Crossref, spelt as a link, is skipped."""
    route_openalex(api)
    run_sync({"openalex": "A1969205032"}, sources=["openalex"])
    dismiss(Suggestion.objects.get(doi="10.7717/peerj.175"))
    assert DismissedWork.objects.filter(key="doi:10.7717/peerj.175").exists()

    report = SyncReport(sources={"crossref": SourceResult()})
    crossref_record = FoundWork(
        source="crossref",
        title="Data reuse and the open data citation advantage",
        doi="https://doi.org/10.7717/PEERJ.175",
    )
    file_suggestions(merge([crossref_record]), report, dry_run=False)
    assert report.new == 0
    assert Suggestion.objects.filter(doi="10.7717/peerj.175").get().status == "dismissed"


def test_a_work_only_orcid_lists_is_accepted_with_the_owner_as_author(api):
    owner = Person.objects.create(name="Peter Binfield", is_owner=True)
    route_orcid(api, "0000-0002-9341-7985", "orcid/works_0000-0002-9341-7985.json")
    run_sync({"orcid": "0000-0002-9341-7985"}, sources=["orcid"])
    suggestion = Suggestion.objects.get(doi="10.3233/isu-130714")
    assert suggestion.authors == [] and suggestion.sources == ["orcid"]
    paper = accept(suggestion, status=Publication.Status.PUBLISHED)
    assert [a.person for a in paper.authors] == [owner]
    assert paper.url == "https://doi.org/10.3233/isu-130714"
