"""Every public page runs a fixed number of SQL queries, however large the site:
the homepage, /research/, a tag page, a paper page and its .bib, the RSS and Atom
feeds (site-wide and per tag), papers.bib and the sitemap; and so do the editor's
publication list (searched, filtered, by year) and a paper's change form.

Each page is fetched on the seed site (5 papers) and again after growing it to
1,000 papers with 15 authors and 3 tags each (the paper shown also gets 15+
authors and more tags, and every new paper gets the tag shown); both must stay
within the page's budget and be equal. The page cache is off here: these are
the queries of a cache miss (a hit runs one, see tests/pagecache/test_cache.py).
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag, TaggedItem

from bench.library import add_papers, grow_paper
from pagecache.freshness import mark_changed
from research.models import Publication
from tests.caches import empty_caches

PAPER = "reversal-curse"
TAG = "evaluations"

# url: (most queries for an anonymous visitor, text only the grown site shows).
# HTML pages include the site menu (two queries, pages/menu.py); the homepage also
# reads its sections (profiles.HomeSection); the sitemap asks pages, news, talks,
# teaching and the CV too. Pages that show papers' extra links
# (slides, video, ...) read them in one more query. Lists read their entries'
# versions, then load only the papers whose entry is not cached (every count here
# starts with nothing cached; a paper page then loads its paper alone, and again
# with what it shows); lists and feeds read what the marks mean for the footnotes.
# Pages that keep things between requests count the page cache's read of the
# site-wide stamp and then, on this miss, every model's stamps
# (pagecache.freshness.last_changed: a hit reads the one row).
PAGES = {
    "/": (13, "Generated paper 00994"),
    "/research/": (12, "Generated paper 00994"),
    f"/research/tags/{TAG}/": (14, "Generated paper 00994"),
    f"/research/{PAPER}/": (12, "Extra Author"),
    f"/research/{PAPER}.bib": (4, "Extra Author"),
    "/research/feed/": (8, "Generated paper 00000"),
    "/research/feed/atom/": (8, "Generated paper 00000"),
    f"/research/tags/{TAG}/feed/": (10, "Generated paper 00000"),
    "/research/papers.bib": (5, "Generated paper 00994"),
    "/sitemap.xml": (11, "generated-paper-00994"),
}
# Reading the session and the user.
SIGNED_IN_EXTRA = 2
# The editor at size: the publication change list (100 of 1,000 papers a page),
# searched (through authors' names too), filtered by a tag and drilled down to a
# year, and the change form of a paper with 40 authors, for a signed-in editor.
ADMIN_PAGES = {
    "/admin/research/publication/": (12, "Generated paper 00000"),
    # A search or filter through authors or tags reads the matching ids first.
    "/admin/research/publication/?q=on": (13, "Generated paper 00000"),
    "tag filter": (13, "Generated paper 00000"),
    "/admin/research/publication/?date__year=2023": (11, "Generated paper 00"),
    "change form": (11, "Extra Author"),
}


def grow_site():
    papers = add_papers(995, highlighted=True)
    grow_paper(Publication.objects.get(slug=PAPER), authors=40)
    tag = Tag.objects.get(slug=TAG)
    content_type = ContentType.objects.get_for_model(Publication)
    TaggedItem.objects.bulk_create(
        TaggedItem(tag=tag, content_type=content_type, object_id=paper.pk) for paper in papers
    )
    mark_changed()
    assert Publication.objects.count() == 1000


def count_queries(client, url):
    empty_caches()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def admin_url(url):
    if url == "change form":
        paper = Publication.objects.get(slug=PAPER)
        return f"/admin/research/publication/{paper.pk}/change/"
    if url == "tag filter":
        return f"/admin/research/publication/?tags__id__exact={Tag.objects.get(slug=TAG).pk}"
    return url


@pytest.fixture(scope="module")
def measured_site(django_db_setup, django_db_blocker, tmp_path_factory):
    """The seed site's query counts per page, then the site grown to 1,000 papers.

    Built once for the module inside a transaction that is rolled back at the
    end; each test reads the grown site in a savepoint of its own.
    """
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(PAGE_CACHE_ENABLED=False, MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        call_command("loadseed", verbosity=0)
        editor = get_user_model().objects.create_superuser("ed", "ed@example.org", "x")
        anonymous, signed_in = Client(), Client()
        signed_in.force_login(editor)
        small = {}
        for url in PAGES:
            small[url, False] = count_queries(anonymous, url)
            small[url, True] = count_queries(signed_in, url)
        for url in ADMIN_PAGES:
            small[url, "admin"] = count_queries(signed_in, admin_url(url))
        # The change form also costs the same for the seed's paper with the fewest authors.
        few = min(Publication.objects.all(), key=lambda paper: paper.authorships.count())
        small["few authors"] = (
            few.authorships.count(),
            count_queries(signed_in, f"/admin/research/publication/{few.pk}/change/"),
        )
        grow_site()
        yield {"small": small, "editor": editor, "media": media}
        transaction.set_rollback(True)


@pytest.mark.slow
@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
@pytest.mark.parametrize("url", list(PAGES))
def test_query_count_does_not_grow_with_the_site(
    url,
    signed_in,
    measured_site,
    db,
    client,
    settings,
    django_assert_max_num_queries,
):
    settings.PAGE_CACHE_ENABLED = False
    settings.MEDIA_ROOT = measured_site["media"]
    budget, grown_marker = PAGES[url]
    if signed_in:
        client.force_login(measured_site["editor"])
        budget += SIGNED_IN_EXTRA

    small = measured_site["small"][url, signed_in]
    assert small <= budget
    empty_caches()
    with django_assert_max_num_queries(budget) as large:
        response = client.get(url)
    assert response.status_code == 200
    assert grown_marker in response.content.decode()
    assert len(large) == small, [q["sql"][:120] for q in large.captured_queries]


@pytest.mark.slow
@pytest.mark.parametrize("page", list(ADMIN_PAGES))
def test_editor_pages_run_a_fixed_number_of_queries(page, measured_site, db, client, settings):
    """The change list of 1,000 papers and a 40-author paper's form cost what the seed's do
    (5 papers; a paper with 3 authors)."""
    settings.MEDIA_ROOT = measured_site["media"]
    client.force_login(measured_site["editor"])
    budget, grown_marker = ADMIN_PAGES[page]
    assert Publication.objects.get(slug=PAPER).authorships.count() >= 40
    small = measured_site["small"][page, "admin"]
    assert small <= budget
    if page == "change form":
        few_authors, few_queries = measured_site["small"]["few authors"]
        assert few_authors <= 3
        assert few_queries == small
    empty_caches()
    # Content types are read once per process (the tags field needs Publication's).
    ContentType.objects.get_for_model(Publication)
    url = admin_url(page)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.status_code == 200
    assert grown_marker in response.content.decode()
    assert len(large) == small, "\n".join(q["sql"][:70] for q in large.captured_queries)
