import datetime
import xml.etree.ElementTree as ET

import pytest

from research.models import Publication

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
# Papers and tags, plus the other apps' sitemaps (pages, news, talks, teaching, CV,
# co-authors): a fixed number, whatever the number of papers.
MAX_QUERIES = 14


def sitemap_entries(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 (our own output)
    return {
        url.findtext("s:loc", namespaces=NS): url.findtext("s:lastmod", namespaces=NS)
        for url in root.findall("s:url", NS)
    }


def test_sitemap_lists_home_archive_tags_and_published_papers(client, make_paper):
    paper = make_paper("Public", tags=["engines"], date=datetime.date(2023, 4, 1))
    make_paper("Hidden", tags=["secret"], status=Publication.Status.DRAFT)

    entries = sitemap_entries(client)

    assert set(entries) == {
        "http://testserver/",
        "http://testserver/research/",
        "http://testserver/research/tags/engines/",
        f"http://testserver/research/{paper.slug}/",
    }
    assert entries[f"http://testserver/research/{paper.slug}/"] == paper.updated.date().isoformat()
    assert entries["http://testserver/research/"] is not None
    assert entries["http://testserver/research/tags/engines/"] == paper.updated.date().isoformat()


def test_tag_lastmod_ignores_drafts(client, make_paper):
    public = make_paper("Public", tags=["engines"])
    draft = make_paper("Draft", tags=["engines"], status=Publication.Status.DRAFT)
    Publication.objects.filter(pk=public.pk).update(
        updated=datetime.datetime(2020, 1, 2, tzinfo=datetime.timezone.utc)
    )
    assert draft.updated.year > 2020
    entries = sitemap_entries(client)
    assert entries["http://testserver/research/tags/engines/"] == "2020-01-02"


def test_sitemap_uses_site_url(client, settings, make_paper):
    settings.SITE_URL = "https://ada.example.net"
    paper = make_paper("Public")
    assert f"https://ada.example.net/research/{paper.slug}/" in sitemap_entries(client)


def test_robots_txt_points_at_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines


def test_sitemap_answers_304(client, make_paper):
    make_paper("Public")
    etag = client.get("/sitemap.xml")["ETag"]
    assert client.get("/sitemap.xml", HTTP_IF_NONE_MATCH=etag).status_code == 304


# 200 papers of 15 authors take 2-5 s to build: that case is slow (make test has it).
@pytest.mark.parametrize(("n", "authors"), [(5, 2), pytest.param(200, 15, marks=pytest.mark.slow)])
def test_sitemap_query_count_is_fixed(
    client, many_papers, django_assert_max_num_queries, n, authors
):
    many_papers(n, authors)
    with django_assert_max_num_queries(MAX_QUERIES):
        entries = sitemap_entries(client)
    assert len(entries) == 2 + n + 5  # home, archive, papers, tags common + topic-0..3


def test_robots_txt_answers_head_and_uses_site_url(client, settings, db):
    assert client.head("/robots.txt").status_code == 200
    settings.SITE_URL = "https://ada.example.net"
    assert "Sitemap: https://ada.example.net/sitemap.xml" in client.get("/robots.txt").text
