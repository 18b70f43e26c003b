"""How a venue is classified for citation formats (research/citation.py)."""

import pytest

from research.citation import is_conference


@pytest.mark.parametrize(
    ("venue", "conference"),
    [
        ("ICLR 2024", True),
        ("Oral @ ICLR 2024 LLM Agents", True),
        ("NeurIPS Datasets & Benchmarks Track 2024", True),
        ("Proceedings of the 40th International Conference on Machine Learning", True),
        ("SafeGenAI Workshop", True),
        ("Transactions on Machine Learning Research", False),
        ("Nature", False),
        ("", False),
    ],
)
def test_venue_kind(venue, conference):
    assert is_conference(venue) is conference
