"""Talks: where and when the owner spoke, with slides, video and the paper behind it."""

from itertools import groupby

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from markdownx.models import MarkdownxField

from core.links import absolute_url
from core.markup import render_markdown
from core.validators import validate_web_url
from research.metadata import plain_text
from research.models import Publication
from uploads.fields import validate_pdf


class Status(models.TextChoices):
    DRAFT = "draft", "Draft (hidden)"
    PUBLISHED = "published", "Published"


class TalkQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def for_listing(self):
        return self.select_related("publication")

    def by_year(self, today=None):
        """[(heading, talks)]: "Upcoming" (soonest first), then each past year, newest first."""
        today = today or timezone.localdate()
        talks = list(self)
        upcoming = sorted((t for t in talks if t.date >= today), key=lambda t: (t.date, t.pk))
        past = sorted((t for t in talks if t.date < today), key=lambda t: (t.date, t.pk))[::-1]
        groups = [("upcoming", upcoming)] if upcoming else []
        groups += [(str(year), list(items)) for year, items in groupby(past, lambda t: t.date.year)]
        return groups


class Talk(models.Model):
    class Kind(models.TextChoices):
        INVITED = "invited", "Invited talk"
        CONTRIBUTED = "contributed", "Contributed talk"
        POSTER = "poster", "Poster"
        KEYNOTE = "keynote", "Keynote"
        LECTURE = "lecture", "Lecture"

    title = models.CharField(max_length=300)
    event = models.CharField(max_length=300, help_text="e.g. “NeurIPS 2024 Workshop on …”.")
    location = models.CharField(
        max_length=200, blank=True, help_text="City and country, an institution, or “Online”."
    )
    date = models.DateField()
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.INVITED)
    abstract = MarkdownxField(blank=True, help_text="Markdown (optional).")
    slides = models.FileField(
        "slides (PDF)",
        upload_to="slides/",
        blank=True,
        validators=[validate_pdf],
        help_text="Upload the slides, or give a link below.",
    )
    slides_url = models.URLField(
        "slides link",
        max_length=500,
        blank=True,
        validators=[validate_web_url],
        help_text="Used when no slides file is uploaded.",
    )
    video_url = models.URLField(
        "video link", max_length=500, blank=True, validators=[validate_web_url]
    )
    event_url = models.URLField(
        "event page", max_length=500, blank=True, validators=[validate_web_url]
    )
    publication = models.ForeignKey(
        Publication,
        verbose_name="related paper",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="talks",
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PUBLISHED, db_index=True
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = TalkQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["status", "-date"], name="talk_listing")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(title="") & ~Q(event=""), name="talk_has_title_and_event"
            )
        ]

    def __str__(self):
        return self.title

    @property
    def anchor(self):
        return f"talk-{self.pk}"

    @property
    def slides_link(self):
        return self.slides.url if self.slides else self.slides_url

    @property
    def public_paper(self):
        """The related paper, only when visitors may see it."""
        paper = self.publication
        return paper if paper is not None and paper.is_published else None

    @property
    def abstract_html(self):
        return render_markdown(self.abstract)

    @property
    def is_upcoming(self):
        return self.date >= timezone.localdate()

    def json_ld(self, root, performer=""):
        """schema.org Event for this talk (root is "https://host" for absolute links)."""
        data = {
            "@type": "Event",
            "name": self.title,
            "startDate": self.date.isoformat(),
            "eventStatus": "https://schema.org/EventScheduled",
            "superEvent": {"@type": "Event", "name": self.event},
            "url": f"{absolute_url(reverse('talks:index'), root)}#{self.anchor}",
        }
        if self.event_url:
            data["superEvent"]["url"] = self.event_url
        if self.location:
            online = self.location.strip().lower() == "online"
            data["location"] = (
                {"@type": "VirtualLocation", "name": self.location}
                if online
                else {"@type": "Place", "name": self.location, "address": self.location}
            )
            data["eventAttendanceMode"] = (
                "https://schema.org/OnlineEventAttendanceMode"
                if online
                else "https://schema.org/OfflineEventAttendanceMode"
            )
        if performer:
            data["performer"] = {"@type": "Person", "name": performer}
        if self.abstract:
            data["description"] = plain_text(self.abstract)
        if self.public_paper:
            data["about"] = {
                "@type": "ScholarlyArticle",
                "name": self.public_paper.title,
                "url": absolute_url(self.public_paper.get_absolute_url(), root),
            }
        media = [link for link in (self.slides_link, self.video_url) if link]
        if media:
            data["workFeatured"] = [
                {"@type": "CreativeWork", "url": absolute_url(link, root)} for link in media
            ]
        return data
