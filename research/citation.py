"""What citation formats need to know about a paper beyond its fields.

Shared by the BibTeX export (booktitle or journal), the Highwire Press meta
tags (citation_conference_title or citation_journal_title) and JSON-LD, so a
venue is classified the same way everywhere.
"""

import re

# Words and well-known abbreviations that mark a conference or workshop venue;
# anything else with a venue counts as a journal.
_CONFERENCE_WORDS = re.compile(
    r"\b(conference|proceedings|workshop|symposium|track|meeting|congress|colloquium|summit)\b",
    re.I,
)
_CONFERENCE_NAMES = re.compile(
    r"\b(AAAI|ACL|AIES|AISTATS|ALT|CHI|COLING|COLM|COLT|CoRL|CVPR|EACL|ECCV|ECML|EMNLP|FAccT"
    r"|ICCV|ICLR|ICML|ICRA|IJCAI|INTERSPEECH|IROS|KDD|NAACL|NeurIPS|NIPS|RecSys|SaTML|SIGIR"
    r"|UAI|USENIX|WACV|WSDM|WWW)\b"
)


def is_conference(venue):
    """True when the venue reads like a conference or workshop."""
    return bool(venue and (_CONFERENCE_WORDS.search(venue) or _CONFERENCE_NAMES.search(venue)))


def guess_kind(venue, on_arxiv=False):
    """The Publication.Kind value a venue suggests, for papers whose kind is not set."""
    if re.search(r"\b(thesis|dissertation)\b", venue, re.I):
        return "thesis"
    if not venue.strip() or re.search(r"\b(arxiv|preprint|biorxiv|medrxiv)\b", venue, re.I):
        return "preprint" if (on_arxiv or venue.strip()) else "other"
    if re.search(r"\breport\b", venue, re.I):
        return "report"
    return "conference" if is_conference(venue) else "journal"
