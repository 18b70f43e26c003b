"""Compile the site's translations (locale/*/LC_MESSAGES/*.po -> .mo) in pure Python.

Django's compilemessages needs GNU gettext's msgfmt; polib does the same job
without it, so `make messages` works on any machine. The .mo files are
committed, so installing and running the site needs neither.
"""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compile every .po file under LOCALE_PATHS into its .mo file."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Change nothing; exit 1 if a .mo file is missing or older than its .po.",
        )

    def handle(self, *args, check=False, **options):
        stale = []
        for root in settings.LOCALE_PATHS:
            for po_path in sorted(Path(root).glob("*/LC_MESSAGES/*.po")):
                mo_path = po_path.with_suffix(".mo")
                try:
                    catalog = polib.pofile(str(po_path))
                except (OSError, ValueError) as error:
                    raise CommandError(f"{po_path}: {error}") from None
                if check:
                    if not mo_path.exists() or mo_path.read_bytes() != catalog.to_binary():
                        stale.append(str(po_path))
                    continue
                catalog.save_as_mofile(str(mo_path))
                self.stdout.write(f"{mo_path} ({catalog.percent_translated()}% translated)")
        if stale:
            raise CommandError("Out of date, run `make messages`: " + ", ".join(stale))
