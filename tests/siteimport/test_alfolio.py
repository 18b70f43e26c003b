"""import_site on al-folio sites: the seed page, al-folio's own template, two real sites.

Each expectation below is read off the stored files by hand (tests/data/sites/).
"""

import io

import pytest
from bs4 import BeautifulSoup
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from PIL import Image

from profiles.models import Profile, SocialLink
from research.models import Person, Publication
from tests.home.test_views import (  # noqa: F401 (seed_page is a fixture)
    get_home,
    links,
    seed_page,
    shown_papers,
    text,
)

from .conftest import RAW, import_site, site, snapshot, stored_text

pytestmark = pytest.mark.django_db


def link_rows():
    return [(link.label, link.url, link.kind) for link in SocialLink.objects.order_by("position")]


def assert_nothing_raw(client, *paths):
    for value in stored_text():
        for marker in RAW:
            assert marker not in value, (marker, value[:200])
    for path in ("/", "/research/", *paths):
        html = client.get(path).content.decode()
        main = BeautifulSoup(html, "html.parser").find("main")
        for marker in ("{%", "{{", "%}", "}}"):
            assert marker not in main.get_text(), (path, marker)


def assert_second_run_changes_nothing(folder):
    before = snapshot()
    files = sorted(default_storage.listdir("")[0]) if default_storage.exists("") else []
    output = import_site(folder)
    assert "Done: nothing to change" in output
    assert snapshot() == before
    assert (sorted(default_storage.listdir("")[0]) if default_storage.exists("") else []) == files


# --- the seed page ------------------------------------------------------------------


def test_seed_folder_shows_the_seed_bio_links_and_sections(client, seed_page):  # noqa: F811
    import_site(site("mbalesni-seed"))
    page = get_home(client)

    bio = page.select_one("#about-section > p")
    assert text(bio) == seed_page["bio"]
    assert links(bio) == seed_page["bio_links"]
    assert links(page.select_one(".social")) == seed_page["social"]
    assert [text(h) for h in page.select("main h2")] == ["Active research", "Highlighted Research"]
    research = page.select_one("#active-research").parent
    assert [text(li) for li in research.select("li")] == seed_page["bullets"]
    assert links(research.find("ul")) == seed_page["bullet_links"]

    papers = shown_papers(page)
    assert [p["title"] for p in papers] == [p["title"] for p in seed_page["papers"]]
    for shown, seed in zip(papers, seed_page["papers"], strict=True):
        for key in ("href", "authors", "bold", "venue", "tldr", "code"):
            assert shown[key] == seed[key], (seed["title"], key)
    assert text(page.select_one(".equal-contribution")) == seed_page["footnote"]
    assert Profile.objects.get().name == "Mikita Balesni"
    assert_nothing_raw(client)
    assert_second_run_changes_nothing(site("mbalesni-seed"))


# --- al-folio's own template -----------------------------------------------------------


def test_alfolio_template_imports_item_by_item(client):
    output = import_site(site("alshedivat-al-folio"))
    profile = Profile.objects.get()
    # _config.yml: first_name You, middle_name R., last_name Name.
    assert profile.name == "You R. Name"
    # _pages/about.md: subtitle (HTML) as text, align right, image_circular false.
    assert profile.subtitle == "Affiliations. Address. Contacts. Motto. Etc."
    assert (profile.photo_alignment, profile.photo_circular) == ("right", False)
    assert profile.bio.startswith("Write your biography here. Tell the world about yourself.")
    assert "[subreddit](http://reddit.com)" in profile.bio
    # more_info is printed under the photo by al-folio: it ends the bio here.
    assert profile.bio.endswith(
        "555 your office number\n\n123 your address street\n\nYour City, State 12345"
    )
    # _data/socials.yml, in its order; rss_icon is no profile link.
    assert link_rows() == [
        ("Email", "mailto:you@example.com", "email"),
        ("Inspire HEP", "https://inspirehep.net/authors/1010907", "other"),
        (
            "Google Scholar",
            "https://scholar.google.com/citations?user=qc6CJjYAAAAJ",
            "google-scholar",
        ),
        ("Custom Social", "https://www.alberteinstein.com/", "other"),
    ]
    # scholar: last_name [Einstein], first_name [Albert, A.]: one owner on all nine papers.
    owner = Person.objects.get(is_owner=True)
    assert owner.name == "Albert Einstein"
    assert Publication.objects.count() == 9
    for paper in Publication.objects.all():
        assert owner in paper.people.all(), paper.title
    assert Person.objects.filter(name__icontains="Einstein").count() == 1
    # _data/coauthors.yml: homepages of the co-authors on the papers.
    assert (
        Person.objects.get(name="B. Podolsky").homepage
        == "https://en.wikipedia.org/wiki/Boris_Podolsky"
    )
    assert (
        Person.objects.get(name="Max Planck").homepage == "https://en.wikipedia.org/wiki/Max_Planck"
    )
    # selected={true} on the EPR paper only.
    assert list(Publication.objects.filter(highlighted=True).values_list("title", flat=True)) == [
        "Can Quantum-Mechanical Description of Physical Reality Be Considered Complete?"
    ]
    # What it printed: per kind, and what it left out and why.
    assert "papers: 9 created" in output
    assert "social links: 4 created" in output
    assert "_data/socials.yml: rss_icon: not imported" in output
    assert "_pages/publications.md" in output
    assert_nothing_raw(client)
    assert_second_run_changes_nothing(site("alshedivat-al-folio"))


def _png(path, size=(60, 40), colour=(200, 30, 30)):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, colour).save(path)


def _pdf(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def test_template_uploads_are_checked_like_every_upload(client, copy_site):
    # FILES.txt names these; the store holds no binaries, so stand-ins of the same names.
    folder = copy_site("alshedivat-al-folio")
    _png(folder / "assets/img/prof_pic.jpg".replace(".jpg", ".png"))
    (folder / "assets/img/prof_pic.png").rename(folder / "assets/img/prof_pic.jpg")  # PNG content
    _pdf(folder / "assets/pdf/example_pdf.pdf")
    gif = folder / "assets/img/publication_preview/brownian-motion.gif"
    gif.parent.mkdir(parents=True)
    Image.new("RGB", (10, 10)).save(gif, format="GIF")

    output = import_site(folder)
    profile = Profile.objects.get()
    # The photo is a PNG named .jpg: refused, as the editor refuses it.
    assert not profile.photo
    assert "assets/img/prof_pic.jpg: the profile picture:" in output
    # The CV: _pages/cv.md names cv_pdf: example_pdf.pdf.
    assert profile.cv.name.startswith("cv/example_pdf")
    # papers.bib: pdf = {example_pdf.pdf} on the EPR paper; preview GIFs are refused.
    epr = Publication.objects.get(title__startswith="Can Quantum-Mechanical")
    assert epr.pdf.name.startswith("papers/example_pdf")
    assert not Publication.objects.exclude(thumbnail="").exists()
    assert "brownian-motion.gif: the preview picture:" in output

    (folder / "assets/img/prof_pic.jpg").unlink()
    Image.new("RGB", (50, 50), (10, 120, 10)).save(
        folder / "assets/img/prof_pic.jpg", format="JPEG"
    )
    import_site(folder)
    profile.refresh_from_db()
    assert profile.photo and client.get(profile.photo.url).status_code == 200
    assert_second_run_changes_nothing(folder)


# --- real sites --------------------------------------------------------------------------


def test_attarpour_site(client):
    import_site(site("AAttarpour-AAttarpour.github.io"))
    profile = Profile.objects.get()
    assert profile.name == "Ahmadreza Attarpour"
    assert (
        profile.subtitle == "AI Scientist | Foundation Models · Agentic AI · Large Biomedical Data"
    )
    assert (profile.photo_alignment, profile.photo_circular) == ("right", False)
    assert profile.bio.startswith(
        "I build **end-to-end AI-based pipelines**, **foundation models**, and **agentic AI"
    )
    # The hand-written "Featured Work" cards become plain Markdown under their heading.
    assert "## Featured Work" in profile.bio
    assert (
        "### [ACE — AI-based Cartography of Ensembles](https://doi.org/10.1038/s41592-024-02583-1)"
        in profile.bio
    )
    assert (
        "[Docs](https://miracl.readthedocs.io/en/latest/tutorials/workflows/ace_flow/ace_flow.html)"
        in profile.bio
    )
    assert "margin-top" not in profile.bio and "proj_ace.png" not in profile.bio
    assert link_rows() == [
        ("Email", "mailto:a.attarpour@mail.utoronto.ca", "email"),
        ("LinkedIn", "https://www.linkedin.com/in/ahmadreza-attarpour-phd-a049b816b", "linkedin"),
        ("GitHub", "https://github.com/AAttarpour", "github"),
        (
            "Google Scholar",
            "https://scholar.google.com/citations?user=6m7xbK4AAAAJ",
            "google-scholar",
        ),
    ]
    titles = list(Publication.objects.values_list("title", flat=True))
    assert len(titles) == 5
    owner = Person.objects.get(is_owner=True)
    assert owner.name == "Ahmadreza Attarpour"
    assert all(owner in p.people.all() for p in Publication.objects.all())
    assert sorted(Publication.objects.filter(highlighted=True).values_list("title", flat=True)) == [
        "A deep learning pipeline for 3D brain-wide mapping of local neuronal ensembles in "
        "tera-voxel light sheet microscopy",
        "Quantitative profiling of whole-brain connectomes at single-axon resolution using deep "
        "learning and high-resolution light sheet microscopy",
    ]
    # _data/cv.yml in RenderCV's form: sections in order, entries with their dates.
    from cv.models import CVSection

    sections = {s.heading: list(s.entries.all()) for s in CVSection.objects.all()}
    assert list(sections) == ["Experience", "Education", "Awards", "Skills"]
    uhn = sections["Experience"][0]
    assert (uhn.title, uhn.organisation, uhn.location) == (
        "AI Scientist",
        "University Health Network (UHN) & Peter Munk Cardiac Centre (PMCC) AI Team",
        "Toronto, Canada",
    )
    assert (uhn.start, uhn.end, uhn.ongoing, uhn.url) == ("2025-11", "", True, "https://pmcc.ai/")
    phd = sections["Education"][0]
    assert (phd.title, phd.organisation, phd.start, phd.end) == (
        "Ph.D. Medical Biophysics", "University of Toronto", "2020-09", "2025-11",
    )  # fmt: skip
    assert [e.title for e in sections["Awards"]] == [
        "Medical Biophysics Excellence Award", "VAST Doctoral Scholarship Award",
    ]  # fmt: skip
    assert sections["Skills"][0].details.startswith("Python, C/C++, MATLAB, Bash, Java")
    assert_nothing_raw(client, "/cv/")
    assert_second_run_changes_nothing(site("AAttarpour-AAttarpour.github.io"))


def test_yuntongzhang_site_with_social_keys_in_config(client):
    output = import_site(site("yuntongzhang-yuntongzhang.github.io"))
    profile = Profile.objects.get()
    assert profile.name == "Yuntong Zhang"
    assert profile.bio.startswith("Hello, I am Yuntong Zhang (张云彤). Welcome to my home page.")
    assert "advised by Prof. [Abhik Roychoudhury](https://abhikrc.com/)." in profile.bio
    # The commented-out biography is not shown; more_info ends the bio.
    assert "subreddit" not in profile.bio
    assert profile.bio.endswith("zhang.yuntong@u.nus.edu")
    # Older al-folio: the social keys sit in _config.yml, shown in social.liquid's order.
    assert link_rows() == [
        (
            "Google Scholar",
            "https://scholar.google.com/citations?user=3aKOLKEAAAAJ",
            "google-scholar",
        ),
        ("GitHub", "https://github.com/yuntongzhang", "github"),
        ("LinkedIn", "https://www.linkedin.com/in/ytz", "linkedin"),
        ("Twitter", "https://twitter.com/yuntongzh", "twitter"),
        ("DBLP", "https://dblp.org/pid/214/6986-2.html", "other"),
    ]
    # Pages that are only an include are reported with their line, not shown.
    assert (
        "_pages/talks.md:9: Liquid include “{% include talks.liquid %}” cannot run here" in output
    )
    assert "_pages/services.md:8: Liquid include" in output
    assert_nothing_raw(client)
    assert_second_run_changes_nothing(site("yuntongzhang-yuntongzhang.github.io"))


# --- merging and bad input -----------------------------------------------------------------


def test_merging_into_an_existing_site_duplicates_nothing(client, seeded):
    papers, people = Publication.objects.count(), Person.objects.count()
    links_before = link_rows()
    output = import_site(site("mbalesni-seed"))
    # The demo is the same page: every paper, person and link is found, none added.
    assert Publication.objects.count() == papers
    assert Person.objects.count() == people
    assert link_rows() == links_before
    assert "papers: 5 unchanged" in output
    assert Person.objects.filter(is_owner=True).get().name == "Mikita Balesni"


def test_bad_yaml_is_an_error_with_its_line_and_nothing_is_saved(copy_site):
    folder = copy_site("alshedivat-al-folio")
    socials = folder / "_data" / "socials.yml"
    socials.write_text(socials.read_text() + "broken: [unclosed\n")
    with pytest.raises(
        CommandError, match=r"_data/socials.yml:\d+: not valid YAML.*Nothing was saved"
    ):
        call_command("import_site", str(folder), stdout=io.StringIO())
    assert not Profile.objects.exists() and not Publication.objects.exists()


def test_a_folder_that_is_no_site_is_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(CommandError, match="not an al-folio, Hugo Blox or academicpages site"):
        call_command("import_site", str(tmp_path), stdout=io.StringIO())


def test_dry_run_saves_nothing(copy_site):
    folder = copy_site("alshedivat-al-folio")
    _pdf(folder / "assets/pdf/example_pdf.pdf")
    output = import_site(folder, "--dry-run")
    assert "papers: 9 created" in output and "Dry run: nothing was saved." in output
    assert not Profile.objects.exists() and not Publication.objects.exists()
    assert not default_storage.exists("cv")


# --- news, pages and the homepage's sections ------------------------------------------------


def test_template_news_and_homepage_sections(client):
    from news.models import NewsItem

    import_site(site("alshedivat-al-folio"))
    items = [(n.date.isoformat(), n.text, n.title) for n in NewsItem.objects.order_by("date")]
    # _news/announcement_{1,2,3}.md: two inline items and one with a page of its own.
    assert items == [
        ("2015-10-22", "A simple inline announcement.", ""),
        ("2015-11-07", "A long announcement with details", "A long announcement with details"),
        ("2016-01-15", "A simple inline announcement with Markdown emoji! ✨ 😄", ""),
    ]
    long = NewsItem.objects.get(title="A long announcement with details")
    assert "#### Hipster list\n\n* brunch\n* fixie" in long.body
    assert "> We do not grow absolutely, chronologically." in long.body
    # announcements: enabled: true, limit: 5, selected_papers: true -> both sections shown.
    from profiles.models import HomeSection

    assert HomeSection.objects.get(key="news").items == 5
    home = get_home(client)
    headings = [text(h) for h in home.select("main h2")]
    assert "News" in headings and "Highlighted Research" in headings
    assert "A simple inline announcement with Markdown emoji! ✨ 😄" in text(home.find("main"))
    news_page = BeautifulSoup(client.get("/news/").content, "html.parser").find("main")
    assert "A long announcement with details" in text(news_page)
    detail = client.get(long.get_absolute_url())
    assert b"Hipster list" in detail.content
    assert_nothing_raw(client, "/news/", long.get_absolute_url(), "/cv/")


def test_attarpour_page_news_and_switches(client):
    from news.models import NewsItem
    from pages.models import Page

    import_site(site("AAttarpour-AAttarpour.github.io"))
    page = Page.objects.get(slug="credentials")
    assert (page.title, page.show_in_menu) == ("Credentials", True)
    assert page.body.startswith(
        "## Patents & Disclosures\n\nSystem and Method for Unbiased Mapping"
    )
    assert "Sept. 2020 – Aug. 2021  \nJan. 2022 – Aug. 2022" in page.body
    shown = BeautifulSoup(client.get("/credentials/").content, "html.parser")
    assert [text(h) for h in shown.select("main h2")] == [
        "Patents & Disclosures",
        "Awards & Honors",
    ]
    assert "credentials" in [a["href"].strip("/") for a in shown.select(".nav-links a")]
    assert NewsItem.objects.count() == 3
    # announcements: enabled: false and selected_papers: false: neither on the homepage.
    headings = [text(h) for h in get_home(client).select("main h2")]
    assert "News" not in headings and "Highlighted Research" not in headings
    assert_nothing_raw(client, "/credentials/", "/news/")


def test_template_publications_page_lists_every_entry_by_year(client):
    import_site(site("alshedivat-al-folio"))
    page = BeautifulSoup(client.get("/research/").content, "html.parser")
    shown = {
        text(section.find("h2")): sorted(text(h) for h in section.select("h3 > a"))
        for section in page.select("section.year")
    }
    # _bibliography/papers.bib, read by hand: al-folio groups it by year, newest first.
    assert list(shown) == ["1967", "1956", "1950", "1935", "1920", "1905"]
    assert shown["1935"] == [
        "Can Quantum-Mechanical Description of Physical Reality Be Considered Complete?"
    ]
    assert shown["1905"] == sorted(
        [
            "Über die von der molekularkinetischen Theorie der Wärme geforderte Bewegung von in "
            "ruhenden Flüssigkeiten suspendierten Teilchen",
            "Un the movement of small particles suspended in statiunary liquids required by the "
            "molecular-kinetic theory 0f heat",
            "On the electrodynamics of moving bodies",
            "Über einen die Erzeugung und Verwandlung des Lichtes betreffenden heuristischen "
            "Gesichtspunkt",
        ]
    )
    for year in ("1967", "1956", "1950", "1920"):
        assert len(shown[year]) == 1
    # The owner is bold on every paper of his, under each spelling the file prints.
    for entry in page.select("section.year li.paper"):
        assert "Einstein" in text(entry.select_one(".authors b")), text(entry.find("h3"))
