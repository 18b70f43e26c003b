"""What the importer reads from real files: every entry al-folio shows, every field it shows.

Most checks read the corpus in tests/data/bibtex/ (sources in its README); the
few cases no file there has are short entries in the same shape.
"""

import datetime
from pathlib import Path

import pytest

from research.bibtex_import import parse_bibtex, run_import
from research.models import Publication

CORPUS = Path(__file__).parents[1] / "data" / "bibtex"


def import_text(text):
    return run_import(parse_bibtex(text))


def import_corpus(name):
    return import_text((CORPUS / name).read_text(encoding="utf-8"))


def paper(key):
    return Publication.objects.for_archive().get(citation_key=key)


def links(p):
    return [(link.label, link.url) for link in p.links.all()]


@pytest.mark.slow  # imports the corpus's largest file, 225 kB (about 2 s)
def test_ads_journal_macros_school_and_booktitle_give_the_venue(db):
    import_corpus("kyleaoman-papers.bib")

    assert paper("2026MNRAS.549ag947L").venue == "MNRAS"
    venues = set(Publication.objects.values_list("venue", flat=True))
    assert {"MNRAS", "A&A", "ApJ", "ApJL", "Phys. Rev. Lett.", "PASA", "JCAP", "AJ"} <= venues
    assert Publication.objects.filter(venue="").count() == 0
    # Proceedings: the booktitle, not the journal field ADS adds.
    assert paper("2018IAUS..334..213O").venue == "Rediscovering Our Galaxy"
    assert paper("2017PhDT........80O").venue.startswith("University of Victoria")
    # ADS's abstract page and the arXiv ID are kept as links beside the primary one.
    labels = [label for label, _ in links(paper("2026MNRAS.549ag947L"))]
    assert "ADS" in labels


def test_biblatex_fields_crossref_and_editor_lists(db):
    report = import_corpus("plk-biblatex-examples.bib")

    aksin = paper("aksin")
    assert aksin.venue == "J. Organomet. Chem."  # journaltitle = jomch, a @string
    assert aksin.date == datetime.date(2006, 1, 1)  # date = 2006
    assert paper("shore").date == datetime.date(1991, 3, 1)  # date = {1991-03}
    # crossref: the collection's title is the venue of the chapter in it.
    assert paper("westfahl:space").venue == "Space and Beyond"
    # A collection with editors and no authors lists its editors, marked as editors.
    doody = paper("matuz:doody")
    assert doody.authors_are_editors is True
    assert [a.name for a in doody.authors] == ["Roger Matuz"]
    assert paper("geer").venue == "Uppsala Universitet"  # institution of a thesis
    assert paper("chiu").venue == "IBM"  # institution of a report
    skipped = {o.key for o in report.skipped}
    assert "set" in skipped and "stdmodel" in skipped  # @set: no title, nothing to show


def test_alfolio_template_award_additional_info_and_links(db, client):
    import_corpus("alshedivat-papers.bib")

    photo = paper("einstein1905photoelectriceffect")
    assert photo.award_name == "Nobel Prize"
    assert "**Nobel Prize in Physics**" in photo.award
    epr = paper("PhysRev.47.777")
    assert epr.url == "http://link.aps.org/doi/10.1103/PhysRev.47.777"
    assert links(epr) == [
        ("HTML", "https://journals.aps.org/pr/abstract/10.1103/PhysRev.47.777"),
        ("Video", "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ"),
    ]
    assert epr.additional_info.startswith(". *More Information*")
    assert epr.date == datetime.date(1935, 5, 1)

    page = client.get(photo.get_absolute_url()).content.decode()
    assert '<span class="badge">Nobel Prize</span>' in page
    assert "<strong>Nobel Prize in Physics</strong>" in page
    page = client.get(epr.get_absolute_url()).content.decode()
    assert '<a href="https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ">Video</a>' in page
    assert (
        '<em>More Information</em> can be <a href="https://github.com/alshedivat/al-folio/"' in page
    )
    archive = client.get("/research/").content.decode()
    assert (
        '<a href="https://journals.aps.org/pr/abstract/10.1103/PhysRev.47.777">HTML</a>' in archive
    )


def test_undated_entries_are_imported_and_listed_first_under_their_label(db, client):
    report = import_text(
        """
        @article{dated, title = {Out Already}, author = {Oman, Kyle A.}, year = {2021}}
        @article{press, title = {Accepted Paper}, author = {Oman, Kyle A.}, year = {in press}}
        @misc{nodate, title = {A Note}, author = {Oman, Kyle A.}}
        """
    )

    assert [o.action for o in report.outcomes] == ["created"] * 3
    press = paper("press")
    assert press.date is None and press.date_label == "In press"
    assert paper("nodate").date_label == "Undated"
    html = client.get("/research/").content.decode()
    assert html.index(">In press</h2>") < html.index(">2021</h2>")
    feed = client.get("/research/feed/").content.decode()
    assert feed.index("Out Already") > feed.index("Accepted Paper")


def test_fields_given_twice_keys_used_twice_and_href_are_read_as_bibtex_does(db):
    report = import_text(
        """
        @misc{susi, title = {SUSI: Supervised Self-organizing Maps in Python},
          author = {Riese, Felix M.}, year = {2019}, year = {2020},
          howpublished = {\\href{https://doi.org/10.5281/zenodo.2609130}{doi.org/10.5281/zenodo.2609130}}}
        @misc{susi, title = {SUSI, a second entry under the same key},
          author = {Riese, Felix M.}, year = {2019}}
        @article{broken, title = {Fine}, author = {Riese, Felix M.}, year = {2019},
          month = {28 Nov}}
        """
    )

    assert [(o.key, o.action) for o in report.outcomes] == [
        ("susi", "created"),
        ("susi", "created"),
        ("broken", "created"),
    ]
    first, second = report.outcomes[0], report.outcomes[1]
    assert any("year given twice: the last value is kept" in m for m in first.messages)
    assert any("also used by the entry on line 2" in m for m in second.messages)
    susi = Publication.objects.get(title__startswith="SUSI: ")
    assert susi.date.year == 2020
    assert susi.venue == "doi.org/10.5281/zenodo.2609130"  # \href became its text
    assert susi.url == "https://doi.org/10.5281/zenodo.2609130"  # and its URL the link
    assert paper("broken").date == datetime.date(2019, 11, 28)  # the day is kept


def test_one_unreadable_entry_skips_only_itself(db, monkeypatch):
    from research import bibtex_import

    real = bibtex_import._read_entry

    def fail_on_second(key, *args):
        if key == "second":
            raise RuntimeError("pylatexenc gave up")
        return real(key, *args)

    monkeypatch.setattr(bibtex_import, "_read_entry", fail_on_second)
    report = import_text(
        "@misc{first, title = {One}, author = {A. Person}, year = 2020}\n"
        "@misc{second, title = {Two}, author = {A. Person}, year = 2020}\n"
        "@misc{third, title = {Three}, author = {A. Person}, year = 2020}\n"
    )

    assert [(o.key, o.action, o.line) for o in report.outcomes] == [
        ("first", "created", 1),
        ("second", "skipped", 2),
        ("third", "created", 3),
    ]
    assert "RuntimeError: pylatexenc gave up" in report.outcomes[1].messages[0]


@pytest.mark.parametrize(
    ("names", "people", "et_al"),
    [
        ("Smith, J. and others", ["J. Smith"], True),
        ("J. Smith and et al.", ["J. Smith"], True),
        ("J. Smith and +11 more authors", ["J. Smith"], True),
        ("J. Smith and ...", ["J. Smith"], True),
        ("J. Smith and A. Jones", ["J. Smith", "A. Jones"], False),
    ],
)
def test_more_authors_are_et_al_never_people(db, client, names, people, et_al):
    import_text(f"@misc{{k, title = {{T}}, author = {{{names}}}, year = 2020}}")
    p = paper("k")
    assert [a.name for a in p.authors] == people
    assert p.et_al is et_al
    html = client.get(p.get_absolute_url()).content.decode()
    assert ("et al." in html) is et_al


def test_same_doi_in_one_file_stays_two_papers_and_reimport_keeps_them_apart(db):
    text = """
        @article{journal, title = {Dark Matter Halos}, author = {Oman, K.}, year = 2020,
          doi = {10.1093/mnras/x1}, journal = {\\mnras}}
        @inproceedings{abstract, title = {Dark Matter Halos (abstract)}, author = {Oman, K.},
          year = 2019, doi = {10.1093/mnras/x1}, booktitle = {AAS Meeting}}
    """
    report = import_text(text)

    assert [o.action for o in report.outcomes] == ["created", "created"]
    assert any("same DOI as entry “journal” (line 2)" in m for m in report.outcomes[1].messages)
    again = import_text(text)
    assert [o.action for o in again.outcomes] == ["unchanged", "unchanged"]
    assert paper("journal").venue == "MNRAS" and paper("abstract").venue == "AAS Meeting"


def test_html_in_venue_is_sanitized_not_shown_as_tags(db, client):
    from bs4 import BeautifulSoup

    import_text(
        "@misc{k, title = {T}, author = {A. Person}, year = 2020, "
        "howpublished = {Workshop<br><b>Oral</b> <script>alert(1)</script>}}"
    )
    soup = BeautifulSoup(client.get(paper("k").get_absolute_url()).content, "html.parser")
    venue = soup.select_one("p.venues")
    assert venue.find("br") is not None and venue.find("b").get_text() == "Oral"
    assert venue.find("script") is None and "alert" not in venue.get_text()
    # The only scripts: the site's own file and the JSON-LD data block (text escaped there).
    assert all(s.get("src") or s.get("type") == "application/ld+json" for s in soup("script"))


def test_several_addresses_in_one_url_field_are_all_kept(db):
    import_corpus("HugoBlox-My_Publications.bib")
    fish = paper("Fish2017")
    assert fish.url == "http://dev.biologists.org/lookup/doi/10.1242/dev.146050"
    assert links(fish) == [
        ("Link", "http://www.ncbi.nlm.nih.gov/pubmed/28536097"),
        ("Link", "http://www.pubmedcentral.nih.gov/articlerender.fcgi?artid=PMC5536864"),
    ]
