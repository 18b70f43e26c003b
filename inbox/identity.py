"""What makes two descriptions the same work: DOI, arXiv ID, or normalised title.

Keys are plain strings ("doi:10.1/x", "arxiv:2309.12288", "title:some title"),
so a work, a suggestion and a dismissed identity compare by set intersection.
The arXiv reading is the site's own (research.identifiers.parse_arxiv_id) and titles
are compared with research.models.comparable, as the BibTeX importer does.
"""

import re

from research import identifiers
from research.identifiers import parse_arxiv_id
from research.models import comparable

_DOI_SHAPE = re.compile(r"^10\.\d{4,9}/\S+$")


def normalize_doi(text):
    """A DOI in lower case without its https://doi.org/ or doi: prefix; "" if not a DOI."""
    doi = identifiers.normalize_doi(text).rstrip(".").lower()
    return doi if _DOI_SHAPE.match(doi) else ""


def split_arxiv_id(text):
    """(ID, version) from an arXiv ID or link, or ("", "") when it is neither."""
    try:
        return parse_arxiv_id(text or "")
    except ValueError:
        return "", ""


def identity_keys(*, doi="", arxiv_id="", title=""):
    keys = set()
    if doi := normalize_doi(doi):
        keys.add(f"doi:{doi}")
    if arxiv_id:
        keys.add(f"arxiv:{arxiv_id.lower()}")
    if key := comparable(title):
        keys.add(f"title:{key}")
    return keys
