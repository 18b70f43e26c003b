"""Real public .bib files (tests/data/bibtex/, sources in its README) import faithfully.

For each file: no traceback; every entry al-folio would show (a title and an
author or editor list) is imported; every link it gives is kept on the paper;
importing it again creates and changes nothing; and the site's own BibTeX
export, imported into an empty site, gives the same papers and links back.
"""

import datetime
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


def _import_as(name, owner):
    from research.bibtex_import import OwnerSpec

    return run_import(parse_bibtex(_read(CORPUS / name)), owner=OwnerSpec(name=owner))


def _authors(key, **filters):
    paper = Publication.objects.for_listing().filter(citation_key=key, **filters).first()
    return [(a.name, a.is_owner) for a in paper.authors]


SCHOLAR = "seancrowell-scholar.bib"
ZOTERO = "mvuorre-zotero-my-publications.bib"


def test_google_scholar_export_keeps_every_entry_and_finds_the_owner_in_every_spelling(db):
    report = _import_as(SCHOLAR, "Sean Crowell")

    # 82 entries, none skipped: seven keys Scholar gave two papers (a preprint and its
    # journal version) are two papers each, and eleven entries without a year are undated.
    assert report.summary() == "82 created, 0 updated, 0 unchanged, 0 skipped"
    assert Publication.objects.filter(citation_key="byrne2022national").count() == 2
    duplicate_key = next(o for o in report.outcomes if o.line == 658)
    assert duplicate_key.messages[0] == (
        "the key “byrne2022national” is also used by the entry on line 633: both are imported"
    )
    assert Publication.objects.filter(date__isnull=True, date_label="Undated").count() == 11

    # The owner under every spelling Scholar prints: “Crowell, Sean MR”, “Crowell, S”,
    # “CROWELL, SEAN”; 65 papers list him (the other 17 stop at “and others” before him).
    owner = Person.objects.get(is_owner=True)
    assert owner.name == "Sean Crowell"
    assert Publication.objects.filter(authorships__person=owner).count() == 65
    assert _authors("moore2018potential")[:3] == [
        ("Berrien Moore III", False),
        ("Sean MR Crowell", True),
        ("Peter J Rayner", False),
    ]
    assert _authors("crowell2014impacts") == [
        ("S Crowell", True),
        ("P Rayner", False),
        ("S Zaccheo", False),
        ("B Moore", False),
    ]
    assert ("SEAN CROWELL", True) in _authors("crittendenevaluation")

    # “and others” is “et al.”, not a person; venues as Scholar gives them.
    doughty = Publication.objects.get(citation_key="doughty2023novel")
    assert doughty.et_al and doughty.venue == "Authorea Preprints"
    assert len(doughty.authors) == 10 and not Person.objects.filter(name="others").exists()
    assert Publication.objects.get(citation_key="shi2018model", title__endswith="change").venue == (
        "Nature Communications"
    )
    assert Publication.objects.get(citation_key="crowell2014improved").venue == (
        "NASA Proposal ID. 14-OCO2_14-0037"
    )
    # TeX math in a title stays math; its plain form is for feeds and <title>.
    surface = Publication.objects.get(citation_key="somkuti2025surface")
    assert "2.3 $\\mu$ m band" in surface.title and "2.3 μ m band" in surface.title_text

    again = _import_as(SCHOLAR, "Sean Crowell")
    assert again.summary() == "0 created, 0 updated, 82 unchanged, 0 skipped"


def test_zotero_export_reads_biblatex_dates_venues_links_and_abstracts(client, db):
    report = _import_as(ZOTERO, "Matti Vuorre")

    assert report.summary() == "10 created, 0 updated, 0 unchanged, 0 skipped"
    owner = Person.objects.get(is_owner=True)
    assert owner.name == "Matti Vuorre"
    assert Publication.objects.exclude(authorships__person=owner).count() == 0
    assert _authors("metcalfeMemoryStressHippocampal2019") == [
        ("Janet Metcalfe", False),
        ("Jason C. Brezler", False),
        ("James McNamara", False),
        ("Gabriel Maletta", False),
        ("Matti Vuorre", True),
    ]
    assert _authors("burknerOrdinalRegressionModels2019")[0] == ("Paul-Christian Bürkner", False)

    # Zotero's {{double braces}} protect case only; biblatex's journaltitle is the venue
    # and date the date (also with a time of day); url is the link, doi kept beside it.
    ordinal = Publication.objects.get(citation_key="burknerOrdinalRegressionModels2019")
    assert ordinal.title == "Ordinal Regression Models in Psychology: A Tutorial"
    assert ordinal.venue == "Advances in Methods and Practices in Psychological Science"
    assert ordinal.date == datetime.date(2019, 3, 1)
    assert ordinal.url == "https://doi.org/10.1177/2515245918823199"
    assert ordinal.doi == "10.1177/2515245918823199"
    preprint = Publication.objects.get(citation_key="johannesHowShouldWe2021")
    assert preprint.date == datetime.date(2021, 10, 13)
    assert preprint.url == "https://psyarxiv.com/xahbg/"
    brain = Publication.objects.get(citation_key="michaelNonPersuasivePower2013")
    assert brain.venue == "Psychonomic Bulletin & Review"
    assert brain.title == "On the (Non)Persuasive Power of a Brain Image"

    # The abstract and keywords Zotero exports are the paper's abstract and tags.
    tot = Publication.objects.get(citation_key="bloomTipofthetongueStatesPredict2018")
    assert tot.abstract.startswith("This article investigates the relations among the tip-of-")
    assert sorted(tot.tags.names()) == ["EEG", "ERP", "Learning", "Memory", "Tip-of-the-tongue"]
    page = client.get(tot.get_absolute_url()).content.decode()
    assert "enhanced processing—suggestive of curiosity—leading to enhanced learning" in page
    assert "<b>Matti Vuorre</b>" in page

    again = _import_as(ZOTERO, "Matti Vuorre")
    assert again.summary() == "0 created, 0 updated, 10 unchanged, 0 skipped"


def test_google_scholar_arxiv_id_in_the_journal_becomes_the_papers_arxiv_link(client, db):
    # Scholar writes a preprint's only identifier into its venue:
    # journal = {arXiv preprint arXiv:1011.1508}.
    _import_as(SCHOLAR, "Sean Crowell")

    forecast = Publication.objects.get(citation_key="crowell2010forecast")
    assert forecast.venue == "arXiv preprint"
    assert forecast.url == "https://arxiv.org/abs/1011.1508"
    assert forecast.arxiv_id == "1011.1508"
    page = client.get(forecast.get_absolute_url()).content.decode()
    assert 'href="https://arxiv.org/abs/1011.1508"' in page
    assert "arXiv preprint" in page
    others = ["schimel2016observing", "keely2025conditional"]
    venues = set(Publication.objects.filter(citation_key__in=others).values_list("venue", "url"))
    assert venues == {
        ("arXiv preprint", "https://arxiv.org/abs/1604.02106"),
        ("arXiv preprint", "https://arxiv.org/abs/2504.17074"),
    }


def test_zotero_extra_field_in_annotation_is_no_legend_of_author_marks(
    client, db, django_user_model
):
    # Better BibLaTeX writes Zotero's "Extra" (here a citation count) as annotation,
    # which al-folio would print as the legend of author marks; no author is marked.
    text = _read(CORPUS / ZOTERO)
    preview = run_import(parse_bibtex(text), dry_run=True)
    brain = next(o for o in preview.outcomes if o.key == "michaelNonPersuasivePower2013")
    assert (
        "annotation “00063” explains no author mark and no author is marked: ignored (not a legend)"
    ) in brain.messages

    _import_as(ZOTERO, "Matti Vuorre")
    paper = Publication.objects.get(citation_key="michaelNonPersuasivePower2013")
    assert paper.legend == ""
    page = client.get(paper.get_absolute_url()).content.decode()
    assert "00063" not in page

    # The admin's preview names it too.
    editor = django_user_model.objects.create_superuser("editor", "e@example.org", "pw")
    client.force_login(editor)
    response = client.post(
        "/admin/research/publication/import-bibtex/",
        {"bibtex": text, "highlight_selected": "on"},
    )
    assert "explains no author mark and no author is marked: ignored" in response.content.decode()


def test_annotation_that_explains_a_mark_or_goes_with_marked_authors_stays_the_legend(db):
    # al-folio's own example: * and † explained in annotation.
    run_import(parse_bibtex(_read(CORPUS / "alshedivat-papers.bib")))
    legends = set(Publication.objects.exclude(legend="").values_list("legend", flat=True))
    assert legends and all(line[0] in "*†‡§¶‖#" for text in legends for line in text.splitlines())

    # Marked authors and a legend in words only: still the legend of those marks.
    entry = parse_bibtex(
        "@article{x, title={T}, author={Lovelace, Ada* and Turing, Alan*}, year={2020},"
        " annotation={Equal contribution}}"
    ).entries[0]
    assert entry.values["legend"] == "Equal contribution"
