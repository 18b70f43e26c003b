"""One line of the CV as every source gives it (typed entries, papers, talks,
teaching), and how its dates read."""

import datetime
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _


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
