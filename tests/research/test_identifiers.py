"""arXiv IDs and DOIs as people paste them (research/identifiers.py)."""

import pytest

from research.identifiers import normalize_doi, parse_arxiv_id


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2309.12288", ("2309.12288", "")),
        ("2309.12288v2", ("2309.12288", "v2")),
        (" arXiv:2309.12288 ", ("2309.12288", "")),
        ("https://arxiv.org/abs/2309.12288v2", ("2309.12288", "v2")),
        ("http://arxiv.org/pdf/2309.12288.pdf", ("2309.12288", "")),
        ("arxiv.org/abs/2411.03336", ("2411.03336", "")),
        ("hep-th/9901001", ("hep-th/9901001", "")),
        ("https://arxiv.org/abs/hep-th/9901001v1", ("hep-th/9901001", "v1")),
        ("math.gt/0309136", ("math.GT/0309136", "")),
    ],
)
def test_ids_and_links_are_recognised(text, expected):
    assert parse_arxiv_id(text) == expected


@pytest.mark.parametrize(
    "text", ["", "12345", "not an id", "https://example.org/abs/2309.12288", "2309.12288 x"]
)
def test_other_text_is_refused(text):
    with pytest.raises(ValueError, match="not an arXiv ID"):
        parse_arxiv_id(text)


@pytest.mark.parametrize(
    "text",
    [
        "10.1038/srep16696",
        "https://doi.org/10.1038/srep16696",
        "doi: 10.1038/srep16696",
        "http://dx.doi.org/10.1038/srep16696",
    ],
)
def test_dois_lose_their_resolver_prefix(text):
    assert normalize_doi(text) == "10.1038/srep16696"
