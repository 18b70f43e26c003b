from django.db import models


class ContentVersion(models.Model):
    """When anything shown on the public site last changed (a single row).

    Kept in the database, not a process-local cache, so every server process
    sees the same value; pagecache.freshness bumps it from model signals.
    """

    SINGLETON_PK = 1

    changed = models.DateTimeField()

    def __str__(self):
        return self.changed.isoformat()
