"""Paper lists reuse each entry until what it shows changes, and never show a stale one.

With the page cache on (as in production), every edit below must show on the
very next request of every page that shows it, while an edit of one paper
renders only that paper's entry again. Query strings a page does not use must
not make it render again.
"""

import datetime
import html

import pytest
from bs4 import BeautifulSoup
from django.core.cache import caches
from django.test import RequestFactory
from django.test.signals import template_rendered

from pagecache.freshness import last_changed, page_digest
from profiles.models import Profile
from research.models import Authorship, Person, Publication

ENTRY = "research/_archive_entry.html"


@pytest.fixture
def renders():
    """Counts template renders by name, as they happen (includes cached-page misses)."""
    counts = {}

    def count(sender, template, **kwargs):
        counts[template.name] = counts.get(template.name, 0) + 1

    template_rendered.connect(count)
    yield counts
    template_rendered.disconnect(count)


@pytest.fixture
def site(make_paper):
    Profile.objects.create(name="Owen Owner")
    Person.objects.create(name="Owen Owner", is_owner=True)
    papers = [
        make_paper(
            f"Paper {i}",
            authors=("Owen Owner", "Ada Lovelace", f"Author {i}"),
            tags=["shared", f"topic {i}"],
            highlighted=i < 2,
            date=datetime.date(2020 + i, 1, 1),
        )
        for i in range(5)
    ]
    return papers


def pages_showing(paper):
    """Every public page that shows this paper's authors and tags."""
    return [
        "/",
        "/research/",
        "/research/tags/shared/",
        "/research/with/ada-lovelace/",
        f"/research/{paper.slug}/",
        "/research/feed/",
    ]


def text(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    if "/feed/" in url:  # the authors are in each item's (escaped) HTML description
        return html.unescape(response.content.decode())
    return BeautifulSoup(response.content, "html.parser").get_text(" ")


def test_one_edit_renders_one_entry_again(client, site, renders):
    client.get("/research/")
    assert renders[ENTRY] == 5
    paper = Publication.objects.get(title="Paper 3")
    paper.title = "Paper 3, revised"
    paper.save()
    response = client.get("/research/")
    assert renders[ENTRY] == 6
    assert "Paper 3, revised" in response.content.decode()
    # Another page listing the same papers reuses the same entries.
    client.get("/research/tags/shared/")
    assert renders[ENTRY] == 6


def test_a_persons_new_name_shows_everywhere_at_once(client, site):
    for url in pages_showing(site[0]):
        assert "Ada Lovelace" in text(client, url), url
    ada = Person.objects.get(name="Ada Lovelace")
    ada.name = "Ada King"
    ada.save()
    for url in pages_showing(site[0]):
        page = text(client, url)
        assert "Ada King" in page, url
        assert "Ada Lovelace" not in page, url


def test_a_renamed_tag_shows_everywhere_at_once(client, site):
    from taggit.models import Tag

    tag = Tag.objects.get(name="topic 0")
    tag.name = "wombats"
    tag.save()
    for url in ["/research/", f"/research/{site[0].slug}/", "/research/tags/topic-0/"]:
        page = text(client, url)
        assert "wombats" in page, url
        assert "topic 0" not in page, url


def test_marks_and_printed_names_show_on_the_next_request(client, site):
    paper = site[0]
    for url in pages_showing(paper):
        client.get(url)  # everything cached
    authorship = Authorship.objects.get(publication=paper, person__name="Ada Lovelace")
    authorship.marks = "*"
    authorship.printed_name = "A. Lovelace"
    authorship.save()
    for url in pages_showing(paper):
        assert "A. Lovelace*" in text(client, url), url


def test_the_owner_flag_shows_on_the_next_request(client, site):
    def bold(url):
        page = BeautifulSoup(client.get(url).content, "html.parser")
        return {b.get_text() for b in page.select(".authors b")}

    urls = ["/", "/research/", "/research/tags/shared/", f"/research/{site[0].slug}/"]
    for url in urls:
        assert bold(url) == {"Owen Owner"}, url
    owner = Person.objects.get(is_owner=True)
    owner.is_owner = False
    owner.save()
    ada = Person.objects.get(name="Ada Lovelace")
    ada.is_owner = True
    ada.save()
    for url in urls:
        assert bold(url) == {"Ada Lovelace"}, url


def test_removing_an_author_shows_on_the_next_request(client, site):
    paper = site[4]
    assert "Author 4" in text(client, "/research/")
    Authorship.objects.get(publication=paper, person__name="Author 4").delete()
    assert "Author 4" not in text(client, "/research/")


def test_junk_query_strings_do_not_make_the_page_render_again(client, site, renders):
    for i in range(200):
        response = client.get(f"/research/?utm_source=x{i}&junk{i}={i}")
        assert response.status_code == 200
    assert renders["research/index.html"] == 1
    for i in range(20):
        client.get(f"/?ref={i}")
        client.get(f"/research/{site[0].slug}/?fbclid={i}")
    assert renders["home/home.html"] == 1
    assert renders["research/publication_detail.html"] == 1


def test_filtered_pages_are_cached_per_normalised_query(client, site, renders):
    for query in ["q=ada", "q=ada&x=1", "q=+ada+", "x=2&q=ada"]:
        assert "Paper 4" in client.get(f"/research/?{query}").content.decode()
    assert renders["research/index.html"] == 1
    client.get("/research/?q=ada&year=2021")
    assert renders["research/index.html"] == 2


def test_readers_get_the_previous_page_while_it_is_being_rendered(client, site):
    assert "Paper 1" in text(client, "/research/")
    paper = Publication.objects.get(title="Paper 1")
    paper.title = "Paper 1, revised"
    paper.save()
    # Another request is rendering the new version right now: it holds the lock.
    request = RequestFactory().get("/research/")
    lock = f"page-render:{page_digest(request, last_changed())}"
    caches["default"].add(lock, 1, 30)
    assert "Paper 1, revised" not in text(client, "/research/")
    caches["default"].delete(lock)
    assert "Paper 1, revised" in text(client, "/research/")


def test_an_added_link_shows_on_the_next_request(client, site):
    from research.models import PaperLink

    paper = site[0]
    for url in ["/research/", f"/research/{paper.slug}/"]:
        assert "Slides" not in text(client, url), url
    PaperLink.objects.create(publication=paper, label="Slides", url="https://example.org/s.pdf")
    for url in ["/research/", "/research/tags/shared/", f"/research/{paper.slug}/"]:
        page = BeautifulSoup(client.get(url).content, "html.parser")
        links = {a.get_text(): a["href"] for a in page.select(".links a")}
        assert links.get("Slides") == "https://example.org/s.pdf", url


def test_what_a_mark_means_shows_in_every_footnote_at_once(client, site):
    from research.models import MarkMeaning

    paper = site[0]
    authorship = Authorship.objects.get(publication=paper, person__name="Ada Lovelace")
    authorship.marks = "†"
    authorship.save()
    urls = ["/", "/research/", f"/research/{paper.slug}/", "/research/feed/"]
    for url in urls:
        assert "† corresponding author" in text(client, url), url
    MarkMeaning.objects.create(mark="†", meaning="project lead")
    for url in urls:
        page = text(client, url)
        assert "† project lead" in page, url
        assert "corresponding author" not in page, url


def test_the_author_limit_applies_to_cached_entries_at_once(client, site):
    assert "and 1 more" not in text(client, "/research/")
    profile = Profile.objects.get()
    profile.max_author_limit = 1
    profile.save()
    page = BeautifulSoup(client.get("/research/").content, "html.parser")
    # The first author is the owner, so one name, then "and 1 more" (Ada Lovelace
    # and the paper's own author are hidden behind it... two of them).
    summaries = [s.get_text() for s in page.select("details.more-authors summary")]
    assert summaries == ["and 2 more"] * 5


def test_a_new_citation_count_shows_on_the_next_request(client, site):
    from inbox.models import CitationCount

    profile = Profile.objects.get()
    profile.show_citations = True
    profile.save()
    paper = site[2]
    count = CitationCount.objects.create(publication=paper, source="openalex", count=12)
    for url in ["/research/", f"/research/{paper.slug}/"]:
        assert "cited by 12" in text(client, url), url
    count.count = 13
    count.save()
    for url in ["/research/", f"/research/{paper.slug}/"]:
        page = text(client, url)
        assert "cited by 13" in page, url
        assert "cited by 12" not in page, url


def test_undated_papers_come_first_under_their_label(client, site, make_paper):
    make_paper("A preprint", authors=("Owen Owner",), date=None, date_label="Preprint")
    page = BeautifulSoup(client.get("/research/").content, "html.parser")
    headings = [h.get_text() for h in page.select("section.year h2")]
    assert headings == ["Preprint", "2024", "2023", "2022", "2021", "2020"]
    first = page.select_one("section.year")
    assert [t.get_text() for t in first.select("h3.title a")] == ["A preprint"]
    # The year filter offers the label too, and selects by it.
    options = [o["value"] for o in page.select("select#id_year option")]
    assert options == ["", "Preprint", "2024", "2023", "2022", "2021", "2020"]
    page = BeautifulSoup(client.get("/research/?year=Preprint").content, "html.parser")
    assert [t.get_text() for t in page.select("h3.title a")] == ["A preprint"]


def filter_options(client, name):
    page = BeautifulSoup(client.get("/research/").content, "html.parser")
    return [o.get_text() for o in page.select(f"select[name={name}] option")][1:]


def test_the_filters_offer_a_new_tag_and_a_new_name_at_once(client, site):
    # The choices are reused while no paper's facets change (core.memo).
    assert "wombats" not in filter_options(client, "tag")
    assert "Ada Lovelace" in filter_options(client, "author")
    site[3].tags.add("wombats")
    assert "wombats" in filter_options(client, "tag")
    ada = Person.objects.get(name="Ada Lovelace")
    ada.name = "Ada King"
    ada.save()
    people = filter_options(client, "author")
    assert "Ada King" in people
    assert "Ada Lovelace" not in people
    # An edit that changes no facet keeps the same choices.
    paper = Publication.objects.get(title="Paper 1")
    paper.title = "Paper 1, revised"
    paper.save()
    assert filter_options(client, "tag") == ["shared", "topic 0", "topic 1", "topic 2"] + [
        "topic 3",
        "topic 4",
        "wombats",
    ]


def test_a_year_shows_its_edited_entry_and_the_others_stay(client, site):
    before = client.get("/research/").content.decode()
    paper = Publication.objects.get(title="Paper 2")
    paper.title = "Paper 2, revised"
    paper.save()
    after = client.get("/research/").content.decode()
    assert "Paper 2, revised" in after
    assert before.replace("Paper 2</a>", "Paper 2, revised</a>") == after.replace(
        # The page's own validators and nonce change with the version.
        _nonce(after),
        _nonce(before),
    )


def _nonce(page):
    found = BeautifulSoup(page, "html.parser").select_one("[nonce]")
    return found["nonce"] if found else "\0"


def test_the_spliced_page_is_what_the_template_prints(rf, site, settings):
    """render_listing puts each year's entries in as bytes: the page must be the
    template's own output, byte for byte, with and without a per-paper legend."""
    from django.contrib.auth.models import AnonymousUser
    from django.shortcuts import render

    from research.listing import listing_context, render_listing
    from research.models import MarkMeaning

    Authorship.objects.filter(publication=site[1], person__name="Ada Lovelace").update(marks="*")
    site[1].legend = "* joint first authors"
    site[1].save()
    Authorship.objects.filter(publication=site[2], person__name="Ada Lovelace").update(marks="*")
    # update() sends no signals: say the entry changed, as importers do.
    Publication.objects.filter(pk=site[2].pk).mark_shown_changed()
    profile = Profile.load()
    papers = Publication.objects.published()
    context = listing_context(
        papers, archive=True, profile=profile, meanings=MarkMeaning.objects.meanings()
    )
    request = rf.get("/research/")
    request.user = AnonymousUser()
    extra = {"papers": papers, "site_profile": profile, "tag": None}
    plain = render(request, "research/coauthor.html", {**context, **extra}).content
    spliced = render_listing(request, "research/coauthor.html", {**context, **extra}).content
    assert spliced == plain
    page = spliced.decode()
    assert "joint first authors" in page
    assert "<!-- legend -->" not in page
    assert page.count('<section class="year"') == 5
