"""TeX math in titles and abstracts: MathML on pages, plain text where markup cannot go."""

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from core.markup import math_to_text, render_markdown, render_title
from research.bibtex_import import parse_bibtex, run_import
from research.models import Publication

CORPUS = Path(__file__).parents[1] / "data" / "bibtex"


@pytest.fixture
def maximal(db):
    # academicpages' example input: "The affine automorphism group of $\\mathbb{A}^3$ ..."
    run_import(parse_bibtex((CORPUS / "academicpages-publications.bib").read_text()))
    return Publication.objects.get(citation_key="maximal")


def test_title_math_is_mathml_on_the_page_and_plain_text_elsewhere(maximal, client):
    assert "$\\mathbb{A}^3$" in maximal.title
    html = client.get(maximal.get_absolute_url()).content.decode()
    soup = BeautifulSoup(html, "html.parser")

    heading = soup.find("h1")
    assert heading.find("math") is not None
    assert heading.find("msup") is not None  # A to the power 3
    assert "$" not in heading.get_text()
    title = soup.find("title").get_text()
    assert title.startswith("The affine automorphism group of 𝔸^3 is not")
    assert soup.find("meta", attrs={"name": "citation_title"})["content"] == maximal.title_text
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["headline"] == maximal.title_text and "<" not in data["headline"]
    assert "<script" not in re.sub(r"<script (src|type)=", "", html)  # no MathJax, no script

    feed = client.get("/research/feed/").content.decode()
    assert "𝔸^3" in feed and "mathbb" not in feed


def test_abstract_math_keeps_underscores_out_of_markdown(db):
    html = render_markdown("We fit $\\alpha_1 = 2$ and $\\beta_2$ with _care_.")
    assert html.count("<math") == 2
    assert "<em>care</em>" in html
    assert "<msub><mi>α</mi><mn>1</mn></msub>" in html


@pytest.mark.parametrize("tex", ["$\\frac{a$", "$\\undefinedmacro x$", "$\\begin{array}$"])
def test_bad_tex_shows_its_source_and_never_fails(db, client, make_paper, tex):
    paper = make_paper(f"A title with {tex} in it")
    html = str(render_title(paper.title))
    assert "$" in html or "<math" in html
    assert client.get(paper.get_absolute_url()).status_code == 200
    assert client.get("/research/").status_code == 200


def test_dollar_amounts_are_not_math():
    assert "<math" not in str(render_title("It costs $5 and $10 a month"))
    assert math_to_text("$z \\sim 3.8$").startswith("z")


def test_the_sanitizer_keeps_only_the_mathml_it_emits():
    html = str(render_markdown('<math><mi href="javascript:x">a</mi><maction>b</maction></math>'))
    assert "javascript" not in html and "maction" not in html
