"""Slides and posters a site names as its own files are uploaded as the paper's links.

None of the real sites in tests/data/sites/ ships (or, in the stored copies,
names) a local slides or poster file: the store holds text only. So each test
copies a real site to a temporary folder, names a file in the field the
generator reads (al-folio: `slides = {x.pdf}` in papers.bib, Hugo Blox:
`url_poster`/`url_slides` in the front matter, academicpages: `slidesurl`),
and writes a tiny valid PDF (or a picture posing as one) of that name where
the generator serves it from. Everything else is the real site.
"""

import io
import re

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from PIL import Image

from research.models import PaperLink, Publication

from .conftest import import_site
from .test_alfolio import _pdf, assert_second_run_changes_nothing

pytestmark = pytest.mark.django_db

EPR = "Can Quantum-Mechanical Description of Physical Reality Be Considered Complete?"


def _links_on_page(client, paper):
    """(label, href) of the links listed on a paper's page."""
    main = BeautifulSoup(client.get(paper.get_absolute_url()).content, "html.parser").main
    return [(a.get_text(strip=True), a["href"]) for a in main.select("li a")]


def _name_in_bib(folder, key, fields):
    """Add fields to one entry of the copy's papers.bib, after its first line."""
    bib = folder / "_bibliography" / "papers.bib"
    text = bib.read_text()
    start = text.index(f"{{{key},") + len(key) + 2
    bib.write_text(text[:start] + "\n" + "".join(f"  {f},\n" for f in fields) + text[start:])
    return bib


def test_alfolio_slides_in_papers_bib_are_uploaded_and_kept_on_reimport(client, copy_site):
    folder = copy_site("alshedivat-al-folio")
    _pdf(folder / "assets/pdf/example_pdf.pdf")  # the template's own pdf = {example_pdf.pdf}
    _pdf(folder / "assets/pdf/epr_slides.pdf")
    # A picture named .pdf (PNG bytes; PIL would write a PDF for this suffix).
    Image.new("RGB", (20, 20)).save(folder / "assets/pdf/epr_poster.pdf", format="PNG")
    bib = _name_in_bib(
        folder, "PhysRev.47.777", ["slides={epr_slides.pdf}", "poster={epr_poster.pdf}"]
    )

    output = import_site(folder)

    epr = Publication.objects.get(title=EPR)
    slides = epr.links.get(label="Slides")
    assert slides.url == "" and re.fullmatch(r"papers/epr_slides.*\.pdf", slides.file.name)
    links = _links_on_page(client, epr)
    assert ("Slides", slides.file.url) in links
    assert client.get(slides.file.url).status_code == 200
    # The poster is checked like every upload: refused, said so, nothing stored for it.
    assert not epr.links.filter(label="Poster").exists()
    assert "assets/pdf/epr_poster.pdf: the poster:" in output and "Not uploaded." in output
    assert "is not uploaded: attach it" not in output

    assert_second_run_changes_nothing(folder)
    assert epr.links.get(label="Slides").file.name == slides.file.name

    # The .bib's links change (another video): import_bibtex rebuilds the web links and
    # keeps the attached slides, whose label and name have not changed.
    bib.write_text(bib.read_text().replace("embed/aqz-KE-bpKQ", "embed/aqz-KE-bpKQ?start=10"))
    call_command("import_bibtex", str(bib), stdout=io.StringIO())
    assert [(link.label, link.url, link.file.name) for link in epr.links.all()] == [
        ("HTML", "https://journals.aps.org/pr/abstract/10.1103/PhysRev.47.777", ""),
        ("Video", "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ?start=10", ""),
        ("Slides", "", slides.file.name),
    ]
    assert_second_run_changes_nothing(folder)

    # Other slides named: the old file is no longer this paper's slides; the new one is.
    _pdf(folder / "assets/pdf/epr_talk.pdf")
    bib.write_text(bib.read_text().replace("slides={epr_slides.pdf}", "slides={epr_talk.pdf}"))
    import_site(folder)
    assert [link.file.name for link in epr.links.filter(label="Slides")] == [
        PaperLink.objects.get(publication=epr, label="Slides").file.name
    ]
    assert "epr_talk" in epr.links.get(label="Slides").file.name
    assert_second_run_changes_nothing(folder)


def test_hugo_blox_poster_in_the_bundle_and_slides_in_static(client, copy_site):
    folder = copy_site("4TINI-luca4tini.github.io")
    page = folder / "content/publication/biorob2022/index.md"
    page.write_text(
        page.read_text()
        .replace("url_poster: ''", "url_poster: 'poster.pdf'")
        .replace("url_slides: ''", "url_slides: '/uploads/biorob_slides.pdf'")
    )
    _pdf(page.parent / "poster.pdf")
    _pdf(folder / "static/uploads/biorob_slides.pdf")

    output = import_site(folder)

    belt = Publication.objects.get(title__startswith="Ergotac-belt")
    files = {link.label: link.file for link in belt.links.all() if link.file}
    assert set(files) == {"Poster", "Slides"}
    links = _links_on_page(client, belt)
    assert ("Poster", files["Poster"].url) in links and ("Slides", files["Slides"].url) in links
    assert "url_poster: the file" not in output and "url_slides: the file" not in output
    assert_second_run_changes_nothing(folder)


def test_academicpages_slides_in_files_folder(client, copy_site):
    folder = copy_site("Babak70-babak70.github.io")
    page = folder / "_publications/2023-08-14-An-actor-model.md"
    page.write_text(
        page.read_text().replace(
            "venue: 'Nature Communications'",
            "venue: 'Nature Communications'\nslidesurl: '/files/actor-model-slides.pdf'",
        )
    )
    _pdf(folder / "files/actor-model-slides.pdf")
    missing = folder / "_publications/2025-02-01-implicit-language-models-rnns.md"
    missing.write_text(missing.read_text().replace("---\n", "---\nslidesurl: 'rnn.pdf'\n", 1))

    output = import_site(folder)

    actor = Publication.objects.get(title="An actor-model framework for visual sensory encoding")
    slides = actor.links.get(label="Slides")
    assert ("Slides", slides.file.url) in _links_on_page(client, actor)
    # A file the site names but does not have is reported, never a broken link.
    assert "slidesurl: the file “rnn.pdf” is not in the folder: not uploaded" in output
    implicit = Publication.objects.get(title__startswith="Implicit Language Models are RNNs")
    assert not implicit.links.filter(label="Slides").exists()
    assert_second_run_changes_nothing(folder)
