"""The CV as one data structure, built once per request from the database.

The HTML page (/cv/), the PDF (cv.pdf) and JSON Resume (cv.resume) all render
this same structure, so the three can never disagree.
"""

import functools
from dataclasses import dataclass, field

from core.exists import exist
from pagecache.freshness import changed_of
from profiles.models import Profile

from . import sources
from .items import Item, format_partial_date, format_period  # noqa: F401 (re-exported)
from .models import CVSection


@dataclass
class Section:
    kind: str
    heading: str
    body: str = ""
    body_html: str = ""
    papers: str = ""
    items: list = field(default_factory=list)

    @property
    def is_papers(self):
        return self.kind == CVSection.Kind.PAPERS

    @property
    def has_equal_contributors(self):
        # Authors carry their printed marks (issue 12); * is equal contribution.
        return any(
            item.paper and any("*" in a.marks for a in item.paper.authors) for item in self.items
        )


@dataclass
class CV:
    profile: Profile
    sections: list

    @property
    def is_empty(self):
        return not self.sections


def _entry_item(entry):
    return Item(
        title=entry.title,
        organisation=entry.organisation,
        location=entry.location,
        start=entry.start,
        end=entry.end,
        ongoing=entry.ongoing,
        url=entry.url,
        details=entry.details,
        details_html=entry.details_html if entry.details else "",
    )


def build_cv(profile=None):
    """The published CV: sections in the owner's order, empty ones left out."""
    profile = profile if profile is not None else Profile.load()
    sections = []
    for row in CVSection.objects.published().with_entries():
        if row.from_database:
            items = sources.items_for(row)
        else:
            items = [_entry_item(entry) for entry in row.entries.all()]
        if not items and not row.body:
            continue
        sections.append(
            Section(
                kind=row.kind,
                heading=row.heading,
                body=row.body,
                body_html=row.body_html if row.body else "",
                papers=row.papers,
                items=items,
            )
        )
    return CV(profile=profile, sections=sections)


def has_content(request=None):
    """Whether the site has a CV to show (the menu and the sitemap list /cv/ only then).

    One query however large the site, as EXISTS tests: a published section with
    text, or with entries, or of papers, talks or teaching while there are
    such (for papers: of the kind the section shows), or an uploaded PDF.
    Given the request, none while what they read is unchanged (core.exists):
    with no section of papers, an edit of a paper asks nothing.
    """

    def build():
        published = CVSection.objects.published()
        terms = [
            published.exclude(body=""),
            published.exclude(kind__in=CVSection.FROM_DATABASE).filter(entries__isnull=False),
            Profile.objects.exclude(cv=""),
        ]
        for kind in CVSection.FROM_DATABASE:
            choices = CVSection.Papers.values if kind == CVSection.Kind.PAPERS else [None]
            for choice in choices:
                source = sources.content_queryset(CVSection(kind=kind, papers=choice or ""))
                if source is None:
                    continue
                sections = published.filter(kind=kind)
                if choice:
                    sections = sections.filter(papers=choice)
                terms.append((sections, source))
        return terms

    stamp = functools.partial(changed_of, request) if request is not None else None
    return any(exist("cv-has-content", build, stamp))
