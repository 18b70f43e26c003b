"""The editor's "Check for new papers": the same sync, run outside the request.

The button starts a thread in the web process and returns at once; the thread
records its progress in a SyncRun row (running, then done or failed with the
summary line), which the inbox page shows. A thread is enough: the work is
network waits, it needs no extra service, and a visitor's request never waits
for it (gunicorn's other threads and workers keep serving). If the process
stops mid-run, the row stays "running" and stops blocking new runs after an
hour (SyncRun.objects.running()).
"""

import threading

from django.db import connection, transaction

from profiles.models import Profile

from .models import SyncRun
from .sync import configured_keys, finish_run, run_sync


class AlreadyRunning(Exception):
    pass


def start(trigger="editor", **sync_options):
    """Start a sync in a thread; returns (run, thread). AlreadyRunning if one runs."""
    with transaction.atomic():
        if SyncRun.objects.select_for_update().running().exists():
            raise AlreadyRunning("A check for new papers is already running.")
        run = SyncRun.objects.create(trigger=trigger)
    thread = threading.Thread(
        target=_run, args=(run.pk, sync_options), name=f"paper-sync-{run.pk}", daemon=True
    )
    thread.start()
    return run, thread


def _run(run_pk, sync_options):
    run = SyncRun.objects.get(pk=run_pk)
    try:
        report = run_sync(configured_keys(Profile.load()), **sync_options)
    except Exception as error:  # noqa: BLE001 (the editor sees why, whatever broke)
        finish_run(run, error=f"The check stopped: {error}")
        raise
    else:
        finish_run(run, report)
    finally:
        connection.close()
