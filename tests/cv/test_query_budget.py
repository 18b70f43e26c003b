"""The CV's pages run a fixed number of queries at 5 items and at 1,000.

The grown site has 1,000 papers (all in the CV's papers section) and 1,000
typed entries; the page cache is off, so these are the queries of a miss.
"""

import pytest

from bench.library import add_papers
from cv.models import CVEntry, CVSection
from pagecache.freshness import mark_changed

from .conftest import load_alfolio_cv

pytestmark = pytest.mark.slow

PAGES = {"/cv/": 7, "/cv.json": 8, "/cv.pdf": 8}


def grow_cv():
    add_papers(995)
    section = CVSection.objects.get(kind=CVSection.Kind.POSITIONS)
    CVEntry.objects.bulk_create(
        CVEntry(section=section, position=n, title=f"Generated position {n:04d}", start="2001")
        for n in range(1000)
    )
    mark_changed()


@pytest.mark.parametrize("url", list(PAGES))
def test_cv_query_count_does_not_grow(url, seeded, client, settings, django_assert_max_num_queries):
    settings.PAGE_CACHE_ENABLED = False
    load_alfolio_cv()
    CVSection.objects.filter(kind=CVSection.Kind.PAPERS).update(papers=CVSection.Papers.ALL)
    with django_assert_max_num_queries(PAGES[url]) as small:
        assert client.get(url).status_code == 200
    grow_cv()
    with django_assert_max_num_queries(PAGES[url]) as large:
        response = client.get(url)
    assert response.status_code == 200
    body = response.content if not url.endswith(".pdf") else b""
    if body:
        assert b"Generated position 0999" in body and b"Generated paper 00994" in body
    assert len(large) == len(small), [q["sql"][:120] for q in large.captured_queries]
