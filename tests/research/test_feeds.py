import datetime
import html

import feedparser
import pytest
from django.core.files.base import ContentFile

from profiles.models import Profile
from research.feeds import xml_safe
from research.models import Publication

FEEDS = ["/research/feed/", "/research/feed/atom/"]
# The most SQL queries a feed may take, whatever the number of papers (the page
# cache's read of the site-wide stamp, then every model's on this miss, included).
MAX_QUERIES = 8


def parse(client, path):
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    return feed


def entry_titles(feed):
    return [entry.title for entry in feed.entries]


@pytest.fixture
def profile(db):
    return Profile.objects.create(name="Ada Lovelace", subtitle="Analytical engines & poetry")


@pytest.mark.parametrize("path", FEEDS)
def test_feed_lists_published_papers_newest_first(client, profile, make_paper, path):
    make_paper("Old", date=datetime.date(2020, 1, 1))
    make_paper("Same month, added first", date=datetime.date(2024, 5, 1))
    make_paper("Same month, added later", date=datetime.date(2024, 5, 1))
    make_paper("Draft", date=datetime.date(2025, 1, 1), status=Publication.Status.DRAFT)
    make_paper("Middle", date=datetime.date(2022, 6, 1))

    feed = parse(client, path)

    assert entry_titles(feed) == [
        "Same month, added later",
        "Same month, added first",
        "Middle",
        "Old",
    ]


@pytest.mark.parametrize("path", FEEDS)
def test_newly_added_paper_comes_first(client, profile, make_paper, path):
    make_paper("Existing", date=datetime.date(2024, 5, 1))
    assert entry_titles(parse(client, path)) == ["Existing"]
    make_paper("Brand new", date=datetime.date(2024, 5, 1))
    assert entry_titles(parse(client, path))[0] == "Brand new"


def test_rss_item_fields(client, profile, make_paper):
    paper = make_paper(
        "Engines",
        authors=["Ada Lovelace*", "Charles Babbage*", "Mary Somerville"],
        tags=["engines", "poetry"],
        venue="ICLR 2024",
        url="https://arxiv.org/abs/2401.00001",
        code_url="https://github.com/ada/engines",
        tldr="We <script>alert(1)</script> **compute** Bernoulli numbers.",
        date=datetime.date(2024, 2, 1),
    )
    paper.pdf.save("engines.pdf", ContentFile(b"%PDF-1.4 engines"), save=True)

    feed = parse(client, "/research/feed/")
    (entry,) = feed.entries

    assert entry.link == f"http://testserver/research/{paper.slug}/"
    assert entry.id.startswith("tag:testserver,")
    assert entry.author == "Ada Lovelace*, Charles Babbage*, Mary Somerville"
    assert sorted(t.term for t in entry.tags) == ["engines", "poetry"]
    assert entry.published_parsed[:3] == (2024, 2, 1)
    (enclosure,) = entry.enclosures
    assert enclosure.href == f"http://testserver{paper.pdf.url}"
    assert enclosure.type == "application/pdf"
    assert enclosure.length == str(len(b"%PDF-1.4 engines"))
    summary = entry.summary
    assert "<strong>compute</strong>" in summary
    assert "<script" not in summary and "alert(1)" not in summary
    assert "Ada Lovelace*, Charles Babbage*, Mary Somerville" in summary
    assert "ICLR 2024" in summary
    assert 'href="https://github.com/ada/engines"' in summary
    assert f'href="http://testserver/research/{paper.slug}.bib"' in summary


def test_atom_entry_fields(client, profile, make_paper):
    paper = make_paper("Engines", authors=["Ada Lovelace", "Charles Babbage"], tags=["engines"])
    feed = parse(client, "/research/feed/atom/")
    (entry,) = feed.entries
    assert entry.link == f"http://testserver/research/{paper.slug}/"
    assert entry.author == "Ada Lovelace, Charles Babbage"
    assert [t.term for t in entry.tags] == ["engines"]
    assert entry.updated_parsed is not None
    assert entry.published_parsed[:3] == (2024, 5, 1)
    assert feed.feed.subtitle == "Analytical engines & poetry"


@pytest.mark.parametrize("path", FEEDS)
def test_channel_metadata(client, profile, make_paper, path):
    make_paper("Engines")
    feed = parse(client, path)
    assert feed.feed.title == "Ada Lovelace: new papers"
    assert feed.feed.link == "http://testserver/research/"
    assert feed.feed.language == "en"
    self_links = [link.href for link in feed.feed.links if link.rel == "self"]
    assert self_links == [f"http://testserver{path}"]
    assert feed.feed.updated_parsed is not None


def test_rss_channel_description_and_build_date(client, profile, make_paper):
    make_paper("Engines")
    response = client.get("/research/feed/")
    feed = feedparser.parse(response.content)
    assert feed.feed.description == "Analytical engines & poetry"
    assert b"<lastBuildDate>" in response.content


@pytest.mark.parametrize("path", FEEDS)
def test_guid_survives_title_and_slug_changes(client, profile, make_paper, path):
    paper = make_paper("Before")
    before = parse(client, path).entries[0].id
    paper = Publication.objects.get(pk=paper.pk)
    paper.title, paper.slug = "After", "after"
    paper.save()
    entry = parse(client, path).entries[0]
    assert entry.title == "After"
    assert entry.link.endswith("/research/after/")
    assert entry.id == before


@pytest.mark.parametrize("path", FEEDS)
def test_control_characters_are_removed(client, profile, make_paper, path):
    # No NUL here: PostgreSQL cannot store it and Django's forms refuse it before
    # it reaches any database; test_xml_safe_cleans_nested_values covers it.
    make_paper(
        "Vertical\x0btab and \x1fothers\ufffe",
        authors=["Bad\x08 Name"],
        tags=["bad\x0ctag"],
        tldr="Form\x0cfeed.",
        venue="Venue\x01",
    )
    feed = parse(client, path)
    (entry,) = feed.entries
    assert entry.title == "Verticaltab and others"
    assert entry.author == "Bad Name"
    assert "Formfeed." in entry.summary


def test_xml_safe_cleans_nested_values():
    assert xml_safe({"a": ["x\x0by", ("\x00",)], "b": 3}) == {"a": ["xy", ("",)], "b": 3}


def test_html_in_titles_is_escaped(client, profile, make_paper):
    make_paper("<b>Bold</b> & <script>alert(1)</script>")
    rss = client.get("/research/feed/").content
    atom = client.get("/research/feed/atom/").content
    for body in (rss, atom):
        assert b"<b>Bold" not in body
        assert b"<script>" not in body
    # Atom titles are text: readers show exactly what the editor typed.
    atom_feed = feedparser.parse(atom)
    assert atom_feed.bozo == 0
    assert atom_feed.entries[0].title == "<b>Bold</b> & <script>alert(1)</script>"
    # RSS readers take titles as HTML: the markup arrives escaped, shown as text.
    rss_feed = feedparser.parse(rss)
    assert rss_feed.bozo == 0
    entry = rss_feed.entries[0]
    assert entry.title_detail.type == "text/html"
    assert entry.title == "&lt;b&gt;Bold&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;"
    assert html.unescape(entry.title) == "<b>Bold</b> & <script>alert(1)</script>"


@pytest.mark.parametrize("path", FEEDS)
def test_conditional_get(client, profile, make_paper, path):
    paper = make_paper("Engines")
    first = client.get(path)
    assert first.status_code == 200
    etag, modified = first["ETag"], first["Last-Modified"]

    assert client.get(path, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(path, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304

    Publication.objects.get(pk=paper.pk).save()
    changed = client.get(path, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_profile_edit_changes_validators(client, profile, make_paper):
    make_paper("Engines")
    etag = client.get("/research/feed/")["ETag"]
    profile.name = "Augusta Ada King"
    profile.save()
    response = client.get("/research/feed/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert feedparser.parse(response.content).feed.title == "Augusta Ada King: new papers"


@pytest.mark.parametrize("kind", ["", "atom/"])
def test_tag_feed_holds_only_that_tag(client, profile, make_paper, kind):
    make_paper("Tagged", tags=["engines"])
    make_paper("Other", tags=["poetry"])
    make_paper("Tagged draft", tags=["engines"], status=Publication.Status.DRAFT)
    feed = parse(client, f"/research/tags/engines/feed/{kind}")
    assert entry_titles(feed) == ["Tagged"]
    assert feed.feed.title == "Ada Lovelace: papers tagged “engines”"
    assert feed.feed.link == "http://testserver/research/tags/engines/"


def test_tag_feed_of_unknown_or_draft_only_tag_is_404(client, profile, make_paper):
    make_paper("Secret", tags=["secret"], status=Publication.Status.DRAFT)
    assert client.get("/research/tags/nope/feed/").status_code == 404
    assert client.get("/research/tags/secret/feed/").status_code == 404


def test_feed_works_without_profile_or_papers(client, db):
    for path in FEEDS:
        feed = parse(client, path)
        assert feed.entries == []
        assert feed.feed.title == "Research: new papers"


def test_feeds_use_site_url_when_set(client, settings, profile, make_paper):
    settings.SITE_URL = "https://ada.example.net"
    paper = make_paper("Engines")
    for path in FEEDS:
        feed = parse(client, path)
        assert feed.entries[0].link == f"https://ada.example.net/research/{paper.slug}/"
        assert feed.entries[0].id.startswith("tag:ada.example.net,")
        assert feed.feed.link == "https://ada.example.net/research/"


def test_missing_pdf_file_does_not_break_the_feed(client, profile, make_paper):
    paper = make_paper("Engines")
    paper.pdf.save("gone.pdf", ContentFile(b"%PDF"), save=True)
    paper.pdf.storage.delete(paper.pdf.name)
    entry = parse(client, "/research/feed/").entries[0]
    assert entry.enclosures[0].href.endswith(".pdf")


# 200 papers of 15 authors take 2-5 s to build: that case is slow (make test has it).
@pytest.mark.parametrize(("n", "authors"), [(5, 2), pytest.param(200, 15, marks=pytest.mark.slow)])
def test_query_count_does_not_grow_with_papers(
    client, profile, many_papers, django_assert_max_num_queries, n, authors
):
    many_papers(n, authors)
    for path in [*FEEDS, "/research/tags/common/feed/", "/research/tags/common/feed/atom/"]:
        with django_assert_max_num_queries(MAX_QUERIES):
            response = client.get(path)
        feed = feedparser.parse(response.content)
        assert len(feed.entries) == min(n, 50)
        assert len(feed.entries[0].tags) == 2


def test_rss_titles_with_quotes_read_as_typed(client, profile, make_paper):
    title = "LLMs trained on \"A is B\" fail to learn 'B is A' & <why>"
    make_paper(title)
    entry = parse(client, "/research/feed/").entries[0]

    # Quotes arrive as quotes (not "&quot;"); only the markup characters are escaped.
    assert entry.title == ("LLMs trained on \"A is B\" fail to learn 'B is A' &amp; &lt;why&gt;")
    assert html.unescape(entry.title) == title
    assert parse(client, "/research/feed/atom/").entries[0].title == title
