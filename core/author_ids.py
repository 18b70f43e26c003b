"""Checks for the research identifiers kept on the profile (ORCID iD and others).

Each `normalize_*` turns what an owner pastes (often a whole profile link) into
the bare identifier; each validator says in words what shape is expected.
"""

import re

from django.core.exceptions import ValidationError

_ORCID_RE = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")
_OPENALEX_RE = re.compile(r"^A\d{4,12}$")
_DBLP_RE = re.compile(r"^[a-z0-9]+/[A-Za-z0-9-]+$")
_S2_RE = re.compile(r"^\d{1,12}$")


def orcid_checksum(digits):
    """The ORCID check character for the first 15 digits (ISO 7064 MOD 11-2)."""
    total = 0
    for digit in digits:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def normalize_orcid(text):
    text = re.sub(r"^\s*(?:https?://)?(?:www\.)?orcid\.org/", "", text or "").strip().strip("/")
    return text.upper()


def validate_orcid(value):
    if not _ORCID_RE.match(value):
        raise ValidationError(
            "An ORCID iD has 16 characters in four groups, e.g. 0000-0002-1825-0097."
        )
    digits = value.replace("-", "")
    if orcid_checksum(digits[:15]) != digits[15]:
        raise ValidationError(
            "This ORCID iD's last character does not match its check digit: a digit is "
            "probably mistyped. Copy it from your ORCID page."
        )


def normalize_openalex(text):
    text = re.sub(r"^\s*(?:https?://)?(?:api\.)?openalex\.org/(?:authors/)?", "", text or "")
    return text.strip().strip("/").upper()


def validate_openalex(value):
    if not _OPENALEX_RE.match(value):
        raise ValidationError("An OpenAlex author ID is A followed by digits, e.g. A5023888391.")


def normalize_dblp(text):
    text = re.sub(r"^\s*(?:https?://)?dblp\.(?:org|uni-trier\.de)/pid/", "", text or "").strip()
    return re.sub(r"\.(?:html|xml|bib)$", "", text).strip("/")


def validate_dblp(value):
    if not _DBLP_RE.match(value):
        raise ValidationError(
            "A DBLP pid looks like 95/7448-1 (the part after dblp.org/pid/ on your DBLP page)."
        )


def normalize_semantic_scholar(text):
    text = (text or "").strip().strip("/")
    match = re.search(r"semanticscholar\.org/author/(?:[^/]+/)?(\d+)", text)
    return match[1] if match else text


def validate_semantic_scholar(value):
    if not _S2_RE.match(value):
        raise ValidationError(
            "A Semantic Scholar author ID is a number, e.g. 1723755 (the end of your "
            "semanticscholar.org/author/… address)."
        )


def validate_arxiv_query(value):
    if any(ord(c) < 32 for c in value):
        raise ValidationError("The arXiv query must be a single line.")
