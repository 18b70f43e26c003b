"""Which citation count a page shows, and the owner's totals (citations, h-index).

The count shown is the owner's preferred source when it has one for the paper,
otherwise the next source that has (OpenAlex, Semantic Scholar, Crossref).
"""

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


def totals(papers, source):
    """Totals over these papers (with citation_counts prefetched), or None if none counted."""
    shown = [c for paper in papers if (c := preferred(paper.citation_counts.all(), source))]
    if not shown:
        return None
    numbers = [c.count for c in shown]
    return Totals(citations=sum(numbers), h_index=h_index(numbers), papers=len(shown))
