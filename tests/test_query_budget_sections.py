"""Pages, news, talks and teaching run a fixed number of queries, however many there are.

Each page is fetched with a few items of each type (tests/content.py) and again with
1,000 of each (pages all in the menu, talks each with a paper, courses with two links
each); both must stay within the page's budget and be equal. HTML pages include
the site menu, whose sections (the CV's too) each ask whether they have content.
The homepage shows its news section here. Page cache off, as in tests/test_query_budget.py.
"""

import datetime

import pytest

from news.models import NewsItem
from pagecache.freshness import mark_changed
from pages.models import MenuItem, Page
from profiles.models import HomeSection
from research.models import Publication
from talks.models import Talk
from teaching.models import Course, CourseLink
from tests.caches import empty_caches
from tests.content import add_content

N = 1000
PAGES = {
    "/": (16, "Generated news 0999"),
    "/research/": (14, "Generated page 0999"),
    "/projects/": (9, "Generated page 0999"),
    "/news/": (9, "Generated news 0999"),
    "/news/a-long-announcement-with-details/": (9, "Generated page 0999"),
    # The site-wide stamp (all a page cache hit reads), every model's, the news.
    "/news/feed/": (4, "Generated news 0999"),
    "/news/feed/atom/": (4, "Generated news 0999"),
    "/talks/": (9, "Generated talk 0999"),
    "/teaching/": (10, "Generated course 0999"),
    "/sitemap.xml": (15, "generated-page-0999"),
}
SIGNED_IN_EXTRA = 2

# Each test grows the site by 5,000 rows (1-2.5 s): left out by make test-fast.
pytestmark = pytest.mark.slow


def grow_site():
    date = datetime.date(2030, 1, 1)
    paper = Publication.objects.get(slug="reversal-curse")
    pages = Page.objects.bulk_create(
        Page(title=f"Generated page {i:04}", slug=f"generated-page-{i:04}", body="x")
        for i in range(N)
    )
    MenuItem.objects.bulk_create(
        MenuItem(key=f"page:{page.pk}", page=page, position=100 + i) for i, page in enumerate(pages)
    )
    NewsItem.objects.bulk_create(
        NewsItem(
            text=f"Generated news {i:04}",
            title=f"Generated news {i:04}" if i % 2 else "",
            slug=f"generated-news-{i:04}",
            date=date + datetime.timedelta(days=i),
        )
        for i in range(N)
    )
    Talk.objects.bulk_create(
        Talk(
            title=f"Generated talk {i:04}",
            event="Event",
            date=date - datetime.timedelta(days=i * 30),
            publication=paper,
        )
        for i in range(N)
    )
    courses = Course.objects.bulk_create(
        Course(course=f"Generated course {i:04}", term=str(2000 + i % 30), year=2000 + i % 30)
        for i in range(N)
    )
    CourseLink.objects.bulk_create(
        CourseLink(course=course, label=label, url="https://example.org/", position=position)
        for course in courses
        for position, label in enumerate(["Page", "Slides"])
    )
    mark_changed()


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
@pytest.mark.parametrize("url", list(PAGES))
def test_query_count_does_not_grow_with_the_content(
    url, signed_in, seeded, client, django_user_model, settings, django_assert_max_num_queries
):
    settings.PAGE_CACHE_ENABLED = False
    add_content()
    HomeSection.objects.filter(key=HomeSection.Key.NEWS).update(visible=True, items=10)
    mark_changed()
    budget, grown_marker = PAGES[url]
    if signed_in:
        client.force_login(django_user_model.objects.create_superuser("ed", "ed@example.org", "x"))
        budget += SIGNED_IN_EXTRA

    # Both counts are of pages rendered from nothing, cached list entries included.
    empty_caches()
    with django_assert_max_num_queries(budget) as small:
        assert client.get(url).status_code == 200
    grow_site()
    empty_caches()
    with django_assert_max_num_queries(budget) as large:
        response = client.get(url)
    assert response.status_code == 200
    assert grown_marker in response.content.decode()
    assert len(large) == len(small), [q["sql"][:120] for q in large.captured_queries]
