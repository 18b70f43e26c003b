"""core.compiled: a single-row read built once, run with each request's values."""

import datetime

import pytest

from core import compiled
from research.models import Publication


def by_slug(slug):
    return Publication.objects.published().filter(slug=slug)


@pytest.fixture
def papers(db):
    Publication.objects.create(
        title="Taken out of context", slug="context", date=datetime.date(2023, 9, 1)
    )
    Publication.objects.create(title="A draft", slug="draft", status=Publication.Status.DRAFT)


def test_the_row_is_the_one_the_queryset_finds_with_every_field(papers):
    found = compiled.first("test-by-slug", by_slug, "context")
    expected = by_slug("context").get()
    assert found == expected
    assert found.title == "Taken out of context"
    # Converted as the ORM converts them (SQLite hands back text).
    assert found.date == datetime.date(2023, 9, 1)
    assert found.created == expected.created


def test_each_call_runs_with_its_own_values(papers, django_assert_num_queries):
    assert compiled.first("test-by-slug", by_slug, "context").slug == "context"
    # Filters of the queryset stay: a draft is not a published paper.
    assert compiled.first("test-by-slug", by_slug, "draft") is None
    assert compiled.first("test-by-slug", by_slug, "missing") is None
    with django_assert_num_queries(1):
        compiled.first("test-by-slug", by_slug, "context")


def test_a_value_the_query_does_not_use_is_refused(db):
    with pytest.raises(ValueError, match="each value must appear once"):
        compiled.first("test-unused", lambda slug: Publication.objects.all(), "x")


def test_rows_come_as_the_orm_gives_them_for_each_key(papers):
    def dated(pk):
        return Publication.objects.filter(pk=pk).values_list("slug", "date", "created")

    for paper in Publication.objects.all():
        expected = list(dated(paper.pk))
        assert compiled.rows("test-dated", dated, paper.pk) == expected
    assert compiled.rows("test-dated", dated, 10**6) == []
    found = compiled.rows("test-dated", dated, Publication.objects.get(slug="context").pk)
    assert found[0][1] == datetime.date(2023, 9, 1)


def test_only_texts_and_whole_numbers_can_be_values(db):
    with pytest.raises(TypeError, match="texts and whole numbers"):
        compiled.first(
            "test-date", lambda d: Publication.objects.filter(date=d), datetime.date.today()
        )
