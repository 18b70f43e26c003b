import datetime

import bibtexparser
import pytest
from django.core.files.base import ContentFile

from research.bibtex import (
    bibtex_document,
    citation_key,
    escape_latex,
    publication_bibtex,
)
from research.bibtex_import import latex_to_markdown as decode_latex
from research.models import Publication


def parse_one(text):
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, [b.error for b in library.failed_blocks]
    assert len(library.entries) == 1
    return library.entries[0]


def field(entry, name):
    return decode_latex(entry.fields_dict[name].value)


def test_seed_paper_parses_back_to_same_title_authors_and_year(seeded):
    paper = Publication.objects.for_listing().get(slug="strategic-deception-under-pressure")
    entry = parse_one(publication_bibtex(paper))

    assert field(entry, "title") == paper.title
    assert field(entry, "author").split(" and ") == [a.name for a in paper.authors]
    assert field(entry, "year") == "2023"
    assert entry.key == "scheurer2023large"
    # The citation form carries no al-folio markers.
    assert "*" not in field(entry, "author")
    assert field(entry, "eprint") == "2311.07590"
    assert field(entry, "archivePrefix") == "arXiv"
    assert field(entry, "url") == "https://arxiv.org/abs/2311.07590"
    assert entry.entry_type == "inproceedings"
    assert field(entry, "booktitle") == "Oral @ ICLR 2024 LLM Agents"


def test_latex_specials_are_escaped_and_accents_kept(make_paper):
    title = r"50% of $x_1$ & {braces} #1 ~ ^ \cmd"
    paper = make_paper(title, authors=["Jérémy Scheurer", "Zoë O'Brien"], venue="Journal of A & B")
    text = publication_bibtex(paper)

    assert r"50\% of \$x\_1\$ \& \textbraceleft{}braces\textbraceright{} \#1" in text
    assert r"\textasciitilde{} \textasciicircum{} \textbackslash{}cmd" in text
    assert "Jérémy Scheurer and Zoë O'Brien" in text
    entry = parse_one(text)
    assert field(entry, "title") == title
    assert entry.entry_type == "article"
    assert field(entry, "journal") == "Journal of A & B"


def test_escape_round_trip_on_every_special():
    text = "\\ { } & % $ # _ ~ ^ \\textbackslash{}"
    assert decode_latex(escape_latex(text)) == text


def test_key_is_stable_ascii_and_skips_stopwords(make_paper):
    paper = make_paper("The Ünïcode Paper", authors=["Zoë Ñúñez"], date=datetime.date(2021, 3, 1))
    assert citation_key(paper) == "nunez2021unicode"
    assert citation_key(paper) == citation_key(Publication.objects.for_listing().get(pk=paper.pk))


def test_no_venue_is_misc_with_month_and_no_venue_field(make_paper):
    paper = make_paper("Preprint", date=datetime.date(2024, 11, 1))
    entry = parse_one(publication_bibtex(paper, base_url="https://me.example.org"))
    assert entry.entry_type == "misc"
    assert "booktitle" not in entry.fields_dict
    assert "journal" not in entry.fields_dict
    assert entry.fields_dict["month"].value == "nov"
    # Without a primary link the paper's own page is the url.
    assert field(entry, "url") == f"https://me.example.org/research/{paper.slug}/"


def test_full_form_carries_al_folio_fields(make_paper):
    paper = make_paper(
        "Full",
        authors=["Ada Lovelace*", "Alan Turing*", "Grace Hopper"],
        tags=["safety", "evals"],
        venue="ICLR 2024",
        venue_short="ICLR",
        url="https://arxiv.org/abs/2309.12288",
        code_url="https://github.com/x/y_z",
        website_url="https://project.example.org/",
        doi="10.1000/xyz_1",
        highlighted=True,
        tldr="We *find* 100% things.",
        abstract="Line one.\n\nLine two with $math$.",
    )
    paper.pdf.save("full.pdf", ContentFile(b"%PDF-1.4"), save=True)
    paper = Publication.objects.for_listing().get(pk=paper.pk)
    entry = parse_one(publication_bibtex(paper, full=True, base_url="https://me.example.org"))

    assert field(entry, "author") == "Ada Lovelace* and Alan Turing* and Grace Hopper"
    assert field(entry, "selected") == "true"
    assert field(entry, "abbr") == "ICLR"
    assert field(entry, "code") == "https://github.com/x/y_z"
    assert field(entry, "pdf") == f"https://me.example.org{paper.pdf.url}"
    assert field(entry, "html") == "https://arxiv.org/abs/2309.12288"
    assert field(entry, "website") == "https://project.example.org/"
    assert sorted(field(entry, "keywords").split(", ")) == ["evals", "safety"]
    assert field(entry, "abstract") == paper.abstract
    assert field(entry, "tldr") == paper.tldr
    assert field(entry, "doi") == "10.1000/xyz_1"


def test_full_form_omits_unset_fields(make_paper):
    entry = parse_one(publication_bibtex(make_paper("Bare"), full=True, base_url=""))
    assert set(entry.fields_dict) == {"author", "title", "year", "month"}


def test_document_gives_colliding_keys_suffixes(make_paper):
    papers = [make_paper("Same words"), make_paper("Same words again"), make_paper("Other")]
    library = bibtexparser.parse_string(bibtex_document(papers))
    assert not library.failed_blocks
    assert [e.key for e in library.entries] == [
        "lovelace2024same",
        "lovelace2024sameb",
        "lovelace2024other",
    ]


@pytest.mark.parametrize("full", [False, True])
def test_whole_seed_document_parses(seeded, full):
    papers = list(Publication.objects.for_listing())
    library = bibtexparser.parse_string(bibtex_document(papers, full=full))
    assert not library.failed_blocks
    assert [field(e, "title") for e in library.entries] == [p.title for p in papers]
    assert len({e.key for e in library.entries}) == len(papers)
