"""Paper identifiers as people paste them: arXiv IDs and DOIs, parsed without the network.

Shared by the models (a paper's arXiv ID from its link), the BibTeX and arXiv
importers and anything else that matches papers by identifier.
"""

import re

# An ID as typed or pasted: 2309.12288, 2309.12288v2, arXiv:2309.12288,
# hep-th/9901001, math.GT/0309136, or an abs/pdf link to any of those.
_ID_RE = re.compile(
    r"""^\s*(?:arxiv:\s*)?
    (?:(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/)?
    (?P<id>\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[a-z]{2})?/\d{7})
    (?P<version>v\d+)?
    (?:\.pdf)?/?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)


_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


def parse_arxiv_id(text):
    """(ID, version) from an ID or arXiv link; ValueError when it is neither."""
    match = _ID_RE.match(text or "")
    if not match:
        raise ValueError(
            f"“{(text or '').strip()}” is not an arXiv ID or link. Use a form such as "
            "2309.12288, 2309.12288v2, hep-th/9901001 or https://arxiv.org/abs/2309.12288."
        )
    arxiv_id = match["id"]
    if "/" in arxiv_id:
        # Old-style archive names are lower case; the subject class (math.GT) is not.
        archive, number = arxiv_id.split("/")
        name, _, subject = archive.partition(".")
        arxiv_id = f"{name.lower()}{'.' + subject.upper() if subject else ''}/{number}"
    return arxiv_id, (match["version"] or "").lower()


def normalize_doi(text):
    """A DOI without its resolver prefix: "https://doi.org/10.1/x" and "doi:10.1/x" give 10.1/x."""
    return _DOI_PREFIX.sub("", (text or "").strip())
