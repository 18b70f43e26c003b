"""export_site publishes the CV in its three forms, with links to the published address."""

import io
import json

from django.core.management import call_command
from pypdf import PdfReader

from cv.models import CVSection


def export(outdir, base_url):
    call_command("export_site", str(outdir), base_url=base_url, stdout=io.StringIO())


def test_the_cv_is_exported_as_page_pdf_and_json(alfolio_cv, tmp_path):
    CVSection.objects.create(kind="text", title="Hidden plans", body="Secret", status="draft")
    out = tmp_path / "out"
    export(out, "https://me.example.org/site/")

    html = (out / "cv" / "index.html").read_text()
    assert "Professor of Theoretical Physics" in html
    assert 'href="/site/cv.pdf"' in html
    assert "Hidden plans" not in html
    resume = json.loads((out / "cv.json").read_text())
    assert resume["meta"]["canonical"] == "https://me.example.org/site/cv.json"
    assert resume["publications"][0]["url"].startswith("https://me.example.org/site/research/")
    reader = PdfReader(out / "cv.pdf")
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Nobel Prize in Physics" in text and "Hidden plans" not in text
    assert "https://me.example.org/site/cv/" in (out / "sitemap.xml").read_text()


def test_the_seed_site_exports_no_cv(seeded, tmp_path):
    export(tmp_path / "out", "https://me.example.org/")
    assert not (tmp_path / "out" / "cv").exists()
    assert not (tmp_path / "out" / "cv.pdf").exists()
