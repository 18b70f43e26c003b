"""Attaching the local files an imported .bib names (admin page and import_bibtex --files)."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from research.bibtex_import import parse_bibtex, run_import
from research.models import Publication
from tests.security.helpers import image_bytes, pdf_bytes

TEMPLATE = Path(__file__).parents[1] / "data" / "bibtex" / "alshedivat-papers.bib"
ATTACH_URL = "/admin/research/publication/attach-files/"


@pytest.fixture
def alfolio(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    run_import(parse_bibtex(TEMPLATE.read_text()))
    return tmp_path


def test_import_remembers_the_files_entries_name(alfolio):
    epr = Publication.objects.get(citation_key="PhysRev.47.777")
    assert epr.local_files == {"pdf": "example_pdf.pdf"}
    brownian = Publication.objects.get(citation_key="einstein1956investigations")
    assert brownian.local_files == {"preview": "brownian-motion.gif"}


def test_command_attaches_files_from_a_folder_and_reports_the_rest(alfolio):
    folder = alfolio / "assets"
    folder.mkdir()
    (folder / "example_pdf.pdf").write_bytes(pdf_bytes("EPR"))
    (folder / "brownian-motion.gif").write_bytes(image_bytes("GIF"))  # not a format uploads take
    (folder / "notes.txt").write_text("not named by any entry")
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError, match="1 file\\(s\\) refused"):
        call_command("import_bibtex", str(TEMPLATE), "--files", str(folder), stdout=out, stderr=err)

    epr = Publication.objects.get(citation_key="PhysRev.47.777")
    assert epr.pdf and epr.pdf.read().startswith(b"%PDF")
    assert "attached example_pdf.pdf" in out.getvalue()
    assert "Files: 1 attached, 1 not named by any paper, 1 refused." in out.getvalue()
    assert "refused  brownian-motion.gif" in err.getvalue()
    assert not Publication.objects.get(citation_key="einstein1956investigations").thumbnail


def test_admin_attaches_a_zip_of_files(alfolio, editor_client):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("assets/pdf/example_pdf.pdf", pdf_bytes("EPR"))
        zipped.writestr("assets/img/publication_preview/brownian-motion.gif", image_bytes("PNG"))
    # A PNG under the .gif name: the upload checks compare name and content.
    upload = SimpleUploadedFile("files.zip", archive.getvalue())

    response = editor_client.post(ATTACH_URL, {"files": [upload]})

    assert response.status_code == 200
    text = response.content.decode()
    assert "example_pdf.pdf: attached to" in text
    assert Publication.objects.get(citation_key="PhysRev.47.777").pdf


def test_admin_refuses_an_unreadable_zip_with_a_form_error(alfolio, editor_client):
    upload = SimpleUploadedFile("files.zip", b"not a zip")
    response = editor_client.post(ATTACH_URL, {"files": [upload]})
    assert response.status_code == 200
    assert "is not a readable zip file" in response.content.decode()
    assert not Publication.objects.exclude(pdf="").exists()
