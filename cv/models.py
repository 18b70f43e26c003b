"""The CV: ordered sections the owner controls, each with dated entries.

Sections of the kinds "papers", "talks" and "teaching" hold no entries of their
own: they show what those apps already store (cv.sources), so nothing is typed
twice. Everything the /cv/, /cv.pdf and /cv.json pages show is built from
these rows by cv.document.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from markdownx.models import MarkdownxField

from core.markup import render_markdown
from core.validators import validate_web_url

# JSON Resume's date format: a year, a year and month, or a full date.
PARTIAL_DATE = re.compile(r"^[1-2][0-9]{3}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$")


def validate_partial_date(value):
    if value and not PARTIAL_DATE.match(value):
        raise ValidationError(
            _("Enter a year (2021), a year and month (2021-09) or a date (2021-09-30)."),
            code="invalid_date",
        )


class CVSectionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=CVSection.Status.PUBLISHED)

    def with_entries(self):
        """Sections in order with their entries in order, in one extra query."""
        return self.prefetch_related(
            models.Prefetch("entries", queryset=CVEntry.objects.order_by("position", "pk"))
        )


class CVSection(models.Model):
    class Kind(models.TextChoices):
        EDUCATION = "education", _("Education")
        POSITIONS = "positions", _("Positions")
        AWARDS = "awards", _("Awards and honours")
        GRANTS = "grants", _("Grants")
        SERVICE = "service", _("Service")
        SUPERVISION = "supervision", _("Supervision")
        SKILLS = "skills", _("Skills")
        LANGUAGES = "languages", _("Languages")
        TEXT = "text", _("Free text (Markdown)")
        PAPERS = "papers", _("Papers (from Research)")
        TALKS = "talks", _("Talks (from Talks)")
        TEACHING = "teaching", _("Teaching (from Teaching)")

    class Papers(models.TextChoices):
        ALL = "all", _("All published papers")
        HIGHLIGHTED = "highlighted", _("Highlighted papers only")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft (hidden)")
        PUBLISHED = "published", _("Published")

    # Kinds whose content comes from other apps, not from entries typed here.
    FROM_DATABASE = {Kind.PAPERS, Kind.TALKS, Kind.TEACHING}

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.POSITIONS)
    title = models.CharField(
        _("heading"),
        max_length=200,
        blank=True,
        help_text=_("Shown as the section's heading; the kind's name when left empty."),
    )
    body = MarkdownxField(
        _("text"),
        blank=True,
        help_text=_(
            "Markdown, shown under the heading. For a free-text section this is the section."
        ),
    )
    papers = models.CharField(
        _("which papers"),
        max_length=20,
        choices=Papers.choices,
        default=Papers.ALL,
        help_text=_("For a papers section: every published paper, or the highlighted ones."),
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PUBLISHED, db_index=True
    )
    position = models.PositiveIntegerField(default=0, db_index=True)
    updated = models.DateTimeField(auto_now=True)

    objects = CVSectionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("CV section")
        verbose_name_plural = _("CV sections")

    def __str__(self):
        return self.heading

    @property
    def heading(self):
        if self.title:
            return self.title
        # The kind's name without the "(from …)" hint the editor sees.
        return str(self.get_kind_display()).split(" (")[0]

    @property
    def body_html(self):
        return render_markdown(self.body)

    @property
    def from_database(self):
        return self.kind in self.FROM_DATABASE


class CVEntry(models.Model):
    """One dated line of a section: a degree, a position, an award, a skill, ..."""

    section = models.ForeignKey(CVSection, on_delete=models.CASCADE, related_name="entries")
    title = models.CharField(
        max_length=300,
        help_text=_("The degree, position, award, grant, role, skill or language."),
    )
    organisation = models.CharField(
        _("organisation"),
        max_length=300,
        blank=True,
        help_text=_(
            "Institution, employer, awarding body or funder; for a language, how well you "
            "speak it; for a skill, its level."
        ),
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    start = models.CharField(
        _("from"),
        max_length=10,
        blank=True,
        validators=[validate_partial_date],
        help_text=_("2019, 2019-09 or 2019-09-30. For an award, its date."),
    )
    end = models.CharField(
        _("until"),
        max_length=10,
        blank=True,
        validators=[validate_partial_date],
        help_text=_("Leave empty for a single date."),
    )
    ongoing = models.BooleanField(_("ongoing"), default=False, help_text=_("Shown as “present”."))
    url = models.URLField(_("link"), max_length=500, blank=True, validators=[validate_web_url])
    details = MarkdownxField(
        _("details"),
        blank=True,
        help_text=_("Markdown. For a skill, a comma-separated list of keywords."),
    )
    position = models.PositiveIntegerField(default=0, db_index=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("entry")
        verbose_name_plural = _("entries")

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.start and self.end and PARTIAL_DATE.match(self.start):
            # Compare as far as both are given: 2019-09 to 2019 is fine, 2020 to 2019 is not.
            n = min(len(self.start), len(self.end))
            if self.end[:n] < self.start[:n]:
                raise ValidationError({"end": _("The end comes before the start.")})
        if self.end and not self.start:
            raise ValidationError({"start": _("Enter when it started.")})

    @property
    def details_html(self):
        return render_markdown(self.details)
