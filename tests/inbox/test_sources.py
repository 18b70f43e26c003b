"""Each source read from its real recorded answers, paged to the end, and its errors."""

import datetime

import httpx
import pytest

from inbox.http import SourceError
from inbox.sources import (
    Arxiv,
    Crossref,
    Dblp,
    OpenAlex,
    Orcid,
    SemanticScholar,
    parse_openalex_work,
)

from .conftest import body, data, json_response, route_openalex, xml_response

S2_PAPERS = "https://api.semanticscholar.org/graph/v1/author/1723755/papers"


def test_orcid_lists_each_group_once_with_its_doi_and_journal(api):
    route = api.get("https://pub.orcid.org/v3.0/0000-0002-9341-7985/works").mock(
        return_value=json_response("orcid/works_0000-0002-9341-7985.json")
    )
    works = Orcid().fetch("0000-0002-9341-7985")
    assert route.calls.last.request.headers["Accept"] == "application/json"
    assert len(works) == len(data("orcid/works_0000-0002-9341-7985.json")["group"])
    first = works[0]
    assert (
        first.title
        == "PeerJ - A case study in improving research collaboration at the journal level"
    )
    assert first.doi == "10.3233/isu-130714"
    assert all(w.source == "orcid" and w.title for w in works)


def test_orcid_404_is_reported_by_name(api):
    api.get("https://pub.orcid.org/v3.0/0000-0002-1825-0097/works").mock(
        return_value=json_response("orcid/person_invalid_id_404.json", 404)
    )
    with pytest.raises(SourceError, match="^ORCID: HTTP 404"):
        Orcid().fetch("0000-0002-1825-0097")


def test_openalex_follows_the_cursor_to_the_end(api, settings):
    settings.PAPER_SOURCES_EMAIL = "owner@example.org"
    route = route_openalex(api)
    works = OpenAlex().fetch("A1969205032")
    assert route.call_count == 2
    assert route.calls[0].request.url.params["mailto"] == "owner@example.org"
    assert len(works) == 25
    state = next(w for w in works if w.doi == "10.7717/peerj.4375")
    assert state.venue == "PeerJ" and state.citations == 394
    assert state.date == datetime.date(2018, 2, 13)
    assert state.authors[:2] == ["Heather A. Piwowar", "Jason Priem"]


def test_openalex_two_page_cursor_walk(api):
    pages = [
        json_response("openalex/works_filter_doi_two_dois_cursor_page1_2022.json"),
        json_response("openalex/works_filter_doi_two_dois_cursor_end_empty_2022.json"),
    ]
    route = api.get("https://api.openalex.org/works").mock(side_effect=pages)
    works = OpenAlex().fetch("A1969205032")
    assert route.call_count == 2
    first_cursor = data("openalex/works_filter_doi_two_dois_cursor_page1_2022.json")["meta"][
        "next_cursor"
    ]
    assert route.calls[1].request.url.params["cursor"] == first_cursor
    assert {w.doi for w in works} == {
        "10.1371/journal.pone.0266781",
        "10.1371/journal.pone.0267149",
    }


def test_openalex_current_schema_work():
    work = parse_openalex_work(data("openalex/work_W2741809807_2025.json"))
    assert work.venue == "PeerJ"
    assert work.doi == "10.7717/peerj.4375"
    assert work.abstract.startswith("Despite growing interest in Open Access")


def test_openalex_base_url_comes_from_the_setting(api, settings):
    settings.OPENALEX_API_URL = "http://mirror.test/openalex"
    route = api.get("http://mirror.test/openalex/works").mock(
        return_value=json_response("openalex/works_filter_doi_two_dois_cursor_end_empty_2022.json")
    )
    assert OpenAlex().fetch("A1969205032") == []
    assert route.called


def test_semantic_scholar_pages_to_the_end_one_request_per_second(api, waits):
    def page(request):
        offset = int(request.url.params["offset"])
        return json_response(f"semanticscholar/author_1723755_papers_title_offset{offset}.json")

    route = api.get(S2_PAPERS).mock(side_effect=page)
    works = SemanticScholar(clock=lambda: 0.0).fetch("1723755")
    assert [int(c.request.url.params["offset"]) for c in route.calls] == list(range(0, 900, 100))
    assert len(works) == 875
    # Without an API key: one request per second, so each later page waited.
    assert waits == [1.0] * 8


def test_semantic_scholar_citation_counts_and_ids(api):
    full = api.get(S2_PAPERS, params={"offset": "0"}).mock(
        return_value=json_response(
            "semanticscholar/author_1723755_papers_offset0_limit100_fullfields.json"
        )
    )
    # The recorded full page points at offset 100; the last recorded page ends the walk.
    last = api.get(S2_PAPERS, params={"offset": "100"}).mock(
        return_value=json_response("semanticscholar/author_1723755_papers_title_offset800.json")
    )
    works = SemanticScholar().fetch("1723755")
    first = works[0]
    assert first.title == "SARS-CoV-2 hijacks p38β/MAPK11 to promote virus replication"
    assert first.doi == "10.1128/mbio.01007-23" and first.citations == 1
    assert first.venue == "mBio" and first.date == datetime.date(2023, 6, 22)
    assert "L. Cantley" in first.authors
    assert full.call_count == 1 and last.call_count == 1
    assert len(works) == 100 + 75


def test_semantic_scholar_unknown_author(api):
    api.get("https://api.semanticscholar.org/graph/v1/author/0/papers").mock(
        return_value=json_response("semanticscholar/author_0_404.json", 404)
    )
    with pytest.raises(SourceError, match="^Semantic Scholar: Author with id 0 not found$"):
        SemanticScholar().fetch("0")


def test_semantic_scholar_api_key_is_sent(api, settings):
    settings.SEMANTIC_SCHOLAR_API_KEY = "k-123"
    route = api.get(S2_PAPERS).mock(
        return_value=json_response("semanticscholar/author_1723755_papers_title_offset800.json")
    )
    SemanticScholar().fetch("1723755")
    assert route.calls.last.request.headers["x-api-key"] == "k-123"


def test_dblp_person_page(api):
    api.get("https://dblp.org/pid/95/7448-1.xml").mock(
        return_value=httpx.Response(200, content=body("dblp/pid_95_7448-1.xml"))
    )
    works = Dblp().fetch("95/7448-1")
    assert len(works) == 8
    first = works[0]
    assert first.title == "Automatic stereoscopic 3D video reframing"
    assert first.authors == ["Lino Coria-Mendoza", "Di Xu", "Panos Nasiopoulos"]
    assert first.venue == "3DTV-Conference" and first.doi == "10.1109/3dtv.2012.6365428"
    assert first.date == datetime.date(2012, 1, 1)


def test_dblp_html_instead_of_xml(api):
    api.get("https://dblp.org/pid/95/7448-1.xml").mock(
        return_value=httpx.Response(200, content=b"<html><body>Error 500</body>")
    )
    with pytest.raises(SourceError, match="^DBLP: "):
        Dblp().fetch("95/7448-1")


def test_arxiv_pages_until_the_results_run_out_every_three_seconds(api, waits):
    route = api.get("https://export.arxiv.org/api/query")
    route.side_effect = [
        xml_response("arxiv/search_query_testing_start0_max10.xml"),
        xml_response("arxiv/id_list_0000.0000_empty_totalResults0.xml"),
    ]
    source = Arxiv(clock=lambda: 0.0)
    source.page_size = 10
    works = source.fetch("testing")
    assert [c.request.url.params["start"] for c in route.calls] == ["0", "10"]
    assert len(works) == 10
    assert waits == [3.0]


def test_arxiv_classic_feed_with_doi_and_journal(api):
    api.get("https://export.arxiv.org/api/query").mock(
        return_value=xml_response("arxiv/classic2016_id_list_1111.2011v2_with_doi_journal_ref.xml")
    )
    (work,) = Arxiv().fetch("id:1111.2011")
    assert (work.arxiv_id, work.arxiv_version) == ("1111.2011", "v2")
    assert work.doi == "10.1103/physrevb.85.115117"
    assert work.venue.startswith("Phys. Rev. B")


def test_arxiv_error_answer_is_reported(api):
    api.get("https://export.arxiv.org/api/query").mock(
        return_value=xml_response("arxiv/id_list_abc_error_http400.xml", 400)
    )
    with pytest.raises(SourceError, match="^arXiv: incorrect id format for abc"):
        Arxiv().fetch("abc")


def test_crossref_list_and_one_work(api):
    api.get("https://api.crossref.org/works").mock(
        return_value=json_response("crossref/works_query_ecology_rows2.json")
    )
    works = Crossref().fetch("0000-0002-1825-0097")
    assert [w.title for w in works] == [
        item["title"][0]
        for item in data("crossref/works_query_ecology_rows2.json")["message"]["items"]
    ]
    api.get("https://api.crossref.org/works/10.1371/journal.pone.0033693").mock(
        return_value=json_response(
            "crossref/works_10.1371_journal.pone.0033693_journal-article.json"
        )
    )
    work = Crossref().work("10.1371/journal.pone.0033693")
    message = data("crossref/works_10.1371_journal.pone.0033693_journal-article.json")["message"]
    assert work.citations == message["is-referenced-by-count"]
    assert work.venue == "PLoS ONE"


def test_crossref_unknown_doi_is_none(api):
    api.get("https://api.crossref.org/works/10.1371/notarealdoi").mock(
        return_value=httpx.Response(404, content=body("crossref/works_10.1371_notarealdoi_404.txt"))
    )
    assert Crossref().work("10.1371/notarealdoi") is None


def test_crossref_400_validation_failure(api):
    api.get("https://api.crossref.org/works").mock(
        return_value=json_response("crossref/works_doi_with_query_author_400_validation.json", 400)
    )
    with pytest.raises(SourceError, match="^Crossref: HTTP 400"):
        Crossref().fetch("0000-0002-1825-0097")


def test_crossref_200_with_an_error_body(api):
    # The 400 answer's body with a 200 status: not a work list, so nothing is read.
    api.get("https://api.crossref.org/works").mock(
        return_value=json_response("crossref/works_doi_with_query_author_400_validation.json")
    )
    with pytest.raises(SourceError, match="^Crossref: unexpected answer"):
        Crossref().fetch("0000-0002-1825-0097")
