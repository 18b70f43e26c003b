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
