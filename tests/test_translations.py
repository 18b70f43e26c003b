"""The site in another language: DJANGO_LANGUAGE_CODE=de gives German pages and dates.

The German catalog (locale/de) must be complete and its compiled .mo current.
"""

import io
from pathlib import Path

import polib
import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from pypdf import PdfReader

from cv.models import CVEntry
from tests.cv.conftest import load_alfolio_cv

CATALOG = Path(__file__).resolve().parents[1] / "locale" / "de" / "LC_MESSAGES" / "django.po"


def test_the_german_catalog_is_complete_and_compiled():
    catalog = polib.pofile(str(CATALOG))
    assert len(catalog) > 50
    assert catalog.untranslated_entries() == []
    assert catalog.fuzzy_entries() == []
    # Placeholders survive translation ("%(name)s", "{{ x }}" became "%(x)s").
    for entry in catalog:
        if entry.msgid_plural:  # one and many ("1 paper", "2 papers")
            forms = entry.msgstr_plural
            assert forms and all(forms.values()), entry.msgid
            for form in forms.values():
                wanted = _placeholders(entry.msgid_plural)
                assert set(_placeholders(form)) <= set(wanted), (entry.msgid, form)
        else:
            assert sorted(_placeholders(entry.msgid)) == sorted(_placeholders(entry.msgstr)), entry
    call_command("compile_translations", check=True, stdout=io.StringIO())


def _placeholders(text):
    import re

    return re.findall(r"%\([a-z_]+\)[sd]", text)


@pytest.fixture
def german(settings):
    """The site language set to German, as DJANGO_LANGUAGE_CODE=de does: no language
    is activated per request, so the pages use LANGUAGE_CODE."""
    from django.utils import translation

    previous = translation.get_language()
    translation.deactivate()
    settings.LANGUAGE_CODE = "de"
    yield
    translation.activate(previous)


def test_cv_page_in_german_with_german_dates(german, seeded, client):
    load_alfolio_cv()
    entry = CVEntry.objects.get(title="Professor of Theoretical Physics")
    entry.start, entry.end, entry.ongoing = "1933-03", "", True
    entry.save()
    soup = BeautifulSoup(client.get("/cv/").content, "html.parser")
    assert soup.html["lang"] == "de"
    headings = [h.get_text() for h in soup.select("main h2")]
    assert headings[:3] == ["Berufliche Stationen", "Ausbildung", "Preise und Auszeichnungen"]
    assert soup.select_one(".cv-positions .cv-period").get_text() == "Mär 1933 – heute"
    assert "Herunterladen:" in soup.get_text()
    assert "* gleicher Beitrag" in soup.get_text()

    reader = PdfReader(io.BytesIO(client.get("/cv.pdf").content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Mär 1933 – heute" in text and "Berufliche Stationen" in text
    assert reader.metadata.title == "Lebenslauf von Mikita Balesni"


def test_the_editors_start_page_in_german(german, seeded, editor_client):
    soup = BeautifulSoup(editor_client.get("/admin/").content, "html.parser")
    labels = [a.get_text() for a in soup.select(".start-actions a")]
    assert labels[:2] == ["Profil bearbeiten", "Arbeit hinzufügen"]
    assert soup.select_one(".app-site_administration caption").get_text(strip=True) == (
        "Website-Verwaltung"
    )
    # Django's own admin strings come in German too.
    assert "Abmelden" in soup.get_text()


def test_public_pages_in_german_with_german_dates(german, seeded, client):
    import datetime

    from news.models import NewsItem
    from talks.models import Talk

    home = BeautifulSoup(client.get("/").content, "html.parser")
    assert home.html["lang"] == "de"
    assert home.select_one(".skip-link").get_text() == "Zum Inhalt springen"
    headings = [h.get_text() for h in home.select("main h2")]
    assert "Aktuelle Forschung" in headings and "Ausgewählte Forschung" in headings
    assert [a.get_text() for a in home.select(".nav-links a")] == ["über mich", "forschung"]

    research = BeautifulSoup(client.get("/research/").content, "html.parser")
    assert research.h1.get_text() == "Forschung"
    assert "Hervorgehoben" in research.select_one(".badge").get_text()
    paper = BeautifulSoup(client.get("/research/reversal-curse/").content, "html.parser")
    assert [h.get_text() for h in paper.select("main h2")][-1] == "Zitieren"
    assert paper.select_one(".date time").get_text() == "September 2023"

    NewsItem.objects.create(text="Neue Stelle.", date=datetime.date(2024, 3, 5))
    news = BeautifulSoup(client.get("/news/").content, "html.parser")
    assert news.h1.get_text() == "Neuigkeiten"
    assert news.select_one(".news-item time").get_text() == "5. Mär 2024"

    Talk.objects.create(
        title="Situational awareness", event="ICLR 2024", date=datetime.date(2024, 5, 8)
    )
    talks = BeautifulSoup(client.get("/talks/").content, "html.parser")
    assert talks.select_one(".badge").get_text() == "Eingeladener Vortrag"
    assert "8. Mai 2024" in talks.select_one(".venues").get_text()


def test_english_stays_as_it_was(seeded, client):
    home = BeautifulSoup(client.get("/").content, "html.parser")
    assert home.html["lang"] == "en"
    assert [h.get_text() for h in home.select("main h2")] == [
        "Active research",
        "Highlighted Research",
    ]
    paper = BeautifulSoup(client.get("/research/reversal-curse/").content, "html.parser")
    assert paper.select_one(".date time").get_text() == "September 2023"
