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
