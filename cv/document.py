"""The CV as one data structure, built once per request from the database.

The HTML page (/cv/), the PDF (cv.pdf) and JSON Resume (cv.resume) all render
this same structure, so the three can never disagree.
"""

from dataclasses import dataclass, field

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


def has_content():
    """Whether the site has a CV to show (the menu links /cv/ only then).

    A few EXISTS queries, however large the site: a published section with
    text or entries, or one whose papers, talks or teaching exist, or an
    uploaded PDF.
    """
    published = CVSection.objects.published()
    typed = published.exclude(kind__in=CVSection.FROM_DATABASE)
    if published.exclude(body="").exists() or typed.filter(entries__isnull=False).exists():
        return True
    for section in published.filter(kind__in=CVSection.FROM_DATABASE):
        if sources.has_items(section):
            return True
    return bool(Profile.load().cv)
