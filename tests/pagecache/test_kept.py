"""What pages keep between requests under the versions of the models it comes from.

The profile with its links and homepage sections, the menu and what the author
marks mean are read again only when those change (pagecache.freshness): an
edit of one of them shows on the very next request, with the page cache on as
in production, and an edit of a paper afterwards reads none of them again.
"""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cv.models import CVSection
from news.models import NewsItem
from pages.models import MenuItem, Page
from profiles.models import HomeSection, Profile, SocialLink
from research.models import MarkMeaning, Publication
from talks.models import Talk
from tests.caches import empty_caches

HOME = "/"
PAPER = "/research/reversal-curse/"
# What must not be read again after an edit of a paper.
KEPT_TABLES = [
    "profile_profile",
    "profile_sociallink",
    "profile_homesection",
    "pages_menuitem",
    "pages_page",
    "research_markmeaning",
    "news_newsitem",
    "talks_talk",
    "cv_cvsection",
]


def text(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser").get_text(" ")


def menu(client, url=HOME):
    response = client.get(url)
    assert response.status_code == 200, url
    page = BeautifulSoup(response.content, "html.parser")
    return [a.get_text(strip=True) for a in page.select(".nav-links a")]


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def edit_a_paper():
    # Highlighted, so the homepage renders its entry again; not the paper page's paper.
    paper = Publication.objects.get(slug="taken-out-of-context")
    paper.title = f"{paper.title} (revised)"
    paper.save()


def rename_profile():
    profile = Profile.load()
    profile.name = "Renamed Owner"
    profile.save()
    return None, "Renamed Owner", [HOME, PAPER]  # the old name is an author's too


def rewrite_bio():
    profile = Profile.load()
    profile.bio = "I study how language models reason about themselves."
    profile.save()
    return "founding member", "reason about themselves", [HOME]


def relabel_link():
    link = SocialLink.objects.get(label="Google Scholar")
    link.label = "Scholar profile"
    link.save()
    return "Google Scholar", "Scholar profile", [HOME]


def retitle_section():
    section = HomeSection.objects.get(key=HomeSection.Key.ACTIVE_RESEARCH)
    section.heading = "Current work"
    section.save()
    return "Active research", "Current work", [HOME]


def relabel_menu_item():
    MenuItem.objects.sync()
    item = MenuItem.objects.get(key="research")
    item.label = "papers and preprints"
    item.save()
    return None, "papers and preprints", [HOME, PAPER]


def add_a_page():
    Page.objects.create(title="Outreach", body="Talks at schools.")
    return None, "Outreach", [HOME, PAPER]


def retitle_a_page():
    page = Page.objects.get(title="Projects")
    page.title = "Side projects"
    page.save()
    return "Projects", "Side projects", [HOME, PAPER]


def redefine_a_mark():
    MarkMeaning.objects.create(mark="*", meaning="joint first authors")
    return "equal contribution", "joint first authors", [HOME, PAPER]


@pytest.mark.parametrize(
    "edit",
    [
        rename_profile,
        rewrite_bio,
        relabel_link,
        retitle_section,
        relabel_menu_item,
        add_a_page,
        retitle_a_page,
        redefine_a_mark,
    ],
)
def test_an_edit_of_what_pages_keep_shows_on_the_next_request_and_outlives_a_paper_edit(
    client, seeded, edit
):
    Page.objects.create(title="Projects", body="Things I build.")
    for url in (HOME, PAPER):
        text(client, url)  # everything kept and cached
    old, new, urls = edit()
    for url in urls:
        after = text(client, url)
        assert new in after, url
        if old:
            assert old not in after, url
    edit_a_paper()
    for url in urls:
        read = queries(client, url)
        kept = [sql[:80] for sql in read if any(f'"{t}"' in sql for t in KEPT_TABLES)]
        assert kept == [], url
        after = text(client, url)
        assert new in after and "(revised)" in text(client, HOME)


def test_a_cold_render_after_a_paper_edit_reads_the_versions_and_papers_only(client, seeded):
    """The first homepage and paper page after an edit of a highlighted paper: the
    site-wide stamp (all a page cache hit reads), every model's versions, then the
    homepage's list rows and the one entry to render again (the paper, its
    authors, its tags); the paper page its paper (its body is cached)."""
    for url in (HOME, PAPER):
        text(client, url)
    edit_a_paper()
    home, paper = queries(client, HOME), queries(client, PAPER)
    assert len(home) == 6, home
    assert len(paper) == 3, paper
    for sql in home + paper:
        assert not any(f'"{table}"' in sql for table in KEPT_TABLES), sql
    # A process that kept nothing reads them all (the profile, its sections and
    # links, the marks, the menu's rows and its "has content" questions).
    empty_caches()
    edit_a_paper()
    assert len(queries(client, HOME)) > len(home) + 5
    assert len(queries(client, PAPER)) > len(paper) + 3


def test_new_content_shows_its_menu_entry_on_the_next_request(client, seeded):
    assert "news" not in menu(client) and "talks" not in menu(client, PAPER)
    item = NewsItem.objects.create(text="We moved.", status="published")
    assert "news" in menu(client) and "news" in menu(client, PAPER)
    Talk.objects.create(title="A talk", event="A workshop", date=datetime.date(2024, 1, 1))
    assert "talks" in menu(client)
    item.status = "draft"
    item.save()
    assert "news" not in menu(client)
    edit_a_paper()
    assert "talks" in menu(client) and "news" not in menu(client)


def test_the_cv_entry_follows_the_papers_a_cv_section_of_papers_shows(client, seeded):
    assert "cv" not in menu(client)
    CVSection.objects.create(
        kind=CVSection.Kind.PAPERS, papers=CVSection.Papers.HIGHLIGHTED, status="published"
    )
    assert "cv" in menu(client)
    edit_a_paper()  # the answer is asked again, and still yes
    assert "cv" in menu(client, PAPER)
    for paper in Publication.objects.all():
        paper.highlighted = False
        paper.save()
    assert "cv" not in menu(client)


def test_the_kept_profile_is_read_only(client, seeded, rf):
    text(client, HOME)
    shown = Profile.shown(rf.get("/"))
    assert Profile.shown(rf.get("/")) is shown
    with pytest.raises(TypeError):
        shown.save()
    # Each caller gets its own list: changing one changes nothing kept.
    links = shown.visible_links()
    links.clear()
    assert shown.visible_links()
    edited = Profile.load()
    edited.name = "Someone Else"
    edited.save()
    assert Profile.shown(rf.get("/")) is not shown
    assert Profile.shown(rf.get("/")).name == "Someone Else"
