"""Every public page runs a fixed number of SQL queries, however large the site.

Each page is fetched on the seed site (5 papers) and again after growing it to
1,000 papers with 15 authors and 3 tags each (the paper shown also gets 15+
authors and more tags); both must stay within the page's budget and be equal.
The page cache is off here: these are the queries of a cache miss.
"""

import pytest

from bench.library import add_papers, grow_paper
from research.models import Publication

PAPER = "reversal-curse"

# url: (most queries for an anonymous visitor, text only the grown site shows)
PAGES = {
    "/": (7, "Generated paper 00994"),
    f"/research/{PAPER}/": (5, "Extra Author"),
}
# Reading the session and the user.
SIGNED_IN_EXTRA = 2


@pytest.fixture
def grow_site():
    def grow():
        add_papers(995, highlighted=True)
        grow_paper(Publication.objects.get(slug=PAPER))
        assert Publication.objects.count() == 1000

    return grow


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
@pytest.mark.parametrize("url", list(PAGES))
def test_query_count_does_not_grow_with_the_site(
    url,
    signed_in,
    seeded,
    client,
    django_user_model,
    settings,
    grow_site,
    django_assert_max_num_queries,
):
    settings.PAGE_CACHE_ENABLED = False
    budget, grown_marker = PAGES[url]
    if signed_in:
        client.force_login(django_user_model.objects.create_superuser("ed", "ed@example.org", "x"))
        budget += SIGNED_IN_EXTRA

    with django_assert_max_num_queries(budget) as small:
        assert client.get(url).status_code == 200
    grow_site()
    with django_assert_max_num_queries(budget) as large:
        response = client.get(url)
    assert response.status_code == 200
    assert grown_marker in response.content.decode()
    assert len(large) == len(small)
