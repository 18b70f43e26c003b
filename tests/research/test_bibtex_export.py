"""Export (`export_bibtex`, /research/papers.bib) and the round trip back through import."""

import io

from django.core.management import call_command

from research.bibtex_import import parse_bibtex, run_import
from research.models import Person, Publication


def export(*args):
    out = io.StringIO()
    call_command("export_bibtex", *args, stdout=out)
    return out.getvalue()


def snapshot():
    """Everything a visitor sees of each paper that BibTeX carries, keyed by title."""
    return {
        p.title: {
            "date": p.date,
            "venue": p.venue,
            "venue_short": p.venue_short,
            "url": p.url,
            "pdf_url": p.pdf_url,
            "code_url": p.code_url,
            "website_url": p.website_url,
            "doi": p.doi,
            "tldr": p.tldr,
            "abstract": p.abstract,
            "highlighted": p.highlighted,
            "authors": [(a.name, a.marks) for a in p.authors],
            "legend": p.legend,
            "tags": sorted(t.name for t in p.tags.all()),
        }
        for p in Publication.objects.published().for_listing()
    }


def empty_database():
    Publication.objects.all().delete()
    Person.objects.all().delete()


def test_export_then_import_into_an_empty_database_gives_the_same_papers(seeded):
    paper = Publication.objects.get(slug="situational-awareness-dataset")
    paper.highlighted = False
    paper.venue_short = "NeurIPS"
    paper.abstract = "A first paragraph with 50% & a_b.\n\n* a list item\n* another"
    paper.save()
    before = snapshot()
    assert len(before) == 5
    assert any(author[1] for p in before.values() for author in p["authors"])

    text = export()
    empty_database()
    report = run_import(parse_bibtex(text))

    assert len(report.created) == 5 and not report.skipped
    assert snapshot() == before

    # Exporting again gives the same entries (papers of the same month may swap places)
    # and importing the file again changes nothing.
    assert sorted(export().split("\n@")) == sorted(text.split("\n@"))
    again = run_import(parse_bibtex(text))
    assert [o.action for o in again.outcomes] == ["unchanged"] * 5


def test_export_lists_published_papers_only_and_can_keep_to_highlighted(seeded):
    Publication.objects.filter(slug="reversal-curse").update(status=Publication.Status.DRAFT)
    Publication.objects.filter(slug="taken-out-of-context").update(highlighted=False)

    everything = export()
    assert everything.count("\n@") + everything.startswith("@") == 4
    assert "Reversal Curse" not in everything
    assert "Taken out of context" in everything

    highlighted = export("--highlighted")
    assert "Taken out of context" not in highlighted
    assert highlighted.count("selected = {true}") == 3


def test_export_to_a_file(seeded, tmp_path):
    target = tmp_path / "papers.bib"
    out = export("-o", str(target))

    assert "5 papers written" in out
    text = target.read_text(encoding="utf-8")
    assert "Jérémy Scheurer*" in text  # UTF-8, equal contribution marked


def test_papers_bib_is_served_for_visitors(seeded, client):
    Publication.objects.filter(slug="reversal-curse").update(status=Publication.Status.DRAFT)

    response = client.get("/research/papers.bib")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert text == export()
    assert "Reversal Curse" not in text  # drafts stay private
    assert "Towards evaluations-based safety cases for AI scheming" in text


def test_papers_bib_with_no_papers_is_empty_not_an_error(db, client):
    response = client.get("/research/papers.bib")
    assert response.status_code == 200
    assert response.content.decode().strip() == ""


def test_the_research_page_links_to_papers_bib(seeded, client):
    html = client.get("/research/").content.decode()
    assert '<a href="/research/papers.bib" type="text/plain">BibTeX</a>' in html
