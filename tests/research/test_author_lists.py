"""How author lists, their marks and the marks' footnote show on every page."""

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError

from profiles.models import Profile
from research.bibtex import publication_bibtex
from research.models import MarkMeaning, Person, Publication


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def footnote(page):
    note = page.select_one(".equal-contribution")
    return note.get_text("|", strip=True) if note else None


@pytest.fixture
def owner(db):
    return Person.objects.create(name="Ada Owner", is_owner=True)


def test_footnote_lists_exactly_the_marks_used(client, make_paper, owner):
    make_paper("Starred", authors=["Ada Owner*", "Bo Other*"])
    make_paper("Daggered", authors=["Cy Third†", "Ada Owner"])
    make_paper("Unexplained", authors=["Di Fourth‡", "Ada Owner"])
    page = soup(client.get("/research/"))
    # ‡ has no meaning anywhere, so it is printed but not explained.
    assert footnote(page) == "* equal contribution|† corresponding author"
    authors = [p.decode_contents() for p in page.select(".authors")]
    assert "Di Fourth‡, <b>Ada Owner</b>" in authors

    starred = Publication.objects.get(title="Starred")
    assert footnote(soup(client.get(starred.get_absolute_url()))) == "* equal contribution"


def test_site_wide_meanings_are_edited_in_the_admin(editor_client, make_paper, owner):
    make_paper("Marked", authors=["Ada Owner§", "Bo Other*"], highlighted=True)
    add = editor_client.post(
        "/admin/research/markmeaning/add/", {"mark": "§", "meaning": "project lead"}
    )
    assert add.status_code == 302
    editor_client.post("/admin/research/markmeaning/add/", {"mark": "*", "meaning": "joint first"})
    assert footnote(soup(editor_client.get("/"))) == "* joint first|§ project lead"
    bad = editor_client.post("/admin/research/markmeaning/add/", {"mark": "x", "meaning": "?"})
    assert bad.status_code == 200 and MarkMeaning.objects.count() == 2


def test_a_papers_legend_overrides_the_site_meaning(client, make_paper, owner):
    make_paper(
        "Own legend",
        authors=["Ada Owner†", "Bo Other*"],
        legend="* These authors contributed equally\n† Project lead\nWork done at the Lab",
    )
    paper = Publication.objects.get(title="Own legend")
    detail = soup(client.get(paper.get_absolute_url()))
    assert footnote(detail) == (
        "* These authors contributed equally|† Project lead|Work done at the Lab"
    )
    # BibTeX writes the marks and the legend back as al-folio's annotation.
    text = publication_bibtex(Publication.objects.for_listing().get(pk=paper.pk), full=True)
    assert "author = {Ada Owner† and Bo Other*}" in text
    assert (
        "annotation = {* These authors contributed equally<br>† Project lead<br>"
        "Work done at the Lab}" in text
    )


def legend_under(page, title):
    """The legend line printed under one entry of a list, by the entry's title."""
    entry = next(li for li in page.select("li.paper") if li.h3.a.get_text(strip=True) == title)
    line = entry.select_one(".paper-legend")
    return line.get_text("|", strip=True) if line else None


@pytest.mark.parametrize("url", ["/research/", "/"])
def test_a_mark_two_papers_mean_differently_is_explained_under_each(client, make_paper, owner, url):
    make_paper(
        "Paper A",
        authors=["Ada Owner†", "Bo Other*"],
        legend="† Corresponding author",
        highlighted=True,
    )
    make_paper(
        "Paper B", authors=["Cy Third†", "Ada Owner"], legend="† Project lead", highlighted=True
    )
    make_paper("Paper C", authors=["Ada Owner*", "Di Fourth*"], highlighted=True)
    page = soup(client.get(url))

    # † means two things here: each paper says which, the page footnote only what all agree on.
    assert footnote(page) == "* equal contribution"
    assert legend_under(page, "Paper A") == "† Corresponding author"
    assert legend_under(page, "Paper B") == "† Project lead"
    assert legend_under(page, "Paper C") is None


def test_a_mark_explained_on_one_paper_only_is_not_claimed_for_the_others(
    client, make_paper, owner
):
    make_paper("Explained", authors=["Ada Owner‡"], legend="‡ Work done as an intern")
    make_paper("Unexplained", authors=["Bo Other‡", "Ada Owner"])
    page = soup(client.get("/research/"))
    assert footnote(page) is None
    assert legend_under(page, "Explained") == "‡ Work done as an intern"
    assert legend_under(page, "Unexplained") is None


def test_papers_agreeing_on_a_mark_share_one_footnote_line(client, make_paper, owner):
    make_paper("First", authors=["Ada Owner†", "Bo Other*"], legend="† Corresponding author.")
    make_paper("Second", authors=["Cy Third†", "Ada Owner"])  # the site's meaning, the same
    page = soup(client.get("/research/"))
    # Once, in the words of the first paper listed (the newest).
    assert footnote(page) == "* equal contribution|† corresponding author"
    assert page.select(".paper-legend") == []


def test_legend_markdown_is_sanitized(client, make_paper, owner):
    make_paper(
        "Linked",
        authors=["Ada Owner*"],
        legend="* see [the note](https://example.org/n) <script>alert(1)</script>",
    )
    detail = client.get(Publication.objects.get(title="Linked").get_absolute_url())
    assert b'<a href="https://example.org/n" rel="noopener noreferrer">the note</a>' in (
        detail.content
    )
    assert b"<script>alert" not in detail.content


def test_unknown_marks_are_refused(make_paper, owner):
    paper = make_paper("Bad mark", authors=["Ada Owner"])
    with pytest.raises(ValidationError, match="not an author mark"):
        paper.set_authors([(owner, "x", "")])
    assert [a.marks for a in Publication.objects.get(pk=paper.pk).authors] == [""]


def long_paper(make_paper, owner_position, n=12, **fields):
    names = [f"Author {i}" for i in range(n)]
    names[owner_position] = "Ada Owner*"
    return make_paper("Big collaboration", authors=names, highlighted=True, **fields)


def test_long_lists_are_cut_at_the_owners_limit(client, make_paper, owner):
    Profile.objects.create(name="Ada Owner", max_author_limit=3)
    paper = long_paper(make_paper, owner_position=7)
    for url in ("/", "/research/"):
        authors = soup(client.get(url)).select_one(".authors")
        shown = authors.find(string=True, recursive=False)
        assert authors.name == "div"
        assert shown.startswith("Author 0, Author 1, Author 2, … ")
        assert authors.b.get_text() == "Ada Owner*"  # the owner always shows
        details = authors.select_one("details.more-authors")
        assert details.summary.get_text() == "and 8 more"
        hidden = details.get_text().removeprefix("and 8 more: ")
        assert hidden == ", ".join(f"Author {i}" for i in (3, 4, 5, 6, 8, 9, 10, 11))

    # The paper's own page, feeds, BibTeX and meta tags carry everyone.
    detail = soup(client.get(paper.get_absolute_url()))
    assert detail.select_one(".authors").name == "p"
    assert len(detail.select_one(".authors").get_text().split(", ")) == 12
    assert len(detail.select("meta[name=citation_author]")) == 12
    entry = feedparser.parse(client.get("/research/feed/").content).entries[0]
    assert len(entry.author.split(", ")) == 12
    assert "details" not in entry.description
    bib = client.get(f"/research/{paper.slug}.bib").content.decode()
    assert bib.count(" and ") == 11


def test_no_limit_or_a_short_list_shows_everyone(client, make_paper, owner):
    Profile.objects.create(name="Ada Owner")
    long_paper(make_paper, owner_position=7)
    assert soup(client.get("/")).select_one("details") is None
    profile = Profile.load()
    profile.max_author_limit = 8
    profile.save()
    # Eight shown plus the owner already in them: the remaining four are hidden.
    summary = soup(client.get("/")).select_one("details summary").get_text()
    assert summary == "and 4 more"
    profile.max_author_limit = 12
    profile.save()
    assert soup(client.get("/")).select_one("details") is None


def test_owner_just_past_the_limit_needs_no_details(client, make_paper, owner):
    Profile.objects.create(name="Ada Owner", max_author_limit=3)
    make_paper("Four", authors=["A One", "B Two", "C Three", "Ada Owner"], highlighted=True)
    authors = soup(client.get("/")).select_one(".authors")
    assert authors.decode_contents() == "A One, B Two, C Three, <b>Ada Owner</b>"


def test_drafts_marks_do_not_reach_the_public_footnote(client, make_paper, owner):
    make_paper("Public", authors=["Ada Owner"])
    make_paper("Hidden", authors=["Ada Owner†"], status="draft")
    assert footnote(soup(client.get("/research/"))) is None
