"""Searching the editor's lists gives the same answers on SQLite and PostgreSQL."""

import pytest
from bs4 import BeautifulSoup

TOWARDS = "Towards evaluations-based safety cases for AI scheming"
SAD = "Me, Myself, and AI: The Situational Awareness Dataset (SAD) for LLMs"
DECEIVE = "Large Language Models can Strategically Deceive their Users when Put Under Pressure"
REVERSAL = 'The Reversal Curse: LLMs trained on "A is B" fail to learn "B is A"'
CONTEXT = "Taken out of context: On measuring situational awareness in LLMs"


def listed(editor_client, url, query):
    response = editor_client.get(url, {"q": query})
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return [cell.get_text(strip=True) for cell in soup.select("#result_list tbody th")]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("HOBBHAHN", [TOWARDS, SAD, DECEIVE]),  # a co-author, in another case
        ("balesni", [TOWARDS, SAD, DECEIVE, REVERSAL, CONTEXT]),  # on all five, each once
        ("iclr", [DECEIVE, REVERSAL]),  # venue text
        ("Jérémy", [TOWARDS, SAD, DECEIVE]),  # accented name of the person
        ("Jeremy Scheurer", [SAD]),  # the name as printed on that paper
    ],
)
def test_paper_search_newest_first_and_each_paper_once(seeded, editor_client, query, expected):
    assert listed(editor_client, "/admin/research/publication/", query) == expected


@pytest.mark.parametrize(
    ("query", "expected"), [("tomek", ["Tomasz Korbak"]), ("KORBAK", ["Tomasz Korbak"])]
)
def test_person_search_by_name_or_alias(seeded, editor_client, query, expected):
    assert listed(editor_client, "/admin/research/person/", query) == expected
