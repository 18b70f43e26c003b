"""Lists of real papers stay exact through the cold-render machinery.

Each real .bib (tests/data/bibtex/, sources in its README) is imported, then
/research/ is read as a visitor gets it: every published paper once, with its
authors in order. One paper read alone (an edit's re-render: SQL built once,
research.models.read_rows) must show what it shows in a list, and after an edit
of one paper the next page differs from the one before only in that paper
(the filters, footnote and years are reused, core.memo; each year goes in as
bytes, research.listing.render_listing).
"""

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from research.bibtex_import import parse_bibtex, run_import
from research.models import Publication, read_rows

CORPUS = Path(__file__).parents[1] / "data" / "bibtex"
# The largest file is slow to import (make test has it).
FILES = [
    pytest.param(p, marks=pytest.mark.slow) if p.stat().st_size > 50_000 else p
    for p in sorted(CORPUS.glob("*.bib"))
]


def shown(paper):
    return (
        [(a.name, a.marks, a.person.pk, a.is_owner) for a in paper.authors],
        [t.name for t in paper.tag_list],
        [(link.label, link.href) for link in paper.link_list],
    )


def entries(client):
    response = client.get("/research/")
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    return response.content.decode(), {
        li.select_one("h3.title a")["href"]: li.select_one(".authors").get_text(" ", strip=True)
        for li in page.select("li.paper")
    }


def without_nonce(page):
    return re.sub(r'nonce="[^"]*"', "", page)


@pytest.mark.parametrize("path", FILES, ids=lambda p: getattr(p, "name", p))
def test_a_real_file_lists_exactly_and_one_edit_changes_one_entry(client, db, path):
    run_import(parse_bibtex(path.read_text(encoding="utf-8", errors="replace")))
    papers = list(Publication.objects.published().for_archive())
    assert papers

    listed = {p.pk: shown(p) for p in papers}
    for paper in papers:
        alone = [Publication.objects.get(pk=paper.pk)]
        read_rows(alone, ("authors", "tags", "links"))
        assert shown(alone[0]) == listed[paper.pk], paper.citation_key

    before, authors = entries(client)
    assert sorted(authors) == sorted(p.get_absolute_url() for p in papers)
    for paper in papers:
        names = [a.name + a.marks for a in paper.authors]
        for name in names:
            assert name in authors[paper.get_absolute_url()], (paper.citation_key, name)

    edited = papers[len(papers) // 2]
    old_title = str(edited.title_html)
    edited.title = "Retitled for the test"
    edited.save()
    after, _ = entries(client)
    assert "Retitled for the test" in after
    assert without_nonce(after) == without_nonce(before).replace(
        f">{old_title}</a>", ">Retitled for the test</a>", 1
    ), edited.citation_key
