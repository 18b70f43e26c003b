"""The CV as one data structure, built once per request from the database.

The HTML page (/cv/), the PDF (cv.pdf) and JSON Resume (cv.resume) all render
this same structure, so the three can never disagree.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import formats
from django.utils.translation import gettext as _

from profiles.models import Profile

from . import sources
from .models import CVSection


def _parse(value):
    """(date, precision) for "2019", "2019-09" or "2019-09-30"; (None, None) if empty."""
    if not value:
        return None, None
    parts = [int(p) for p in value.split("-")]
    return datetime.date(parts[0], *(parts[1:] + [1, 1])[:2]), len(parts)


def format_partial_date(value):
    """A partial ISO date as a reader sees it, with month names in the site's language."""
    day, precision = _parse(value)
    if day is None:
        return ""
    if precision == 1:
        return str(day.year)
    # Short month names keep the dates column narrow ("Sep 2019", German "Sep 2019").
    if precision == 2:
        return formats.date_format(day, "M Y")
    return formats.date_format(day, "j M Y")


def format_period(start, end="", ongoing=False):
    """ "2019 – 2023", "September 2019 – present", or one date."""
    first = format_partial_date(start)
    last = _("present") if ongoing else format_partial_date(end)
    if first and last and first != last:
        return f"{first} – {last}"
    return first or last


@dataclass
class Item:
    title: str
    organisation: str = ""
    location: str = ""
    start: str = ""
    end: str = ""
    ongoing: bool = False
    url: str = ""
    details: str = ""  # the Markdown source, for JSON Resume's plain-text fields
    details_html: str = ""  # sanitized HTML (core markup)
    paper: object = None  # the Publication, for sections of papers
    period_text: str = ""  # when the source words it itself ("Fall 2023")

    @property
    def period(self):
        return self.period_text or format_period(self.start, self.end, self.ongoing)


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
        return any(item.paper and item.paper.has_equal_contributors for item in self.items)


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
