"""Read a paper's metadata from the arXiv API and turn it into a draft publication.

fetch_entry() asks export.arxiv.org for one ID (Atom XML, short timeout);
parse_feed() reads such a response; create_draft() saves the result as a draft
for the editor to review. Only fetch_atom() touches the network.
"""

import datetime
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from defusedxml import DefusedXmlException, ElementTree
from django.core.exceptions import ValidationError
from django.db import transaction

from .identifiers import parse_arxiv_id

API_URL = "https://export.arxiv.org/api/query"
TIMEOUT_SECONDS = 10

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"


class ArxivError(Exception):
    """arXiv could not be reached or did not return the paper; the message says why."""


@dataclass
class ArxivPaper:
    arxiv_id: str
    title: str
    authors: list[str]
    abstract: str
    published: datetime.date
    doi: str = ""
    journal_ref: str = ""

    @property
    def abs_url(self):
        return f"https://arxiv.org/abs/{self.arxiv_id}"

    @property
    def pdf_url(self):
        return f"https://arxiv.org/pdf/{self.arxiv_id}"


def fetch_atom(arxiv_id):
    """The API's Atom response for one ID, as bytes. The only network access here."""
    query = urllib.parse.urlencode({"id_list": arxiv_id, "max_results": 1})
    request = urllib.request.Request(  # noqa: S310 (a fixed https URL)
        f"{API_URL}?{query}", headers={"User-Agent": "academic-homepage (arXiv import)"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return response.read()
    except urllib.error.HTTPError as error:
        raise ArxivError(
            f"arXiv answered with an error (HTTP {error.code}); try again in a minute."
        ) from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise ArxivError(
            f"Could not reach arXiv ({reason}). Check the connection, or add the paper by hand."
        ) from error


def _text(element, path):
    found = element.find(path)
    return " ".join((found.text or "").split()) if found is not None else ""


def parse_feed(xml_bytes):
    """The one paper in an arXiv API response; ArxivError for errors or no result."""
    try:
        root = ElementTree.fromstring(xml_bytes)
    except ElementTree.ParseError as error:
        raise ArxivError("arXiv sent a response that is not valid XML; try again later.") from error
    except DefusedXmlException as error:  # entity declarations and other XML tricks
        raise ArxivError("arXiv sent a response that could not be read safely.") from error
    entries = root.findall(f"{ATOM}entry")
    if not entries:
        raise ArxivError("arXiv has no paper with this ID.")
    entry = entries[0]
    entry_id = _text(entry, f"{ATOM}id")
    if "/api/errors" in entry_id:
        raise ArxivError(f"arXiv refused the request: {_text(entry, f'{ATOM}summary')}.")
    try:
        arxiv_id, _version = parse_arxiv_id(entry_id)
    except ValueError:
        raise ArxivError("arXiv has no paper with this ID.") from None
    title = _text(entry, f"{ATOM}title")
    published = _text(entry, f"{ATOM}published")
    if not title or not published:
        raise ArxivError("arXiv has no paper with this ID.")
    try:
        published_date = datetime.date.fromisoformat(published[:10])
    except ValueError:
        raise ArxivError(f"arXiv gave an unreadable date ({published}).") from None
    return ArxivPaper(
        arxiv_id=arxiv_id,
        title=title,
        authors=[
            name
            for author in entry.findall(f"{ATOM}author")
            if (name := _text(author, f"{ATOM}name"))
        ],
        abstract=_text(entry, f"{ATOM}summary"),
        published=published_date,
        doi=_text(entry, f"{ARXIV}doi"),
        journal_ref=_text(entry, f"{ARXIV}journal_ref"),
    )


def fetch_entry(text):
    """Parse an ID or link typed by the editor and fetch that paper's metadata."""
    arxiv_id, version = parse_arxiv_id(text)
    return parse_feed(fetch_atom(arxiv_id + version))


def create_draft(paper):
    """Save an ArxivPaper as a new draft publication, its authors matched to people."""
    from .models import Authorship, Person, Publication

    with transaction.atomic():
        draft = Publication(
            title=paper.title[:300],
            date=paper.published,
            url=paper.abs_url,
            pdf_url=paper.pdf_url,
            venue=paper.journal_ref[:300] if paper.journal_ref else "arXiv",
            doi=paper.doi,
            abstract=paper.abstract,
            status=Publication.Status.DRAFT,
        )
        try:
            draft.full_clean()
        except ValidationError as error:
            raise ArxivError(f"arXiv's data does not fit a paper here: {error}") from None
        draft.save()
        people = Person.objects.by_name()
        seen = set()
        for position, name in enumerate(paper.authors):
            try:
                person, _created = Person.objects.match_or_create(name, people)
            except ValidationError as error:
                raise ArxivError(f"The author “{name}” cannot be saved: {error}") from None
            if person.pk in seen:
                continue
            seen.add(person.pk)
            Authorship.objects.create(
                publication=draft,
                person=person,
                position=position,
                printed_name="" if name == person.name else name,
            )
    return draft
