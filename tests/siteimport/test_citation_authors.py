"""academicpages publications that name their authors only in `citation:`.

The files are real (tests/data/sites/, sources in its README); each expectation is
read off the citation line by hand, and checked on /research/ as a visitor sees it.
"""

import pytest
from bs4 import BeautifulSoup

from research.models import Publication
from siteimport.readers.academicpages import authors_from_citation

from .conftest import import_site, site
from .test_alfolio import assert_nothing_raw, assert_second_run_changes_nothing

pytestmark = pytest.mark.django_db


def research_entries(client):
    """title -> (authors as shown, the ones in bold) for each entry of /research/."""
    page = BeautifulSoup(client.get("/research/").content, "html.parser")
    entries = {}
    for entry in page.select("li.paper"):
        title = entry.select_one("h3.title a").get_text(" ", strip=True)
        people = entry.select_one(".authors")
        entries[title] = (
            " ".join(people.get_text().split()),
            [b.get_text(strip=True) for b in people.select("b")],
        )
    return entries


def test_amice_citations_in_the_generators_own_shape(client):
    # " Luiz Chamon,  Alexandre Amice,  Alejandro Ribeiro, &quot;Title.&quot; Venue, 2019."
    output = import_site(site("AlexandreAmice-AlexandreAmice.github.io"))

    assert "names no authors" not in output
    entries = research_entries(client)
    assert entries == {
        "Approximately Supermodular Scheduling Subject to Matroid Constraints": (
            "Luiz Chamon, Alexandre Amice, Alejandro Ribeiro",
            ["Alexandre Amice"],
        ),
        "Resilient Control: Compromising to Adapt": (
            "Luiz Chamon, Alexandre Amice, Santiago Paternain, Alejandro Ribeiro",
            ["Alexandre Amice"],
        ),
        "Matroid-Constrained Approximately Supermodular Optimization for Near-Optimal "
        "Actuator Scheduling": (
            "Luiz Chamon, Alexandre Amice, Alejandro Ribeiro",
            ["Alexandre Amice"],
        ),
    }
    assert_nothing_raw(client)
    assert_second_run_changes_nothing(site("AlexandreAmice-AlexandreAmice.github.io"))


def test_watkins_citations_in_apa_and_first_last_shapes(client):
    output = import_site(site("DavidWatkins-davidwatkins.github.io"))

    assert "names no authors" not in output
    entries = research_entries(client)
    # APA: "Shang, J., …, Watkins, D., & Herlant, L. (2025, January). Theia: …"
    assert entries["Theia: Distilling Diverse Vision Foundation Models for Robot Learning"][0] == (
        "J. Shang, K. Schmeckpeper, B. B. May, M. V. Minniti, T. Kelestemur, D. Watkins, L. Herlant"
    )
    assert entries["Multiple View Performers for Shape Completion"][0] == (
        "D. Watkins, P. Allen, K. Choromanski, J. Varley, N. Waytowich"
    )
    # "Jacob Varley, David Watkins, and Peter Allen. “Multi-Modal …”."
    assert entries["Multi-Modal Geometric Learning for Grasping and Manipulation (Poster)"][0] == (
        "Jacob Varley, David Watkins, Peter Allen"
    )
    # The site's owner is “David J. Watkins-Valls”; the citations print “Watkins”, another
    # family name to the owner matching (as on al-folio, where it is not bold either).
    assert all(bold == [] for _, bold in entries.values())
    paper = Publication.objects.get(title__startswith="Multi-Modal Geometric")
    assert [a.person.name for a in paper.authorships.order_by("position")] == [
        "Jacob Varley", "David Watkins", "Peter Allen",
    ]  # fmt: skip
    assert_nothing_raw(client)
    assert_second_run_changes_nothing(site("DavidWatkins-davidwatkins.github.io"))


@pytest.mark.parametrize(
    "citation",
    [
        # academicpages' own placeholder: "Your Name, You." is no list of people.
        "Your Name, You. (2009). &quot;Paper Title Number 1.&quot; <i>Journal 1</i>. 1(1).",
        "Published in the proceedings, see the PDF.",
        "",
    ],
)
def test_a_citation_that_is_no_author_list_gives_no_people(citation):
    assert authors_from_citation(citation) == []
