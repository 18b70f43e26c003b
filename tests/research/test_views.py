import datetime
import json
import re
from pathlib import Path

import bibtexparser
import pytest
from bs4 import BeautifulSoup
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.test import Client

from profiles.models import Profile
from research.bibtex_import import latex_to_markdown as decode_latex
from research.models import Person, Publication

# The most SQL queries /research/, a tag page, a paper page and a .bib may take,
# whatever the number of papers, authors, tags and extra links. The first page
# after an edit also works out the site menu (pages.menu: a fixed handful of
# queries, once per content version and process).
MAX_QUERIES = 13


def soup(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content.decode(), "html.parser")


def titles(page):
    return [
        h.get_text(strip=True).removesuffix("Highlighted") for h in page.select(".paper .title")
    ]


def meta(page, name):
    return [m["content"] for m in page.find_all("meta", attrs={"name": name})]


def prop(page, name):
    return [m["content"] for m in page.find_all("meta", attrs={"property": name})]


# /research/


def test_archive_groups_published_papers_by_year_newest_first(client, make_paper):
    make_paper("Old", date=datetime.date(2021, 2, 1))
    make_paper("New", date=datetime.date(2024, 7, 1))
    make_paper("Mid early", date=datetime.date(2023, 1, 1))
    make_paper("Mid late", date=datetime.date(2023, 9, 1))
    make_paper("Hidden", date=datetime.date(2024, 8, 1), status=Publication.Status.DRAFT)

    page = soup(client.get("/research/"))

    years = [section.h2.get_text() for section in page.select("section.year")]
    assert years == ["2024", "2023", "2021"]
    by_year = {
        s.h2.get_text(): [t.get_text(strip=True) for t in s.select(".title a")]
        for s in page.select("section.year")
    }
    assert by_year == {"2024": ["New"], "2023": ["Mid late", "Mid early"], "2021": ["Old"]}
    assert "Hidden" not in page.get_text()


def test_archive_entry_shows_links_tags_and_highlight(client, make_paper):
    paper = make_paper(
        "Full entry",
        authors=["Ada Lovelace*", "Alan Turing*"],
        tags=["Safety Cases", "evals"],
        url="https://arxiv.org/abs/2401.00001",
        pdf_url="https://arxiv.org/pdf/2401.00001",
        code_url="https://github.com/x/y",
        website_url="https://project.example.org/",
        venue="ICLR 2024",
        tldr="We *show* things.",
        highlighted=True,
    )
    make_paper("Plain entry", date=datetime.date(2020, 1, 1))

    page = soup(client.get("/research/"))
    entry, plain = page.select("li.paper")

    assert entry.select_one(".title a")["href"] == f"/research/{paper.slug}/"
    assert entry.select_one(".badge").get_text() == "Highlighted"
    assert "highlighted" in entry["class"]
    assert plain.select_one(".badge") is None
    links = {a.get_text(): a["href"] for a in entry.select(".links a")}
    assert links == {
        "Paper": "https://arxiv.org/abs/2401.00001",
        "PDF": "https://arxiv.org/pdf/2401.00001",
        "Code": "https://github.com/x/y",
        "Project page": "https://project.example.org/",
        "BibTeX": f"/research/{paper.slug}.bib",
    }
    tags = {a.get_text(): a["href"] for a in entry.select(".tags a")}
    assert tags == {
        "Safety Cases": "/research/tags/safety-cases/",
        "evals": "/research/tags/evals/",
    }
    assert entry.select_one(".authors").get_text() == "Ada Lovelace*, Alan Turing*"
    assert entry.select_one(".tldr em").get_text() == "show"
    assert page.select_one(".equal-contribution").get_text(strip=True) == "* equal contribution"


def test_archive_without_equal_contributors_has_no_footnote(client, make_paper):
    make_paper("Solo", authors=["Ada Lovelace"])
    assert soup(client.get("/research/")).select_one(".equal-contribution") is None


def test_empty_archive_says_so(client, db):
    assert "No papers yet." in soup(client.get("/research/")).get_text()


def test_homepage_links_to_archive_and_keeps_seed_entries(client, seeded):
    page = soup(client.get("/"))

    assert page.find("a", string="All papers")["href"] == "/research/"
    assert page.select_one("nav .nav-links").find("a", string="research")["href"] == "/research/"
    entry = page.select_one("li.paper")
    # Homepage entries stay as the seed shows them: title to the paper itself, no tags.
    assert entry.select_one(".title a")["href"] == "https://arxiv.org/abs/2411.03336"
    assert entry.select_one(".tags") is None
    assert entry.select_one(".badge") is None
    reversal = page.find("a", string=re.compile("^The Reversal Curse"))
    links = [a.get_text() for a in reversal.find_parent("li").select(".links a")]
    assert links == ["Code", "BibTeX"]


def test_archive_nav_link_is_current(client, db):
    page = soup(client.get("/research/"))
    assert page.find("a", attrs={"aria-current": "page"}).get_text() == "research"


@pytest.mark.parametrize(
    "path", ["/", "/research/", "/research/reversal-curse/", "/research/tags/evaluations/"]
)
def test_every_page_advertises_the_feeds(client, seeded, path):
    page = soup(client.get(path))
    alternates = {link["type"]: link["href"] for link in page.find_all("link", rel="alternate")}
    assert alternates["application/rss+xml"].startswith("/research/")
    assert alternates["application/rss+xml"].endswith("feed/")
    assert alternates["application/atom+xml"].endswith("feed/atom/")
    footer = page.select_one("footer")
    assert footer.find("a", string="RSS")["href"] == "/research/feed/"
    assert footer.find("a", string="Atom")["href"] == "/research/feed/atom/"


@pytest.mark.parametrize("path", ["/", "/research/", "/research/reversal-curse/"])
def test_pages_have_no_inline_script(client, seeded, path):
    page = soup(client.get(path))
    for script in page.find_all("script"):
        assert script.get("src") or script.get("type") == "application/ld+json"
    for tag in page.find_all(True):
        assert not [attr for attr in tag.attrs if attr.startswith("on")], tag


def test_copy_script_is_a_static_file(client, db):
    page = soup(client.get("/research/"))
    src = page.find("script", src=True)["src"]
    assert src == "/static/js/bibtex-copy.js"
    path = finders.find("js/bibtex-copy.js")
    assert "navigator.clipboard" in Path(path).read_text(encoding="utf-8")


# Tag pages


def test_tag_page_lists_only_that_tags_published_papers(client, make_paper):
    make_paper("Tagged one", tags=["safety"], date=datetime.date(2022, 1, 1))
    make_paper("Tagged two", tags=["safety", "other"], date=datetime.date(2024, 1, 1))
    make_paper("Untagged", tags=["other"])
    make_paper("Tagged draft", tags=["safety"], status=Publication.Status.DRAFT)

    page = soup(client.get("/research/tags/safety/"))

    assert page.h1.get_text() == "Papers tagged “safety”"
    assert titles(page) == ["Tagged two", "Tagged one"]
    feeds = {link["type"]: link["href"] for link in page.find_all("link", rel="alternate")}
    # The page's own feed comes last, after the site-wide ones.
    assert "/research/tags/safety/feed/" in [
        link["href"] for link in page.find_all("link", rel="alternate")
    ]
    assert feeds["application/atom+xml"] == "/research/tags/safety/feed/atom/"


def test_unknown_tag_and_draft_only_tag_are_404(client, make_paper):
    make_paper("Secret", tags=["secret"], status=Publication.Status.DRAFT)
    assert client.get("/research/tags/nope/").status_code == 404
    assert client.get("/research/tags/secret/").status_code == 404


# Paper pages


@pytest.fixture
def full_paper(make_paper):
    paper = make_paper(
        "Scheming </script><script>alert(1)</script> & co",
        authors=["Ada Lovelace*", "Alan Turing*", "Grace Hopper"],
        tags=["safety"],
        venue="Journal of Things",
        url="https://arxiv.org/abs/2401.00001v2",
        code_url="https://github.com/x/y",
        tldr="We **find** it.",
        abstract="A longer *abstract*.",
        date=datetime.date(2024, 3, 1),
    )
    Person.objects.filter(name="Alan Turing").update(homepage="https://turing.example.org/")
    paper.pdf.save("paper.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    paper.thumbnail.save("thumb.png", ContentFile(_png()), save=True)
    return paper


def _png():
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "navy").save(buffer, format="PNG")
    return buffer.getvalue()


def test_paper_page_shows_everything(client, full_paper):
    page = soup(client.get(f"/research/{full_paper.slug}/"))

    assert page.h1.get_text() == full_paper.title
    assert page.select_one(".authors").get_text() == "Ada Lovelace*, Alan Turing*, Grace Hopper"
    assert page.select_one(".authors a")["href"] == "https://turing.example.org/"
    assert page.select_one(".authors a").get_text() == "Alan Turing*"
    assert page.select_one(".venues").get_text() == "Journal of Things"
    assert page.select_one("time")["datetime"] == "2024-03-01"
    assert page.select_one(".tldr strong").get_text() == "find"
    assert page.find(id="abstract").find_next("em").get_text() == "abstract"
    links = {a.get_text(): a["href"] for a in page.select("ul.links a")}
    assert links == {
        "Paper": "https://arxiv.org/abs/2401.00001v2",
        "PDF": full_paper.pdf.url,
        "Code": "https://github.com/x/y",
        "BibTeX": f"/research/{full_paper.slug}.bib",
    }
    assert page.select_one(".tags a")["href"] == "/research/tags/safety/"
    # A rendition of the thumbnail, sized for the page (uploads/renditions.py).
    thumbnail_stem = full_paper.thumbnail.name.rsplit(".", 1)[0]
    assert page.select_one(".paper-thumbnail img")["src"].startswith(
        f"/media/renditions/{thumbnail_stem}-"
    )
    bib = page.select_one("pre.bibtex").get_text()
    assert bib.startswith("@article{lovelace2024scheming,")
    assert page.select_one(".draft-banner") is None


def test_paper_page_citation_meta_tags(client, full_paper):
    page = soup(client.get(f"/research/{full_paper.slug}/"))

    assert meta(page, "citation_title") == [full_paper.title]
    assert meta(page, "citation_author") == ["Ada Lovelace", "Alan Turing", "Grace Hopper"]
    assert meta(page, "citation_publication_date") == ["2024/03/01"]
    assert meta(page, "citation_journal_title") == ["Journal of Things"]
    assert meta(page, "citation_conference_title") == []
    assert meta(page, "citation_pdf_url") == [f"http://testserver{full_paper.pdf.url}"]
    assert meta(page, "citation_arxiv_id") == ["2401.00001"]
    canonical = f"http://testserver/research/{full_paper.slug}/"
    assert page.find("link", rel="canonical")["href"] == canonical
    assert prop(page, "og:title") == [full_paper.title]
    assert prop(page, "og:url") == [canonical]
    assert prop(page, "og:image") == [f"http://testserver{full_paper.thumbnail.url}"]
    assert prop(page, "og:description") == ["We find it."]
    assert meta(page, "twitter:card") == ["summary_large_image"]
    assert meta(page, "twitter:image") == [f"http://testserver{full_paper.thumbnail.url}"]
    assert meta(page, "description") == ["We find it."]
    # The title's markup is escaped in attributes, never parsed as tags.
    assert b'content="Scheming &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"' in (
        client.get(f"/research/{full_paper.slug}/").content
    )


def test_conference_venue_gives_conference_title(client, make_paper):
    paper = make_paper("Conf", venue="Oral @ ICLR 2024 LLM Agents")
    page = soup(client.get(f"/research/{paper.slug}/"))
    assert meta(page, "citation_conference_title") == ["Oral @ ICLR 2024 LLM Agents"]
    assert meta(page, "citation_journal_title") == []
    assert meta(page, "citation_pdf_url") == []
    assert meta(page, "citation_arxiv_id") == []
    assert meta(page, "twitter:card") == ["summary"]


def test_paper_page_json_ld(client, full_paper):
    response = client.get(f"/research/{full_paper.slug}/")
    page = soup(response)
    blocks = page.find_all("script", type="application/ld+json")
    assert len(blocks) == 1
    # The title's </script> could not end the block early...
    assert b"</script><script>alert" not in response.content
    data = json.loads(blocks[0].string)
    # ...and the JSON still says exactly the title.
    assert data["@type"] == "ScholarlyArticle"
    assert data["headline"] == full_paper.title
    assert [a["name"] for a in data["author"]] == ["Ada Lovelace", "Alan Turing", "Grace Hopper"]
    assert data["author"][1]["url"] == "https://turing.example.org/"
    assert data["datePublished"] == "2024-03-01"
    assert data["url"] == f"http://testserver/research/{full_paper.slug}/"
    assert data["sameAs"] == ["https://arxiv.org/abs/2401.00001v2", "https://github.com/x/y"]
    assert data["image"] == f"http://testserver{full_paper.thumbnail.url}"
    assert data["keywords"] == ["safety"]


def test_site_url_setting_makes_absolute_links(client, settings, full_paper):
    settings.SITE_URL = "https://me.example.net"
    page = soup(client.get(f"/research/{full_paper.slug}/"))
    assert page.find("link", rel="canonical")["href"] == (
        f"https://me.example.net/research/{full_paper.slug}/"
    )
    assert meta(page, "citation_pdf_url") == [f"https://me.example.net{full_paper.pdf.url}"]


def test_absolute_links_never_use_example_com(client, seeded):
    for path in ["/research/reversal-curse/", "/research/feed/", "/sitemap.xml"]:
        assert b"example.com" not in client.get(path).content


def test_draft_is_404_for_visitors_and_bannered_for_editors(editor_client, make_paper):
    draft = make_paper("Work in progress", status=Publication.Status.DRAFT)
    visitor = Client()
    assert visitor.get(f"/research/{draft.slug}/").status_code == 404
    assert visitor.get(f"/research/{draft.slug}.bib").status_code == 404

    page = soup(editor_client.get(f"/research/{draft.slug}/"))
    assert "Draft" in page.select_one(".draft-banner").get_text()
    assert meta(page, "robots") == ["noindex"]


def test_unknown_slug_is_404(client, db):
    assert client.get("/research/no-such-paper/").status_code == 404
    assert client.get("/research/no-such-paper.bib").status_code == 404


def test_old_slug_redirects_permanently(client, make_paper):
    paper = make_paper("Renamed")
    old = paper.slug
    paper.slug = "new-name"
    paper.save()

    response = client.get(f"/research/{old}/")
    assert response.status_code == 301
    assert response["Location"] == "/research/new-name/"
    response = client.get(f"/research/{old}.bib")
    assert response.status_code == 301
    assert response["Location"] == "/research/new-name.bib"


# .bib


def test_bib_file_is_text_and_parses_back(client, seeded):
    paper = Publication.objects.for_listing().get(slug="taken-out-of-context")
    response = client.get("/research/taken-out-of-context.bib")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == 'inline; filename="taken-out-of-context.bib"'
    library = bibtexparser.parse_string(response.content.decode())
    assert not library.failed_blocks
    (entry,) = library.entries
    assert decode_latex(entry.fields_dict["title"].value) == paper.title
    assert entry.fields_dict["author"].value.split(" and ") == [a.name for a in paper.authors]
    assert entry.fields_dict["year"].value == str(paper.date.year)


# Conditional GET and query counts


def test_archive_answers_304_until_content_changes(client, make_paper):
    paper = make_paper("One")
    first = client.get("/research/")
    etag, modified = first["ETag"], first["Last-Modified"]

    assert client.get("/research/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/research/", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304

    Publication.objects.filter(pk=paper.pk).first().save()  # any edit bumps the validators
    assert client.get("/research/", HTTP_IF_NONE_MATCH=etag).status_code == 200


# 200 papers of 15 authors take 2-5 s to build: that case is slow (make test has it).
@pytest.mark.parametrize(("n", "authors"), [(5, 2), pytest.param(200, 15, marks=pytest.mark.slow)])
def test_query_count_does_not_grow_with_papers(
    client, many_papers, django_assert_max_num_queries, n, authors
):
    Profile.objects.create(name="Owner")
    papers = many_papers(n, authors)
    paper = papers[-1]
    checks = [
        ("/research/", "Paper "),
        ("/research/tags/common/", "Paper "),
        (f"/research/{paper.slug}/", paper.title),
        (f"/research/{paper.slug}.bib", paper.title),
    ]
    for path, text in checks:
        with django_assert_max_num_queries(MAX_QUERIES):
            response = client.get(path)
        assert response.status_code == 200
        assert text in response.content.decode()
    page = soup(client.get("/research/"))
    assert len(page.select("li.paper")) == n
    assert len(page.select("li.paper")[0].select(".tags a")) == 2
    assert len(page.select_one(".authors").get_text().split(", ")) == authors


def test_reserved_slugs_are_never_given_to_papers(make_paper):
    paper = make_paper("Feed")
    assert paper.slug == "feed-2"
    paper.slug = "feed"
    with pytest.raises(ValidationError) as error:
        paper.full_clean()
    assert "slug" in error.value.message_dict


def test_tags_with_non_ascii_slugs_work(client, make_paper):
    make_paper("Umlaut", tags=["Überraschung"])
    page = soup(client.get("/research/"))
    href = page.select_one(".tags a")["href"]
    assert href == "/research/tags/%C3%BCberraschung/"
    assert titles(soup(client.get(href))) == ["Umlaut"]
    assert client.get(href + "feed/").status_code == 200
