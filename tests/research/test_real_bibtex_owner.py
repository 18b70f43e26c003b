"""Real papers.bib files: the owner under every spelling, marks and legends, round trip.

The files are al-folio's own example and real al-folio sites' papers.bib
(tests/data/bibtex/README.md says where each comes from).
"""

import io
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.core.management import CommandError, call_command

from profiles.models import Profile
from research.bibtex import bibtex_document
from research.bibtex_import import OwnerSpec, parse_bibtex, read_alfolio_config, run_import
from research.models import Authorship, Person, Publication
from research.names import name_parts

CORPUS = Path(__file__).resolve().parent.parent / "data" / "bibtex"
# al-folio's own example site (owner Albert Einstein), copied from shared/fixtures.
ALFOLIO_BIB = CORPUS / "alshedivat-papers.bib"
ALFOLIO_CONFIG = CORPUS / "alshedivat-_config.yml"

# (file, how the owner is given, family name, given names al-folio bolds)
SITES = [
    (ALFOLIO_BIB, {"alfolio_config": str(ALFOLIO_CONFIG)}, "einstein", ["albert", "a"]),
    (
        CORPUS / "ningding97-papers.bib",
        {"alfolio_config": str(CORPUS / "ningding97-_config.yml")},
        "ding",
        ["ning", "n"],
    ),
    (CORPUS / "KumapowerLIU-papers.bib", {"owner": "Hongyu Liu"}, "liu", ["hongyu"]),
    (CORPUS / "yangxlAI-papers.bib", {"owner": "Xiulong Yang"}, "yang", ["xiulong"]),
]


def owner_printed(authorship_name, family, givens):
    """Whether al-folio would bold this printed name: its family and first given name."""
    name_family, name_given = name_parts(authorship_name)
    return name_family == family and bool(name_given) and name_given[0] in givens


def import_file(path, **options):
    out = io.StringIO()
    call_command("import_bibtex", str(path), stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def import_tolerating_skips(path, **options):
    """Import; entries the importer cannot read yet are reported and skipped, not fatal here."""
    try:
        return import_file(path, **options)
    except CommandError as error:
        assert "skipped" in str(error).lower()
        return str(error)


def snapshot():
    return {
        p.title: [(a.name, a.marks, a.is_owner) for a in p.authors] + [("legend", p.legend, None)]
        for p in Publication.objects.for_listing()
    }


@pytest.mark.parametrize(("path", "options", "family", "givens"), SITES, ids=lambda v: str(v)[-30:])
def test_owner_is_bold_on_every_paper_they_wrote(client, db, path, options, family, givens):
    import_tolerating_skips(path, **options)
    owner = Person.objects.get(is_owner=True)
    assert name_parts(owner.name)[0] == family
    papers = list(Publication.objects.for_listing())
    assert papers
    for paper in papers:
        expected = [a.name for a in paper.authors if owner_printed(a.name, family, givens)]
        assert [a.name for a in paper.authors if a.is_owner] == expected, paper.title
    # Nobody else of the owner's family name became the owner, and no copy of them exists.
    assert not Person.objects.filter(is_owner=False, name__in=[owner.name]).exists()
    others = Authorship.objects.exclude(person=owner).select_related("person")
    assert not [a.name for a in others if owner_printed(a.name, family, givens)]

    page = BeautifulSoup(client.get("/research/").content, "html.parser")
    entries = page.select("li.paper")
    assert len(entries) == len(papers)
    by_title = {p.title: p for p in papers}
    for entry in entries:
        paper = by_title[entry.select_one(".title a").get_text(strip=True)]
        bold = [b.get_text() for b in entry.select(".authors b")]
        assert bold == [a.name + a.marks for a in paper.authors if a.is_owner]


def test_owner_spellings_are_kept_as_printed(db):
    import_file(ALFOLIO_BIB, alfolio_config=str(ALFOLIO_CONFIG))
    owner = Person.objects.get(is_owner=True)
    assert owner.name == "Albert Einstein"
    assert Person.objects.filter(name__contains="Einstein").count() == 1
    printed = {a.name for a in owner.authorships.all()}
    assert printed == {"Albert Einstein", "A. Einstein"}


def test_alfolio_example_marks_and_legend(client, db):
    import_file(ALFOLIO_BIB, alfolio_config=str(ALFOLIO_CONFIG))
    paper = Publication.objects.for_listing().get(title__istartswith="Can quantum-mechanical")
    assert [(a.name, a.marks, a.is_owner) for a in paper.authors] == [
        ("A. Einstein", "*†", True),
        ("B. Podolsky", "*", False),
        ("N. Rosen", "*", False),
    ]
    assert paper.legend == "* Example use of superscripts\n† Albert Einstein"

    detail = BeautifulSoup(client.get(paper.get_absolute_url()).content, "html.parser")
    assert detail.select_one(".authors").decode_contents() == (
        "<b>A. Einstein*†</b>, B. Podolsky*, N. Rosen*"
    )
    footnote = detail.select_one(".equal-contribution")
    assert footnote.get_text("|", strip=True) == "* Example use of superscripts|† Albert Einstein"
    # Meta tags and JSON-LD carry plain names.
    authors_meta = [m["content"] for m in detail.select("meta[name=citation_author]")]
    assert authors_meta == ["A. Einstein", "B. Podolsky", "N. Rosen"]
    assert "Einstein*" not in detail.find("script", type="application/ld+json").string

    # /research/ lists exactly the marks its papers use, with this paper's meanings.
    listing = BeautifulSoup(client.get("/research/").content, "html.parser")
    assert listing.select_one(".equal-contribution").get_text("|", strip=True) == (
        "* Example use of superscripts|† Albert Einstein"
    )


def test_alfolio_config_sets_the_author_limit(db):
    Profile.objects.create(name="Albert Einstein")
    import_file(ALFOLIO_BIB, alfolio_config=str(ALFOLIO_CONFIG))
    assert Profile.load().max_author_limit == 3  # the template's max_author_limit


def test_second_import_changes_nothing(db):
    import_tolerating_skips(CORPUS / "ningding97-papers.bib", owner="Ning Ding")
    before = snapshot()
    output = import_tolerating_skips(CORPUS / "ningding97-papers.bib", owner="Ning Ding")
    assert "0 created, 0 updated" in output
    assert snapshot() == before


@pytest.mark.parametrize(("path", "options", "family", "givens"), SITES, ids=lambda v: str(v)[-30:])
def test_export_then_import_into_an_empty_site_gives_the_same_papers(
    db, path, options, family, givens
):
    import_tolerating_skips(path, **options)
    before = snapshot()
    owner = Person.objects.get(is_owner=True).name
    text = bibtex_document(Publication.objects.published().for_listing(), full=True)
    Publication.objects.all().delete()
    Person.objects.all().delete()

    report = run_import(parse_bibtex(text), owner=OwnerSpec(name=owner))
    assert not report.skipped
    assert snapshot() == before
    assert Person.objects.get(is_owner=True).name == owner


def test_owner_given_is_made_the_owner_when_there_is_none(db):
    Person.objects.create(name="Hongyu Liu")
    output = import_file(CORPUS / "KumapowerLIU-papers.bib", owner="Hongyu Liu", dry_run=True)
    assert "Hongyu Liu is now the site owner" in output
    assert not Person.objects.filter(is_owner=True).exists()  # a dry run saves nothing
    import_file(CORPUS / "KumapowerLIU-papers.bib", owner="Hongyu Liu")
    assert Person.objects.get(is_owner=True).name == "Hongyu Liu"


def test_another_owner_is_a_clear_error(db):
    Person.objects.create(name="Ada Lovelace", is_owner=True)
    with pytest.raises(CommandError, match="The site owner is Ada Lovelace, not Hongyu Liu"):
        import_file(CORPUS / "KumapowerLIU-papers.bib", owner="Hongyu Liu")
    assert not Publication.objects.exists()


def test_existing_owner_matches_other_spellings_without_being_told(db):
    Person.objects.create(name="Xiulong Yang", is_owner=True)
    import_file(CORPUS / "yangxlAI-papers.bib")
    paper = Publication.objects.for_listing().get(title__istartswith="JEM++")
    assert [(a.name, a.is_owner) for a in paper.authors] == [
        ("Xiulong Yang", True),
        ("Shihao Ji", False),
    ]
    # "Yang Ye" and "Ye, Yang" are someone else.
    assert Person.objects.get(name="Yang Ye").is_owner is False


def test_owner_alias_beats_a_person_of_that_name_made_earlier(db):
    # A first import made "K. Oman" a person of their own; the owner then adds the alias.
    kyle = Person.objects.create(name="Kyle Oman", is_owner=True, aliases="Oman K.")
    stray = Person.objects.create(name="Oman K.")
    text = "@article{a, title={Dwarfs}, year=2020, author={Oman K. and Navarro, Julio}}"
    run_import(parse_bibtex(text))
    paper = Publication.objects.get(title="Dwarfs")
    assert [a.person for a in paper.authors] == [kyle, Person.objects.get(name="Julio Navarro")]
    assert not stray.authorships.exists()


def test_alfolio_config_errors(tmp_path, db):
    bad = tmp_path / "_config.yml"
    bad.write_text("scholar:\n  last_name: [Einstein\n", encoding="utf-8")
    with pytest.raises(CommandError, match="not valid YAML on line"):
        import_file(ALFOLIO_BIB, alfolio_config=str(bad))
    bad.write_text("title: no scholar here\n", encoding="utf-8")
    with pytest.raises(CommandError, match="no “scholar:” section"):
        import_file(ALFOLIO_BIB, alfolio_config=str(bad))
    assert not Publication.objects.exists()


def test_read_alfolio_config_keeps_marked_names():
    spec, limit = read_alfolio_config((CORPUS / "ningding97-_config.yml").read_text())
    assert (spec.last_names, spec.first_names, limit) == (["Ding"], ["Ning", "N.", "Ning*"], None)
    assert spec.full_name == "Ning Ding"
    assert spec.matcher().matches("Ning* Ding")
    assert not spec.matcher().matches("Ding, Jie")
