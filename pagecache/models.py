from django.db import models


class ContentVersion(models.Model):
    """When the public site, or one content model, last changed: one row each.

    The row with an empty `model` is the site-wide stamp (page cache keys, ETags,
    Last-Modified); the others are named by a content model's label
    ("research.Publication"), so what shows only some models (the profile, the
    menu) can be kept until those change. Kept in the database, not a
    process-local cache, so every server process sees the same values;
    pagecache.freshness bumps them from model signals.
    """

    # The value of `model` on the site-wide row.
    SITE = ""

    model = models.CharField(max_length=100, unique=True, blank=True, default=SITE)
    changed = models.DateTimeField()

    def __str__(self):
        return f"{self.model or 'site'}: {self.changed.isoformat()}"
