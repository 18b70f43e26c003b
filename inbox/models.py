"""The paper inbox's data: suggestions, dismissed works, citation counts, sync runs.

A Suggestion is one work that a sync found: either new to the site, or an update
to a paper that is (with a field-by-field diff). Accepting turns it into a paper
(inbox/accepting.py); dismissing stores its identity keys as DismissedWork rows,
which every later sync skips, whichever source reports the work.
"""

import datetime

from django.db import models
from django.utils import timezone

from research.models import Publication


class SuggestionQuerySet(models.QuerySet):
    def waiting(self):
        return self.filter(status=Suggestion.Status.WAITING)


class Suggestion(models.Model):
    class Kind(models.TextChoices):
        NEW = "new", "New work"
        UPDATE = "update", "Update"

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting"
        ACCEPTED = "accepted", "Accepted"
        DISMISSED = "dismissed", "Dismissed"

    # Fields an update may change, with how they are shown in the diff.
    UPDATABLE_FIELDS = {"doi": "DOI", "venue": "venue", "url": "primary link"}

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.NEW)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.WAITING, db_index=True
    )
    title = models.CharField(max_length=300)
    authors = models.JSONField(default=list, blank=True, help_text="Names in order.")
    venue = models.CharField(max_length=300, blank=True)
    date = models.DateField(null=True, blank=True)
    doi = models.CharField("DOI", max_length=200, blank=True)
    arxiv_id = models.CharField("arXiv ID", max_length=40, blank=True)
    url = models.CharField("link", max_length=500, blank=True)
    abstract = models.TextField(blank=True)
    sources = models.JSONField(default=list, help_text="The sources that reported this work.")
    identity = models.JSONField(default=list, help_text="doi:, arxiv: and title: keys.")
    publication = models.ForeignKey(
        Publication,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suggestions",
        help_text="The paper this updates, or the paper accepting it created.",
    )
    changes = models.JSONField(
        default=dict, blank=True, help_text="For updates: {field: [on the site, suggested]}."
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["status", "-date", "title", "pk"]

    def __str__(self):
        return self.title

    @property
    def update_key(self):
        """The identity of an update: the paper and exactly the values it proposes."""
        proposed = ",".join(f"{k}={v[1]}" for k, v in sorted(self.changes.items()))
        return f"update:{self.publication_id}:{proposed}"

    @property
    def dismiss_keys(self):
        return [self.update_key] if self.kind == self.Kind.UPDATE else list(self.identity)


class DismissedWork(models.Model):
    """A work (or one proposed update) the owner does not want suggested again."""

    key = models.CharField(max_length=500, unique=True)
    title = models.CharField(max_length=300, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "dismissed work"

    def __str__(self):
        return self.title or self.key


class CitationCount(models.Model):
    """How often one source says a paper is cited, and when it said so."""

    class Source(models.TextChoices):
        OPENALEX = "openalex", "OpenAlex"
        SEMANTIC_SCHOLAR = "semantic-scholar", "Semantic Scholar"
        CROSSREF = "crossref", "Crossref"

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="citation_counts"
    )
    source = models.CharField(max_length=20, choices=Source.choices)
    count = models.PositiveIntegerField()
    fetched = models.DateField(default=datetime.date.today)

    class Meta:
        ordering = ["publication", "source"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "source"], name="one_count_per_source")
        ]

    def __str__(self):
        return f"{self.count} · {self.get_source_display()}, {self.fetched.isoformat()}"


class SourceStatus(models.Model):
    """The last success and the last failure of one source, for the editor."""

    source = models.CharField(max_length=20, unique=True)
    last_success = models.DateTimeField(null=True, blank=True)
    last_failure = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["source"]
        verbose_name_plural = "source statuses"

    def __str__(self):
        return self.source

    @property
    def failing(self):
        return self.last_failure is not None and (
            self.last_success is None or self.last_failure > self.last_success
        )

    @classmethod
    def record(cls, source, error=None):
        status, _ = cls.objects.get_or_create(source=source)
        now = timezone.now()
        if error is None:
            status.last_success = now
        else:
            status.last_failure, status.last_error = now, str(error)
        status.save()


class SyncRunQuerySet(models.QuerySet):
    def running(self):
        # A run whose process died never finishes: after an hour it no longer blocks.
        recent = timezone.now() - datetime.timedelta(hours=1)
        return self.filter(state=SyncRun.State.RUNNING, started__gte=recent)


class SyncRun(models.Model):
    """One run of the sync, from the command or the editor's button."""

    class State(models.TextChoices):
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    started = models.DateTimeField(default=timezone.now)
    finished = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.RUNNING)
    trigger = models.CharField(max_length=20, default="command")
    summary = models.TextField(blank=True)

    objects = SyncRunQuerySet.as_manager()

    class Meta:
        ordering = ["-started", "-pk"]
        get_latest_by = "started"

    def __str__(self):
        return f"{self.started:%Y-%m-%d %H:%M} {self.get_state_display()}"
