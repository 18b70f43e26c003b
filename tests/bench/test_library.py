from django.db.models import Count

from bench.library import add_papers
from pagecache.freshness import last_changed
from research.models import Publication


def test_add_papers_builds_published_papers_with_15_ordered_authors_and_3_tags(db):
    before = last_changed()
    papers = add_papers(20)
    assert Publication.objects.published().count() == 20
    counts = Publication.objects.annotate(n=Count("authorships")).values_list("n", flat=True)
    assert set(counts) == {15}
    paper = Publication.objects.for_listing().get(pk=papers[0].pk)
    assert [a.position for a in paper.authors] == list(range(15))
    assert paper.tags.count() == 3
    assert last_changed() != before  # bulk writes still invalidate cached pages
    add_papers(5)  # a second batch gets new, unique slugs
    assert Publication.objects.count() == 25
