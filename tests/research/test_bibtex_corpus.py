"""Real public .bib files (tests/data/bibtex/, sources in its README) import faithfully.

For each file: no traceback; every entry al-folio would show (a title and an
author or editor list) is imported; every link it gives is kept on the paper;
importing it again creates and changes nothing; and the site's own BibTeX
export, imported into an empty site, gives the same papers and links back.
"""

import re
from pathlib import Path

import bibtexparser
import pytest

from research.bibtex import bibtex_document
from research.bibtex_import import parse_bibtex, run_import
from research.models import Authorship, PaperLink, Person, Publication

CORPUS = Path(__file__).parents[1] / "data" / "bibtex"
FILES = sorted(CORPUS.glob("*.bib"))
LINK_FIELDS = ("url", "html", "video", "slides", "poster", "blog", "supp", "code", "website")


def _read(path):
    return path.read_text(encoding="utf-8-sig")


def _shown_by_alfolio(text):
    """Keys of the entries al-folio lists: a title and someone to credit (crossref followed)."""
    library = bibtexparser.parse_string(text)
    blocks = list(library.entries) + [
        b.ignore_error_block
        for b in library.failed_blocks
        if isinstance(getattr(b, "ignore_error_block", None), bibtexparser.model.Entry)
    ]
    by_key = {e.key.lower(): {f.key.lower(): f.value for f in e.fields} for e in blocks}
    keys = []
    for entry in blocks:
        fields = {f.key.lower(): f.value for f in entry.fields}
        parent = by_key.get(str(fields.get("crossref", "")).strip("{}").lower(), {})
        merged = {**parent, **fields}
        title = str(merged.get("title", "")).strip('{} "')
        people = str(merged.get("author", "") or merged.get("editor", "")).strip('{} "')
        if title and people:
            keys.append(entry.key)
    return keys


def _web_links(text):
    """(key, URL) for every web link an entry gives in a link field."""
    found = []
    for entry in bibtexparser.parse_string(text).entries:
        for name in LINK_FIELDS:
            entry_field = entry.fields_dict.get(name)
            value = str(entry_field.value).strip('{}" ') if entry_field else ""
            value = re.sub(r"\\([_%&#~$])", r"\1", value)
            if re.match(r"^https?://\S+$", value):
                found.append((entry.key, value))
    return found


def _paper_links(paper):
    links = {paper.url, paper.code_url, paper.website_url, paper.pdf_url}
    return links | {link.url for link in paper.links.all()}


def _snapshot():
    """What a visitor sees of every paper: title, date, venue, authors and links."""
    return sorted(
        (
            p.title,
            str(p.date or p.date_label),
            p.venue,
            tuple(a.name for a in p.authors),
            p.et_al,
            p.url,
            tuple((link.label, link.url) for link in p.links.all()),
        )
        for p in Publication.objects.for_archive()
    )


def _empty_site():
    Publication.objects.all().delete()
    Person.objects.all().delete()


# The two largest files (68 kB and 225 kB) take 1.5-4 s each: slow (make test has them).
@pytest.mark.parametrize(
    "path",
    [pytest.param(p, marks=pytest.mark.slow) if p.stat().st_size > 50_000 else p for p in FILES],
    ids=[p.name for p in FILES],
)
def test_real_file_imports_faithfully_and_round_trips(db, path):
    text = _read(path)

    report = run_import(parse_bibtex(text))

    imported = {o.key for o in report.outcomes if o.action == "created"}
    expected = _shown_by_alfolio(text)
    assert set(expected) <= imported, [o for o in report.skipped if o.key in expected]
    assert Publication.objects.count() == len(report.created)
    for key, url in _web_links(text):
        paper = Publication.objects.filter(citation_key=key).first()
        if paper:
            assert url in _paper_links(paper), (key, url)

    counts = (Publication.objects.count(), Person.objects.count(), Authorship.objects.count())
    links = PaperLink.objects.count()
    stamps = dict(Publication.objects.values_list("pk", "updated"))
    again = run_import(parse_bibtex(text))
    assert {o.action for o in again.outcomes} <= {"unchanged", "skipped"}
    assert (
        Publication.objects.count(),
        Person.objects.count(),
        Authorship.objects.count(),
    ) == counts
    assert PaperLink.objects.count() == links
    assert dict(Publication.objects.values_list("pk", "updated")) == stamps

    before = _snapshot()
    exported = bibtex_document(Publication.objects.for_archive(), full=True, base_url="")
    _empty_site()
    back = run_import(parse_bibtex(exported))
    assert not back.skipped, back.skipped
    assert _snapshot() == before
