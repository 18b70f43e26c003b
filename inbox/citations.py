"""Which citation count a page shows, and the owner's totals (citations, h-index).

The count shown is the owner's preferred source when it has one for the paper,
otherwise the next source that has (OpenAlex, Semantic Scholar, Crossref).
counts_for() loads the counts of all the papers on a page in one query, and
only when the owner shows them, so pages with counts switched off cost nothing.
"""

from collections import defaultdict
from dataclasses import dataclass

from .models import CitationCount

ORDER = [s.value for s in CitationCount.Source]


def preferred(counts, source):
    """The CitationCount to show from a paper's counts (a prefetched list), or None."""
    by_source = {c.source: c for c in counts}
    for name in [source, *ORDER]:
        if name in by_source:
            return by_source[name]
    return None


def h_index(numbers):
    numbers = sorted(numbers, reverse=True)
    return sum(1 for rank, n in enumerate(numbers, start=1) if n >= rank)


@dataclass
class Totals:
    citations: int
    h_index: int
    papers: int


class CountCache:
    """Counts by paper for one request: one query for every paper the page lists."""

    def __init__(self):
        self.by_paper = defaultdict(list)
        self.loaded = set()

    def get(self, paper, neighbours=()):
        if paper.pk not in self.loaded:
            wanted = {paper.pk} | {p.pk for p in neighbours if p.pk not in self.loaded}
            for count in CitationCount.objects.filter(publication_id__in=wanted):
                self.by_paper[count.publication_id].append(count)
            self.loaded |= wanted
        return self.by_paper[paper.pk]


def counts_for(request, paper, neighbours=()):
    """The paper's CitationCounts, loaded with its neighbours' (the page's other papers)."""
    cache = getattr(request, "_citation_counts", None)
    if cache is None:
        cache = CountCache()
        if request is not None:
            request._citation_counts = cache
    return cache.get(paper, neighbours)


def totals(request, papers, source):
    """Totals over these papers, or None if none has a count."""
    papers = list(papers)
    shown = [c for paper in papers if (c := preferred(counts_for(request, paper, papers), source))]
    if not shown:
        return None
    numbers = [c.count for c in shown]
    return Totals(citations=sum(numbers), h_index=h_index(numbers), papers=len(shown))
