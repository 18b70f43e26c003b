"""One sync: ask the sources, merge what they say, file suggestions, store citation counts.

run_sync() is what `manage.py sync_papers` and the editor's "Check for new
papers" button both call. It first reads every selected source completely
(network only, nothing saved), then merges the works (same DOI, arXiv ID or
normalised title = same work), then saves all suggestions and citation counts
in one transaction. A source that fails is reported by name with its reason;
it contributes nothing, the others still count, and its last citation counts
are kept.
"""

import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from research.models import Publication, comparable

from .http import SourceError
from .identity import identity_keys, normalize_doi, split_arxiv_id
from .models import CitationCount, DismissedWork, SourceStatus, Suggestion, SyncRun
from .sources import SOURCES

logger = logging.getLogger(__name__)

# Whose word wins for a field when sources disagree: publishers' records first.
PRIORITY = ["crossref", "openalex", "dblp", "semantic-scholar", "orcid", "arxiv"]
ABSTRACT_PRIORITY = ["arxiv", "semantic-scholar", "openalex", "crossref", "dblp", "orcid"]
CITATION_SOURCES = {s.value for s in CitationCount.Source}
ARXIV_DOI_PREFIX = "10.48550/arxiv."
PREPRINT_VENUES = {"arxiv", "corr", "arxiv org", "arxiv e prints", "biorxiv", "medrxiv", "ssrn"}

# Which profile field each source reads its key from.
PROFILE_KEYS = {
    "orcid": "orcid",
    "openalex": "openalex_id",
    "dblp": "dblp_pid",
    "semantic-scholar": "semantic_scholar_id",
    "arxiv": "arxiv_query",
    "crossref": "orcid",
}


def is_preprint_venue(venue):
    key = comparable(venue)
    return not key or key in PREPRINT_VENUES or key.startswith("arxiv")


@dataclass
class MergedWork:
    """Everything the sources said about one work."""

    works: list = field(default_factory=list)
    keys: set = field(default_factory=set)

    def _by(self, order):
        return sorted(self.works, key=lambda w: order.index(w.source) if w.source in order else 99)

    def _first(self, name, order=PRIORITY, accept=bool):
        for work in self._by(order):
            if accept(getattr(work, name)):
                return getattr(work, name)
        return ""

    @property
    def sources(self):
        return sorted({w.source for w in self.works}, key=PRIORITY.index)

    @property
    def title(self):
        return self._first("title")

    @property
    def authors(self):
        longest = max((len(w.authors) for w in self.works), default=0)
        return self._first("authors", accept=lambda a: len(a) == longest and a) or []

    @property
    def venue(self):
        return self._first("venue", accept=lambda v: v and not is_preprint_venue(v)) or self._first(
            "venue"
        )

    @property
    def date(self):
        return self._first("date") or None

    @property
    def doi(self):
        return self._first("doi")

    @property
    def arxiv_id(self):
        return self._first("arxiv_id")

    @property
    def arxiv_version(self):
        versions = [w.arxiv_version for w in self.works if w.arxiv_version]
        return max(versions, key=lambda v: int(v[1:])) if versions else ""

    @property
    def url(self):
        if self.doi:
            return f"https://doi.org/{self.doi}"
        if self.arxiv_id:
            return f"https://arxiv.org/abs/{self.arxiv_id}{self.arxiv_version}"
        return self._first("url", accept=lambda u: u.startswith(("http://", "https://")))

    @property
    def abstract(self):
        return self._first("abstract", order=ABSTRACT_PRIORITY)

    @property
    def citations(self):
        """{source: count}; a source listing the work twice (preprint, article) gives its larger."""
        counts = {}
        for w in self.works:
            if w.source in CITATION_SOURCES and isinstance(w.citations, int) and w.citations >= 0:
                counts[w.source] = max(counts.get(w.source, 0), w.citations)
        return counts


def _tidy(work):
    # arXiv's own DOIs (10.48550/arXiv.…) name the preprint: they are its arXiv ID.
    if work.doi.startswith(ARXIV_DOI_PREFIX):
        arxiv_id, version = split_arxiv_id(work.doi[len(ARXIV_DOI_PREFIX) :])
        work.arxiv_id = work.arxiv_id or arxiv_id
        work.arxiv_version = work.arxiv_version or version
        work.doi = ""
    work.doi = normalize_doi(work.doi)
    return work


def merge(works):
    """MergedWorks from FoundWorks of any sources: any shared key joins two works."""
    groups = []
    owner_of = {}
    for work in map(_tidy, works):
        keys = identity_keys(doi=work.doi, arxiv_id=work.arxiv_id, title=work.title)
        if not keys:
            continue
        joined = {id(owner_of[k]): owner_of[k] for k in keys if k in owner_of}
        if joined:
            group, *others = joined.values()
            for other in others:
                group.works += other.works
                group.keys |= other.keys
                groups.remove(other)
        else:
            group = MergedWork()
            groups.append(group)
        group.works.append(work)
        group.keys |= keys
        for key in group.keys:
            owner_of[key] = group
    return groups


def _paper_keys(paper):
    return identity_keys(doi=paper.doi, arxiv_id=paper.arxiv_id, title=paper.title)


class PaperIndex:
    """Site papers by DOI, arXiv ID and title, like Publication.objects.matching()."""

    def __init__(self, papers):
        self.by_key = {}
        for paper in papers:
            for key in _paper_keys(paper):
                self.by_key.setdefault(key, paper)

    def find(self, keys):
        for prefix in ("doi:", "arxiv:", "title:"):
            for key in sorted(k for k in keys if k.startswith(prefix)):
                if key in self.by_key:
                    return self.by_key[key]
        return None


def _arxiv_version_of(url):
    _id, version = split_arxiv_id(url)
    return int(version[1:]) if version else 0


def changes_for(paper, work):
    """{field: [on the site, suggested]} for what the sources know better."""
    changes = {}
    if work.doi and not paper.doi:
        changes["doi"] = [paper.doi, work.doi]
    if (
        work.venue
        and not is_preprint_venue(work.venue)
        and is_preprint_venue(paper.venue)
        and comparable(work.venue) != comparable(paper.venue)
    ):
        changes["venue"] = [paper.venue, work.venue]
    if not paper.url and work.url:
        changes["url"] = [paper.url, work.url]
    elif (
        work.arxiv_id
        and work.arxiv_version
        and split_arxiv_id(paper.url)[0].lower() == work.arxiv_id.lower()
        and _arxiv_version_of(paper.url)
        and int(work.arxiv_version[1:]) > _arxiv_version_of(paper.url)
    ):
        changes["url"] = [paper.url, f"https://arxiv.org/abs/{work.arxiv_id}{work.arxiv_version}"]
    return changes


def _fill(suggestion, work):
    suggestion.title = work.title[:300]
    suggestion.authors = work.authors
    suggestion.venue = work.venue[:300]
    suggestion.date = work.date
    suggestion.doi = work.doi[:200]
    suggestion.arxiv_id = (work.arxiv_id + work.arxiv_version)[:40]
    suggestion.url = work.url[:500]
    suggestion.abstract = work.abstract
    suggestion.sources = work.sources
    suggestion.identity = sorted(work.keys)


@dataclass
class SourceResult:
    new: int = 0
    updates: int = 0
    works: int = 0
    error: str = ""
    skipped: str = ""


@dataclass
class SyncReport:
    sources: dict = field(default_factory=dict)  # name -> SourceResult
    planned: list = field(default_factory=list)  # (kind, title) of new suggestions
    citations_saved: int = 0

    @property
    def new(self):
        return sum(1 for kind, _ in self.planned if kind == Suggestion.Kind.NEW)

    @property
    def updates(self):
        return sum(1 for kind, _ in self.planned if kind == Suggestion.Kind.UPDATE)

    @property
    def failed(self):
        return {name: r.error for name, r in self.sources.items() if r.error}

    def summary(self):
        """The one line the command ends with and the editor shows."""
        parts = [
            f"{name} {r.new} new, {r.updates} update{'s' if r.updates != 1 else ''}"
            for name, r in self.sources.items()
            if not r.error and not r.skipped
        ]
        line = (
            f"{self.new} new work{'s' if self.new != 1 else ''} and {self.updates} "
            f"update{'s' if self.updates != 1 else ''} found"
        )
        line += f" ({'; '.join(parts)})" if parts else ""
        line += "."
        if self.failed:
            line += " Failed: " + "; ".join(f"{n} ({e})" for n, e in self.failed.items()) + "."
        else:
            line += " No source failed."
        skipped = {n: r.skipped for n, r in self.sources.items() if r.skipped}
        if skipped:
            line += " Not asked: " + "; ".join(f"{n} ({why})" for n, why in skipped.items()) + "."
        return line


def configured_keys(profile, overrides=None):
    """{source: key} from the profile, with the command's flags taking precedence."""
    keys = {name: getattr(profile, attr, "") or "" for name, attr in PROFILE_KEYS.items()}
    for name, value in (overrides or {}).items():
        if value:
            keys[name] = value
            if name == "orcid":
                keys["crossref"] = value
    return keys


def run_sync(
    keys,
    *,
    sources=None,
    dry_run=False,
    transport=None,
    sleep=None,
    clock=None,
    citations=True,
):
    """Ask the sources, file suggestions, refresh citation counts; return a SyncReport."""
    names = [n for n in SOURCES if sources is None or n in sources]
    report = SyncReport()
    found = []
    crossref = None
    for name in names:
        result = report.sources[name] = SourceResult()
        key = keys.get(name, "")
        source = SOURCES[name](transport=transport, sleep=sleep, clock=clock)
        try:
            if name == "crossref":
                crossref = source  # also asked for the citation counts of papers with a DOI
            if not key:
                result.skipped = "no identifier on the profile"
                continue
            works = source.fetch(key)
        except SourceError as error:
            result.error = error.reason
            logger.warning("paper sync: %s", error)
            continue
        except Exception as error:  # noqa: BLE001 (one source's bug must not stop the others)
            result.error = f"unexpected error ({type(error).__name__}: {error})"
            logger.exception("paper sync: %s failed", name)
            continue
        finally:
            if source is not crossref:
                source.close()
        result.works = len(works)
        found.extend(works)

    merged = merge(found)
    counts = _collect_citations(merged, report, crossref, citations)
    if crossref is not None:
        crossref.close()
        if report.sources["crossref"].skipped and not report.sources["crossref"].error:
            report.sources["crossref"].skipped = ""  # asked for citation counts only

    with transaction.atomic():
        file_suggestions(merged, report, dry_run)
        if not dry_run:
            report.citations_saved = _save_counts(counts)
            for name, result in report.sources.items():
                if result.skipped:
                    continue
                SourceStatus.record(name, result.error or None)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _collect_citations(merged, report, crossref, wanted):
    """{(paper pk, source): count} for papers on the site."""
    if not wanted:
        return {}
    index = PaperIndex(Publication.objects.all())
    counts = {}
    for work in merged:
        paper = index.find(work.keys)
        if paper is None:
            continue
        for source, count in work.citations.items():
            if not report.sources.get(source) or report.sources[source].error:
                continue
            counts[(paper.pk, source)] = count
    if crossref is not None and not report.sources["crossref"].error:
        try:
            for paper in Publication.objects.exclude(doi="").only("pk", "doi"):
                doi = normalize_doi(paper.doi)
                if not doi or (paper.pk, "crossref") in counts:
                    continue
                work = crossref.work(doi)
                if work is not None and isinstance(work.citations, int):
                    counts[(paper.pk, "crossref")] = work.citations
        except SourceError as error:
            report.sources["crossref"].error = error.reason
            counts = {k: v for k, v in counts.items() if k[1] != "crossref"}
    return counts


def _save_counts(counts):
    today = timezone.localdate()
    for (paper_pk, source), count in counts.items():
        CitationCount.objects.update_or_create(
            publication_id=paper_pk, source=source, defaults={"count": count, "fetched": today}
        )
    return len(counts)


def file_suggestions(merged, report, dry_run):
    """Save a suggestion for each merged work that is new or would update a paper."""
    dismissed = set(DismissedWork.objects.values_list("key", flat=True))
    index = PaperIndex(Publication.objects.all())
    waiting_new = {}
    waiting_updates = {}
    for suggestion in Suggestion.objects.waiting():
        if suggestion.kind == Suggestion.Kind.NEW:
            for key in suggestion.identity:
                waiting_new.setdefault(key, suggestion)
        else:
            waiting_updates[suggestion.publication_id] = suggestion

    for work in merged:
        if work.keys & dismissed:
            continue
        paper = index.find(work.keys)
        if paper is not None:
            changes = changes_for(paper, work)
            if not changes:
                continue
            suggestion = waiting_updates.get(paper.pk) or Suggestion(
                kind=Suggestion.Kind.UPDATE, publication=paper
            )
            is_new = suggestion.pk is None or suggestion.changes != changes
            suggestion.changes = changes
            if suggestion.update_key in dismissed:
                continue
            _fill(suggestion, work)
        else:
            suggestion = next(
                (waiting_new[k] for k in sorted(work.keys) if k in waiting_new), None
            ) or Suggestion(kind=Suggestion.Kind.NEW)
            is_new = suggestion.pk is None
            _fill(suggestion, work)
        if is_new:
            report.planned.append((suggestion.kind, suggestion.title))
            for name in work.sources:
                result = report.sources[name]
                if suggestion.kind == Suggestion.Kind.NEW:
                    result.new += 1
                else:
                    result.updates += 1
        if not dry_run:
            suggestion.save()
            if suggestion.kind == Suggestion.Kind.NEW:
                for key in suggestion.identity:
                    waiting_new.setdefault(key, suggestion)


def start_run(trigger):
    return SyncRun.objects.create(trigger=trigger)


def finish_run(run, report=None, error=None):
    run.finished = timezone.now()
    run.state = SyncRun.State.FAILED if error else SyncRun.State.DONE
    run.summary = str(error) if error else report.summary()
    run.save()
