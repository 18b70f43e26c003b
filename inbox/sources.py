"""The six places the inbox asks for the owner's works, and how to read each answer.

Each source is a class with `name`, `label` and `fetch(key) -> list[FoundWork]`;
fetch pages to the end through a SourceClient (inbox/http.py) and reads every
answer completely before returning, so a source that fails half-way returns
nothing at all. The `parse_*` functions turn one recorded answer into
FoundWorks and are what the tests run on real recordings.

Client libraries: pyalex (OpenAlex) sends its requests through `requests` with
a module-global configuration and urllib3's own retry, so it cannot share our
transport, timeouts, size cap or injectable sleep (and its global config is not
safe in the editor's background thread); habanero (Crossref) accepts a custom
`base_url`, but sends through its own `httpx2` fork, which takes no transport
and has no retry, `Retry-After` or size limit. Both APIs are a single GET with
a cursor, so they are read with the same httpx client as the others.
"""

import datetime
import re
import urllib.parse
from dataclasses import dataclass, field

from django.conf import settings

from .http import SourceClient
from .identity import normalize_doi, split_arxiv_id

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"
MAX_PAGES = 200  # a runaway cursor stops here instead of looping for ever
# What reading an answer of the wrong shape raises: reported as "unexpected answer".
MALFORMED = (ValueError, AttributeError, TypeError, KeyError, IndexError)


@dataclass
class FoundWork:
    """One work as one source describes it."""

    source: str
    title: str
    authors: list = field(default_factory=list)
    date: datetime.date | None = None
    venue: str = ""
    doi: str = ""
    arxiv_id: str = ""
    arxiv_version: str = ""
    url: str = ""
    abstract: str = ""
    citations: int | None = None
    source_id: str = ""


def _date(year, month=None, day=None):
    try:
        return datetime.date(int(year), int(month or 1), int(day or 1))
    except (TypeError, ValueError):
        return None


def _iso_date(text):
    try:
        return datetime.date.fromisoformat((text or "")[:10])
    except ValueError:
        return None


def _clean(text):
    return " ".join(str(text or "").split())


def _arxiv_from_url(text):
    match = re.search(r"arxiv\.org/(?:abs|pdf)/([^\s?#]+)", text or "", re.IGNORECASE)
    return split_arxiv_id(match[1]) if match else ("", "")


class Source:
    name = ""
    label = ""
    min_interval = 0.0

    def __init__(self, *, transport=None, sleep=None, clock=None):
        kwargs = {"transport": transport}
        if sleep is not None:
            kwargs["sleep"] = sleep
        if clock is not None:
            kwargs["clock"] = clock
        self.client = SourceClient(
            self.label, min_interval=self.min_interval, headers=self.headers(), **kwargs
        )

    def headers(self):
        return {}

    def fail(self, message):
        self.client.fail(message)

    def close(self):
        self.client.close()


# -- ORCID ----------------------------------------------------------------------


def parse_orcid_works(data, source="orcid"):
    """FoundWorks from /v3.0/{id}/works: one per group (ORCID groups duplicates)."""
    if not isinstance(data, dict) or "group" not in data:
        raise ValueError("no “group” list in the answer")
    works = []
    for group in data["group"] or []:
        summaries = group.get("work-summary") or []
        if not summaries:
            continue
        summary = summaries[0]
        title = _clean(((summary.get("title") or {}).get("title") or {}).get("value"))
        if not title:
            continue
        doi = arxiv_id = version = ""
        ids = ((group.get("external-ids") or {}).get("external-id")) or []
        for ext in ids:
            kind = (ext.get("external-id-type") or "").lower()
            value = ext.get("external-id-value") or ""
            if kind == "doi" and not doi:
                doi = normalize_doi(value)
            elif kind == "arxiv" and not arxiv_id:
                arxiv_id, version = split_arxiv_id(value)
        when = summary.get("publication-date") or {}
        works.append(
            FoundWork(
                source=source,
                title=title,
                date=_date(
                    (when.get("year") or {}).get("value"),
                    (when.get("month") or {}).get("value"),
                    (when.get("day") or {}).get("value"),
                )
                if when.get("year")
                else None,
                venue=_clean((summary.get("journal-title") or {}).get("value")),
                doi=doi,
                arxiv_id=arxiv_id,
                arxiv_version=version,
                url=_clean((summary.get("url") or {}).get("value")),
                source_id=str(summary.get("put-code") or ""),
            )
        )
    return works


class Orcid(Source):
    name = "orcid"
    label = "ORCID"

    def headers(self):
        return {"Accept": "application/json"}

    def fetch(self, orcid):
        data = self.client.get_json(f"{settings.ORCID_API_URL}/{orcid}/works")
        if isinstance(data, dict) and "error-code" in data:
            self.fail(data.get("developer-message") or f"error {data['error-code']}")
        try:
            return parse_orcid_works(data)
        except MALFORMED as error:
            self.fail(f"unexpected answer ({error})")


# -- OpenAlex -------------------------------------------------------------------


def _openalex_venue(work):
    location = work.get("primary_location") or {}
    venue = (location.get("source") or {}).get("display_name")
    if not venue:  # the 2022 schema
        venue = (work.get("host_venue") or {}).get("display_name")
    return _clean(venue)


def _openalex_arxiv(work):
    locations = list(work.get("locations") or []) + list(work.get("alternate_host_venues") or [])
    for location in locations:
        for key in ("landing_page_url", "url", "pdf_url"):
            arxiv = _arxiv_from_url(location.get(key))
            if arxiv[0]:
                return arxiv
    return "", ""


def _inverted_abstract(index):
    if not index:
        return ""
    words = sorted((position, word) for word, spots in index.items() for position in spots)
    return " ".join(word for _position, word in words)


def parse_openalex_work(work, source="openalex"):
    """A FoundWork from one OpenAlex work (2022 or current schema), or None without a title."""
    title = _clean(work.get("display_name") or work.get("title"))
    if not title:
        return None
    arxiv_id, version = _openalex_arxiv(work)
    return FoundWork(
        source=source,
        title=title,
        authors=[
            _clean((a.get("author") or {}).get("display_name"))
            for a in work.get("authorships") or []
            if (a.get("author") or {}).get("display_name")
        ],
        date=_iso_date(work.get("publication_date")) or _date(work.get("publication_year")),
        venue=_openalex_venue(work),
        doi=normalize_doi(work.get("doi") or ""),
        arxiv_id=arxiv_id,
        arxiv_version=version,
        abstract=_inverted_abstract(work.get("abstract_inverted_index")),
        citations=work.get("cited_by_count"),
        source_id=(work.get("id") or "").rsplit("/", 1)[-1],
    )


def parse_openalex_works(data, source="openalex"):
    """(FoundWorks, next cursor or None) from one /works page."""
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        raise ValueError("no “results” list in the answer")
    works = [parse_openalex_work(work, source) for work in data["results"]]
    works = [work for work in works if work is not None]
    cursor = (data.get("meta") or {}).get("next_cursor")
    return works, (cursor if data["results"] else None)


class OpenAlex(Source):
    name = "openalex"
    label = "OpenAlex"

    def fetch(self, author_id):
        params = {"filter": f"author.id:{author_id}", "per_page": 200, "cursor": "*"}
        if settings.PAPER_SOURCES_EMAIL:
            params["mailto"] = settings.PAPER_SOURCES_EMAIL
        if settings.OPENALEX_API_KEY:
            params["api_key"] = settings.OPENALEX_API_KEY
        works = []
        for _page in range(MAX_PAGES):
            data = self.client.get_json(f"{settings.OPENALEX_API_URL}/works", params=params)
            if isinstance(data, dict) and "error" in data:
                self.fail(f"{data.get('error')}: {data.get('message', '')}".strip(": "))
            try:
                page, cursor = parse_openalex_works(data)
            except MALFORMED as error:
                self.fail(f"unexpected answer ({error})")
            works.extend(page)
            if not cursor:
                return works
            params["cursor"] = cursor
        self.fail(f"more than {MAX_PAGES} pages of works; stopped")


# -- Crossref -------------------------------------------------------------------


def _crossref_date(item):
    for key in ("published-print", "published-online", "published", "issued", "created"):
        parts = ((item.get(key) or {}).get("date-parts") or [[None]])[0]
        if parts and parts[0]:
            return _date(*(list(parts) + [None, None])[:3])
    return None


def _crossref_author(author):
    if author.get("name"):
        return _clean(author["name"])
    return _clean(f"{author.get('given', '')} {author.get('family', '')}")


def parse_crossref_work(item, source="crossref"):
    titles = item.get("title") or []
    venues = item.get("container-title") or []
    venue = venues[0] if venues else (item.get("event") or {}).get("name", "")
    return FoundWork(
        source=source,
        title=_clean(titles[0] if titles else ""),
        authors=[name for a in item.get("author") or [] if (name := _crossref_author(a))],
        date=_crossref_date(item),
        venue=_clean(venue),
        doi=normalize_doi(item.get("DOI") or ""),
        citations=item.get("is-referenced-by-count"),
        source_id=normalize_doi(item.get("DOI") or ""),
    )


def parse_crossref_list(data, source="crossref"):
    """(FoundWorks, next cursor or None) from one /works list page."""
    if not isinstance(data, dict) or data.get("status") != "ok":
        raise ValueError(f"status {data.get('status') if isinstance(data, dict) else data!r}")
    message = data.get("message") or {}
    items = message.get("items")
    if not isinstance(items, list):
        raise ValueError("no “items” list in the answer")
    works = [w for w in (parse_crossref_work(i, source) for i in items) if w.title]
    return works, (message.get("next-cursor") if items else None)


class Crossref(Source):
    name = "crossref"
    label = "Crossref"

    def _params(self, **params):
        if settings.PAPER_SOURCES_EMAIL:
            params["mailto"] = settings.PAPER_SOURCES_EMAIL
        return params

    def fetch(self, orcid):
        """Works whose Crossref record names this ORCID iD among the authors."""
        params = self._params(filter=f"orcid:{orcid}", rows=100, cursor="*")
        works = []
        for _page in range(MAX_PAGES):
            data = self.client.get_json(f"{settings.CROSSREF_API_URL}/works", params=params)
            try:
                page, cursor = parse_crossref_list(data)
            except MALFORMED as error:
                self.fail(f"unexpected answer ({error})")
            works.extend(page)
            if not cursor or not page:
                return works
            params["cursor"] = cursor
        self.fail(f"more than {MAX_PAGES} pages of works; stopped")

    def work(self, doi):
        """One work by DOI, or None when Crossref does not know it (404)."""
        quoted = urllib.parse.quote(doi, safe="/")
        status, body = self.client.get(
            f"{settings.CROSSREF_API_URL}/works/{quoted}", params=self._params(), allow=(200, 404)
        )
        if status == 404:
            return None
        data = self.client.get_json_body(body)
        if not isinstance(data, dict) or data.get("status") != "ok":
            self.fail(f"unexpected answer for {doi}")
        return parse_crossref_work(data.get("message") or {})


# -- Semantic Scholar ---------------------------------------------------------

S2_FIELDS = "title,authors,venue,year,publicationDate,externalIds,citationCount,journal,abstract"


def parse_semantic_scholar_papers(data, source="semantic-scholar"):
    """(FoundWorks, next offset or None) from one /author/{id}/papers page."""
    if not isinstance(data, dict) or not isinstance(data.get("data"), list):
        raise ValueError("no “data” list in the answer")
    works = []
    for paper in data["data"]:
        if not paper or not paper.get("title"):
            continue
        ids = paper.get("externalIds") or {}
        arxiv_id, version = split_arxiv_id(ids.get("ArXiv") or "")
        venue = paper.get("venue") or (paper.get("journal") or {}).get("name")
        works.append(
            FoundWork(
                source=source,
                title=_clean(paper["title"]),
                authors=[
                    _clean(a.get("name")) for a in paper.get("authors") or [] if a.get("name")
                ],
                date=_iso_date(paper.get("publicationDate")) or _date(paper.get("year")),
                venue=_clean(venue),
                doi=normalize_doi(ids.get("DOI") or ""),
                arxiv_id=arxiv_id,
                arxiv_version=version,
                abstract=_clean(paper.get("abstract")),
                citations=paper.get("citationCount"),
                source_id=paper.get("paperId") or "",
            )
        )
    return works, data.get("next")


class SemanticScholar(Source):
    name = "semantic-scholar"
    label = "Semantic Scholar"

    def __init__(self, **kwargs):
        # The published limit: 1 request per second without a key.
        self.min_interval = 0.0 if settings.SEMANTIC_SCHOLAR_API_KEY else 1.0
        super().__init__(**kwargs)

    def headers(self):
        key = settings.SEMANTIC_SCHOLAR_API_KEY
        return {"x-api-key": key} if key else {}

    def fetch(self, author_id):
        url = f"{settings.SEMANTIC_SCHOLAR_API_URL}/author/{author_id}/papers"
        offset, works = 0, []
        for _page in range(MAX_PAGES):
            params = {"fields": S2_FIELDS, "offset": offset, "limit": 100}
            status, body = self.client.get(url, params=params, allow=(200, 404))
            data = self.client.get_json_body(body)
            if isinstance(data, dict) and "error" in data:
                self.fail(str(data["error"]))
            try:
                page, next_offset = parse_semantic_scholar_papers(data)
            except MALFORMED as error:
                self.fail(f"unexpected answer ({error})")
            works.extend(page)
            if next_offset is None or next_offset <= offset:
                return works
            offset = next_offset
        self.fail(f"more than {MAX_PAGES} pages of papers; stopped")


# -- DBLP -----------------------------------------------------------------------


def parse_dblp_person(root, source="dblp"):
    """FoundWorks from a /pid/{pid}.xml person page."""
    if root.tag != "dblpperson":
        raise ValueError(f"expected <dblpperson>, got <{root.tag}>")
    works = []
    for record in root.findall("r"):
        for entry in record:
            title = _clean(
                "".join(entry.find("title").itertext()) if entry.find("title") is not None else ""
            )
            if not title:
                continue
            doi = arxiv_id = version = url = ""
            for ee in entry.findall("ee"):
                link = (ee.text or "").strip()
                if not doi and "doi.org/10." in link and "ieeecomputersociety" not in link:
                    doi = normalize_doi(link)
                if not arxiv_id:
                    arxiv_id, version = _arxiv_from_url(link)
                url = url or link
            venue = _clean(entry.findtext("journal") or entry.findtext("booktitle"))
            if venue == "CoRR" and not arxiv_id:
                volume = entry.findtext("volume") or ""
                arxiv_id, version = split_arxiv_id(volume.removeprefix("abs/"))
            works.append(
                FoundWork(
                    source=source,
                    title=title.rstrip("."),
                    # DBLP numbers homonyms ("Di Xu 0001"); the number is not part of the name.
                    authors=[
                        re.sub(r"\s+\d{4}$", "", _clean(a.text))
                        for a in entry.findall("author")
                        if a.text
                    ],
                    date=_date(entry.findtext("year")),
                    venue="arXiv" if venue == "CoRR" else venue,
                    doi=doi,
                    arxiv_id=arxiv_id,
                    arxiv_version=version,
                    url=url,
                    source_id=entry.get("key", ""),
                )
            )
    return works


class Dblp(Source):
    name = "dblp"
    label = "DBLP"

    def fetch(self, pid):
        _status, root = self.client.get_xml(f"{settings.DBLP_URL}/pid/{pid}.xml")
        try:
            return parse_dblp_person(root)
        except MALFORMED as error:
            self.fail(f"unexpected answer ({error})")


# -- arXiv ----------------------------------------------------------------------


def _atom_text(element, path):
    found = element.find(path)
    return _clean(found.text) if found is not None else ""


def parse_arxiv_feed(root, source="arxiv"):
    """(FoundWorks, total results) from one Atom page of the arXiv API."""
    if root.tag != f"{ATOM}feed":
        raise ValueError(f"expected an Atom feed, got <{root.tag}>")
    works = []
    for entry in root.findall(f"{ATOM}entry"):
        entry_id = _atom_text(entry, f"{ATOM}id")
        if "/api/errors" in entry_id:
            raise ValueError(_atom_text(entry, f"{ATOM}summary") or "arXiv reported an error")
        arxiv_id, version = _arxiv_from_url(entry_id)
        title = _atom_text(entry, f"{ATOM}title")
        if not arxiv_id or not title:
            continue
        journal = _atom_text(entry, f"{ARXIV}journal_ref")
        works.append(
            FoundWork(
                source=source,
                title=title,
                authors=[
                    name
                    for author in entry.findall(f"{ATOM}author")
                    if (name := _atom_text(author, f"{ATOM}name"))
                ],
                date=_iso_date(_atom_text(entry, f"{ATOM}published")),
                venue=journal or "arXiv",
                doi=normalize_doi(_atom_text(entry, f"{ARXIV}doi")),
                arxiv_id=arxiv_id,
                arxiv_version=version,
                url=f"https://arxiv.org/abs/{arxiv_id}{version}",
                abstract=_atom_text(entry, f"{ATOM}summary"),
                source_id=arxiv_id,
            )
        )
    total = _atom_text(root, f"{OPENSEARCH}totalResults")
    return works, int(total) if total.isdigit() else len(works)


class Arxiv(Source):
    name = "arxiv"
    label = "arXiv"
    min_interval = 3.0  # arXiv's terms: one request every three seconds
    page_size = 100

    def fetch(self, query):
        works, start = [], 0
        for _page in range(MAX_PAGES):
            params = {
                "search_query": query,
                "start": start,
                "max_results": self.page_size,
                "sortBy": "submittedDate",
                "sortOrder": "descending",
            }
            _status, root = self.client.get_xml(
                settings.ARXIV_API_URL, params=params, allow=(200, 400)
            )
            try:
                page, total = parse_arxiv_feed(root)
            except MALFORMED as error:
                self.fail(str(error))
            works.extend(page)
            start += self.page_size
            if not page or start >= total:
                return works
        self.fail(f"more than {MAX_PAGES} pages of results; stopped")


SOURCES = {s.name: s for s in (Orcid, OpenAlex, Dblp, SemanticScholar, Arxiv, Crossref)}
