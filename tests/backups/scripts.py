"""Processes the backup and concurrency tests run against a real SQLite file.

Run as `python -m tests.backups.scripts COMMAND ARGS` from the project folder,
with DATABASE_URL / MEDIA_ROOT pointing at a test installation.
"""

import json
import sys
import threading
import time
from pathlib import Path


def setup():
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_project.settings")
    django.setup()


def add_media():
    """A photo, a CV and a thumbnail, uploaded the way the admin stores them."""
    from django.core.files.base import ContentFile

    from profiles.models import Profile
    from research.models import Publication
    from tests.security.helpers import image_bytes, jpeg_with_orientation_and_gps, pdf_bytes

    profile = Profile.load()
    profile.photo = ContentFile(jpeg_with_orientation_and_gps((600, 900)), name="me.jpg")
    profile.cv = ContentFile(pdf_bytes(), name="cv.pdf")
    profile.save()
    paper = Publication.objects.first()
    paper.thumbnail = ContentFile(image_bytes("PNG", (640, 320)), name="fig.png")
    paper.save()


def write_papers(stop_file, progress_file):
    """Save papers (each with two authors, in one transaction) until told to stop."""
    from django.db import transaction

    from research.models import Authorship, Person, Publication

    ada, _ = Person.objects.get_or_create(name="Writer Ada")
    bob, _ = Person.objects.get_or_create(name="Writer Bob")
    done = 0
    while not Path(stop_file).exists():
        with transaction.atomic():
            paper = Publication.objects.create(title=f"Concurrent {done}", date="2024-01-01")
            Authorship.objects.create(publication=paper, person=ada, position=0)
            # A pause inside the transaction, so a snapshot taken mid-way would show it.
            time.sleep(0.002)
            Authorship.objects.create(publication=paper, person=bob, position=1)
        done += 1
        Path(progress_file).write_text(str(done))


def concurrent_writers(writers=4, saves=25, readers=3):
    """Threads saving papers while other threads read pages; report every error."""
    from django.db import close_old_connections, connection, transaction
    from django.test import Client
    from django.test.utils import setup_test_environment

    from research.models import Authorship, Person, Publication

    setup_test_environment()
    errors, statuses = [], []
    person = Person.objects.create(name="Thread Author")
    shared = Publication.objects.create(title="Shared", date="2024-01-01")
    finished = threading.Event()

    def write(n):
        try:
            for i in range(saves):
                with transaction.atomic():
                    paper = Publication.objects.create(
                        title=f"Thread {n} paper {i}", date="2024-02-01", highlighted=True
                    )
                    Authorship.objects.create(publication=paper, person=person)
                # And everyone edits the same paper too.
                fresh = Publication.objects.get(pk=shared.pk)
                fresh.venue = f"edited by {n} ({i})"
                fresh.save()
        except Exception as exc:  # noqa: BLE001 (reported to the test)
            errors.append(f"writer {n}: {exc!r}")
        finally:
            connection.close()

    def read(n):
        client = Client()
        try:
            while not finished.is_set():
                for path in ("/", shared.get_absolute_url()):
                    statuses.append(client.get(path).status_code)
        except Exception as exc:  # noqa: BLE001 (reported to the test)
            errors.append(f"reader {n}: {exc!r}")
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    reading = [threading.Thread(target=read, args=(n,)) for n in range(readers)]
    for thread in reading + threads:
        thread.start()
    for thread in threads:
        thread.join()
    finished.set()
    for thread in reading:
        thread.join()
    print(
        json.dumps(
            {
                "errors": errors,
                "papers": Publication.objects.filter(title__startswith="Thread ").count(),
                "statuses": sorted(set(statuses)),
                "reads": len(statuses),
            }
        )
    )


if __name__ == "__main__":
    setup()
    command, *args = sys.argv[1:]
    {"add-media": add_media, "write-papers": write_papers, "concurrent": concurrent_writers}[
        command
    ](*args)
