"""/cv/, /cv.pdf and /cv.json: what a visitor gets from the CV the owner typed in."""

import io
import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from jsonschema import Draft4Validator
from pypdf import PdfReader

from cv.document import has_content
from cv.models import CVEntry, CVSection
from profiles.models import Profile
from research.models import Publication

SCHEMA = json.loads(
    (Path(__file__).parent.parent / "data" / "cv" / "jsonresume-schema-1.0.0.json").read_text()
)
OWNER = "Mikita Balesni"


def page(client, url="/cv/"):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def pdf_text(response):
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(p.extract_text() for p in reader.pages)


def test_the_seed_site_has_no_cv(seeded, client):
    assert not has_content()
    for url in ["/cv/", "/cv.pdf", "/cv.json"]:
        assert client.get(url).status_code == 404


def test_sections_in_the_owners_order_with_their_entries(alfolio_cv, client):
    soup = page(client)
    headings = [h.get_text() for h in soup.select("main h2")]
    assert headings == [
        "Positions",
        "Education",
        "Awards and honours",
        "Service",
        "Skills",
        "Languages",
        "Papers",
    ]
    first = soup.select_one(".cv-positions .cv-entry")
    assert first.select_one(".cv-period").get_text() == "1933 – 1955"
    assert first.select_one(".cv-title a")["href"] == "https://example.com"
    assert "Professor of Theoretical Physics" in first.get_text()
    assert "Institute for Advanced Study, Princeton University" in first.get_text()
    assert first.select_one(".cv-details li").get_text() == "Relativity"
    assert soup.select_one(".cv-service .cv-period").get_text() == "Apr 2014 – Jul 2015"

    # Moving Languages to the top moves it on the page.
    CVSection.objects.filter(kind=CVSection.Kind.LANGUAGES).update(position=0)
    CVSection.objects.first().save()  # as the admin's reordering does: the cache is bumped
    headings = [h.get_text() for h in page(client).select("main h2")]
    assert headings[0] == "Languages"


def test_papers_section_shows_highlighted_or_all_papers_owner_in_bold(alfolio_cv, client):
    soup = page(client)
    papers = soup.select(".cv-papers .cv-entry")
    highlighted = Publication.objects.published().highlighted()
    assert [p.select_one(".cv-title").get_text() for p in papers] == [
        paper.title for paper in highlighted
    ]
    assert all(p.select_one(".authors b").get_text().startswith(OWNER) for p in papers)
    assert "* equal contribution" in soup.select_one(".cv-papers").get_text()

    Publication.objects.create(title="A paper not highlighted", date="2020-01-01")
    assert "A paper not highlighted" not in page(client).get_text()
    section = CVSection.objects.get(kind=CVSection.Kind.PAPERS)
    section.papers = CVSection.Papers.ALL
    section.save()
    assert "A paper not highlighted" in page(client).get_text()


def test_drafts_are_hidden_everywhere(alfolio_cv, client):
    CVSection.objects.filter(kind=CVSection.Kind.AWARDS).update(status="draft")
    paper = Publication.objects.published().highlighted().first()
    paper.status = Publication.Status.DRAFT
    paper.save()
    html = page(client).get_text()
    pdf = pdf_text(client.get("/cv.pdf"))
    resume = client.get("/cv.json").content.decode()
    for text in [html, pdf, resume]:
        assert "Nobel Prize" not in text
        assert paper.title[:30] not in text
    assert "Professor of Theoretical Physics" in html

    for section in CVSection.objects.all():
        section.status = CVSection.Status.DRAFT
        section.save()
    assert not has_content()
    assert client.get("/cv/").status_code == 404


def test_pdf_has_the_same_content_with_the_owner_in_bold(alfolio_cv, client):
    response = client.get("/cv.pdf")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(p.extract_text() for p in reader.pages)
    order = [
        "Mikita Balesni",
        "Positions",
        "1933 – 1955",
        "Professor of Theoretical Physics",
        "Education",
        "Awards and honours",
        "Nobel Prize in Physics",
        "Service",
        "Skills",
        "Quantum Cryptography",
        "Languages",
        "Native speaker",
        "Papers",
        "* equal contribution",
    ]
    positions = [" ".join(text.split()).find(item) for item in order]
    assert -1 not in positions, dict(zip(order, positions, strict=True))
    assert positions == sorted(positions)
    assert reader.metadata.title == f"CV of {OWNER}"

    # Which font each piece of text is drawn in: the owner's name in author lists is bold.
    fonts = {}

    def visit(text, cm, tm, font_dict, size):
        if text.strip() and font_dict:
            fonts.setdefault(text.strip(), set()).add(str(font_dict.get("/BaseFont")))

    for p in reader.pages:
        p.extract_text(visitor_text=visit)
    bold_texts = [t for t, names in fonts.items() if any("Bold" in n for n in names)]
    assert any(OWNER in t for t in bold_texts), bold_texts
    assert not any("Lukas Berglund" in t for t in bold_texts)


def test_markdown_and_typst_syntax_in_fields_is_printed_not_run(alfolio_cv, client):
    section = CVSection.objects.create(kind=CVSection.Kind.TEXT, title="Interests", position=9)
    section.body = (
        '**Quantum** #import "x.typ": * $x^2$ [link](https://example.org/q) `#pagebreak()`'
    )
    section.save()
    CVEntry.objects.create(section=section, title='#set page(width: 1cm) ]) "\\', details="")
    text = " ".join(pdf_text(client.get("/cv.pdf")).split())
    assert '#import "x.typ": * $x^2$ link #pagebreak()' in text
    assert '#set page(width: 1cm) ]) "\\' in text


def test_an_uploaded_pdf_replaces_the_generated_one(alfolio_cv, client):
    upload = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    profile = Profile.load()
    profile.cv.save("my-cv.pdf", ContentFile(upload))
    response = client.get("/cv.pdf")
    assert b"".join(response.streaming_content) == upload
    # The web version stays.
    assert "Professor of Theoretical Physics" in page(client).get_text()


def test_only_an_uploaded_pdf_gives_a_cv_page_linking_it(seeded, client):
    profile = Profile.load()
    profile.cv.save("my-cv.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    assert has_content()
    soup = page(client)
    assert soup.select_one("main a[href='/cv.pdf']")
    assert client.get("/cv.json").status_code == 404


def test_json_resume_is_valid_and_holds_the_entries(alfolio_cv, client):
    response = client.get("/cv.json")
    assert response["Content-Type"].startswith("application/json")
    resume = response.json()
    Draft4Validator(SCHEMA, format_checker=Draft4Validator.FORMAT_CHECKER).validate(resume)
    source, _ = alfolio_cv
    assert resume["basics"]["name"] == OWNER
    job = resume["work"][0]
    assert job["position"] == source["work"][0]["position"]
    assert job["name"] == source["work"][0]["name"]
    assert (job["startDate"], job["endDate"]) == ("1933", "1955")
    assert resume["awards"][0]["date"] == "1921-11"
    assert resume["volunteer"][0]["organization"] == "People's Climate March"
    assert resume["skills"][0]["keywords"] == source["skills"][0]["keywords"]
    assert [(lang["language"], lang["fluency"]) for lang in resume["languages"]] == [
        ("German", "Native speaker"),
        ("English", "Fluent"),
    ]
    highlighted = Publication.objects.published().highlighted()
    assert [p["name"] for p in resume["publications"]] == [p.title for p in highlighted]
    assert resume["publications"][0]["url"].startswith("http://testserver/research/")
    assert resume["meta"]["canonical"] == "http://testserver/cv.json"


def test_ongoing_entries_read_present(alfolio_cv, client):
    entry = CVEntry.objects.get(title="Professor of Theoretical Physics")
    entry.end, entry.ongoing = "", True
    entry.save()
    assert page(client).select_one(".cv-positions .cv-period").get_text() == "1933 – present"
    assert "endDate" not in client.get("/cv.json").json()["work"][0]


@pytest.mark.parametrize("url", ["/cv/", "/cv.pdf", "/cv.json"])
def test_an_edit_shows_on_the_next_request_despite_the_page_cache(alfolio_cv, client, url):
    assert "Lead Organizer" in _text(client.get(url), url)
    entry = CVEntry.objects.get(title="Lead Organizer")
    entry.title = "Chief Organiser"
    entry.save()
    fresh = _text(client.get(url), url)
    assert "Chief Organiser" in fresh and "Lead Organizer" not in fresh


def _text(response, url):
    return pdf_text(response) if url.endswith(".pdf") else response.content.decode()


def test_cv_in_the_sitemap_only_when_it_has_content(seeded, client):
    assert "/cv/" not in client.get("/sitemap.xml").content.decode()
    section = CVSection.objects.create(kind=CVSection.Kind.TEXT, body="Hello")
    assert "http://testserver/cv/" in client.get("/sitemap.xml").content.decode()
    section.status = CVSection.Status.DRAFT
    section.save()
    assert "/cv/" not in client.get("/sitemap.xml").content.decode()


def test_the_pdf_is_saved_under_the_owners_name(alfolio_cv, client):
    assert (
        client.get("/cv.pdf")["Content-Disposition"] == 'inline; filename="mikita-balesni-cv.pdf"'
    )
