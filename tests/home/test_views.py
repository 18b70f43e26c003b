"""The homepage, compared item by item with the al-folio page it reproduces."""

import re
from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from profiles.models import Profile, SocialLink
from research.models import Authorship, Person, Publication

SEED = Path(__file__).resolve().parent.parent / "data" / "seed_about.md"


def text(node):
    return " ".join(node.get_text().split()) if node else None


def links(node):
    return [(text(a), a["href"]) for a in node.find_all("a")]


def markdown_links(line):
    return re.findall(r"\[([^\]]+)\]\(([^)]+)\)", line)


def markdown_text(line):
    return " ".join(re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", line).split())


@pytest.fixture(scope="module")
def seed_page():
    """What the seed page shows, read from the seed file itself."""
    source = SEED.read_text(encoding="utf-8")
    soup = BeautifulSoup(source, "html.parser")
    bio = soup.select_one("#about-section > p")
    bullets = re.findall(r"^\* (.+)$", source, flags=re.M)
    papers = []
    for li in soup.select("ul.research > li"):
        code = li.select_one("p.link a")
        papers.append(
            {
                "title": text(li.find("h3")),
                "href": li.select_one(".text > a")["href"],
                "authors": text(li.select_one("p.authors")),
                "bold": [text(b) for b in li.select("p.authors b")],
                "venue": text(li.select_one("p.venues")),
                "tldr": text(li.select_one("p.tldr")),
                "code": code["href"] if code else None,
            }
        )
    return {
        "bio": text(bio),
        "bio_links": links(bio),
        "social": links(soup.select_one("div.social")),
        "bullets": [markdown_text(b) for b in bullets],
        "bullet_links": [link for b in bullets for link in markdown_links(b)],
        "papers": papers,
        "footnote": text(soup.select_one(".equal-contribution")),
    }


def get_home(client):
    response = client.get("/")
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def shown_papers(page):
    papers = []
    for li in page.select("ul.research > li"):
        code = li.find("a", string="Code")
        thumbnail = li.select_one(".thumbnail img")
        papers.append(
            {
                "title": text(li.find("h3")),
                "href": li.find("h3").find("a")["href"],
                "authors": text(li.select_one(".authors")),
                "bold": [text(b) for b in li.select(".authors b")],
                "venue": text(li.select_one(".venues")),
                "tldr": text(li.select_one(".tldr")),
                "code": code["href"] if code else None,
                "thumbnail_alt": thumbnail["alt"] if thumbnail else None,
            }
        )
    return papers


def test_homepage_shows_every_seed_item_in_order(client, seeded, seed_page):
    page = get_home(client)

    photo = page.select_one("figure.profile img")
    assert "profile-right" in photo.find_parent("figure")["class"]
    assert "circular" in photo["class"]
    assert photo["alt"] == "Mikita Balesni"
    assert client.get(photo["src"]).status_code == 200

    bio = page.select_one("#about-section > p")
    assert text(bio) == seed_page["bio"]
    assert links(bio) == seed_page["bio_links"]

    assert links(page.select_one(".social")) == seed_page["social"]
    assert len(seed_page["social"]) == 6  # the seed's CV link is commented out
    assert " / ".join(label for label, _ in seed_page["social"]) in text(page.select_one(".social"))

    headings = [text(h) for h in page.select("main h2")]
    assert headings == ["Active research", "Highlighted Research"]
    research = page.select_one("#active-research").parent
    assert [text(li) for li in research.select("li")] == seed_page["bullets"]
    assert links(research.find("ul")) == seed_page["bullet_links"]

    papers = shown_papers(page)
    expected = seed_page["papers"]
    assert [p["title"] for p in papers] == [p["title"] for p in expected]
    for shown, seed in zip(papers, expected, strict=True):
        for key in ("href", "authors", "bold", "venue", "tldr", "code"):
            assert shown[key] == seed[key], (seed["title"], key)
        assert shown["thumbnail_alt"] == seed["title"]
    assert text(page.select_one(".equal-contribution")) == seed_page["footnote"]


def test_the_seed_spellings_of_one_person_are_kept_per_paper(client, seeded):
    papers = shown_papers(get_home(client))
    assert "Tomek Korbak" in papers[0]["authors"]
    assert "Tomasz Korbak" in papers[3]["authors"]
    assert "Jeremy Scheurer" in papers[1]["authors"]
    assert "Jérémy Scheurer*" in papers[2]["authors"]
    assert Person.objects.filter(name__endswith="Korbak").count() == 1
    assert Person.objects.filter(name__endswith="Scheurer").count() == 1


def make_paper(title, authors, *, when=date(2024, 1, 1), **fields):
    """authors: (person, equal_contribution) pairs, in order."""
    paper = Publication.objects.create(title=title, date=when, **{"highlighted": True, **fields})
    for position, (person, equal) in enumerate(authors):
        Authorship.objects.create(
            publication=paper, person=person, position=position, equal_contribution=equal
        )
    return paper


@pytest.fixture
def people(db):
    return {
        "owner": Person.objects.create(name="Ada Owner", is_owner=True),
        "bo": Person.objects.create(name="Bo Other"),
        "cy": Person.objects.create(name="Cy Third"),
    }


def test_owner_is_bold_and_equal_contributors_are_starred(client, people):
    make_paper("P", [(people["bo"], True), (people["owner"], True), (people["cy"], False)])
    page = get_home(client)
    authors = page.select_one(".authors")
    assert text(authors) == "Bo Other*, Ada Owner*, Cy Third"
    assert authors.decode_contents().startswith("Bo Other*, <b>Ada Owner*</b>, Cy Third")
    assert [text(b) for b in authors.find_all("b")] == ["Ada Owner*"]


def test_footnote_only_when_a_listed_paper_has_an_equal_contributor(client, people):
    make_paper("Solo", [(people["owner"], False)])
    assert get_home(client).select_one(".equal-contribution") is None

    hidden = make_paper("Not on homepage", [(people["bo"], True), (people["owner"], True)])
    hidden.highlighted = False
    hidden.save()
    assert get_home(client).select_one(".equal-contribution") is None

    make_paper("Joint", [(people["bo"], True), (people["owner"], True)])
    assert text(get_home(client).select_one(".equal-contribution")) == "* equal contribution"


def test_highlighted_papers_newest_first_and_drafts_nowhere(client, people):
    make_paper("Older", [(people["owner"], False)], when=date(2022, 5, 1))
    make_paper("Newer", [(people["owner"], False)], when=date(2024, 5, 1))
    draft = make_paper(
        "Secret draft", [(people["owner"], False)], when=date(2025, 1, 1), status="draft"
    )
    make_paper("Not highlighted", [(people["owner"], False)], highlighted=False)

    page = get_home(client)
    assert [p["title"] for p in shown_papers(page)] == ["Newer", "Older"]
    assert b"Secret draft" not in client.get("/").content
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_staff_see_a_draft_page_with_a_banner(editor_client, people):
    draft = make_paper("Draft paper", [(people["owner"], False)], status="draft")
    page = BeautifulSoup(editor_client.get(draft.get_absolute_url()).content, "html.parser")
    assert "Draft" in text(page.select_one(".draft-banner"))


def test_hidden_social_links_are_not_shown(client, seeded):
    profile = Profile.load()
    SocialLink.objects.filter(label="GitHub").update(visible=False)
    shown = [label for label, _ in links(get_home(client).select_one(".social"))]
    assert "GitHub" not in shown
    assert shown == ["Feedback form", "Email", "Google Scholar", "Facebook", "Twitter"]

    # The hidden CV link appears once it is made visible and a CV is uploaded.
    cv = profile.links.get(kind="cv")
    cv.visible = True
    cv.save()
    assert "CV" not in [label for label, _ in links(get_home(client).select_one(".social"))]
    from django.core.files.base import ContentFile

    profile.cv.save("cv.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    row = dict(links(get_home(client).select_one(".social")))
    assert row["CV"] == profile.cv.url


def test_markdown_cannot_inject_script_into_the_homepage(client, seeded):
    profile = Profile.load()
    profile.bio = (
        'Hi <script>alert("x")</script> [click](javascript:alert(1)) '
        '<img src=x onerror="alert(2)"> <a href="data:text/html,boom">d</a>'
    )
    profile.save()
    page = get_home(client)
    bio = page.select_one("#about-section")
    assert bio.find("script") is None
    assert page.find("script") is None
    for a in bio.find_all("a"):
        assert not a.get("href", "").lower().startswith(("javascript:", "data:"))
    for tag in bio.find_all(True):
        assert not [attr for attr in tag.attrs if attr.startswith("on")]


def test_fresh_install_without_content_still_renders(client, db):
    page = get_home(client)
    assert text(page.find("h1")) == "Welcome"
    assert page.find("a", string="editor")["href"] == "/admin/"
    assert "Highlighted Research" not in page.get_text()
