from pathlib import Path

from django.conf import settings

from backups.archive import BackupError, create_backup
from core.commands import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Write the database and all uploaded files into one timestamped archive "
        "(safe while the site is running). Default folder: var/backups."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", help="folder for the archive")

    def handle(self, *args, directory=None, **options):
        directory = Path(directory or Path(settings.VAR_DIR) / "backups")
        try:
            path, manifest = create_backup(directory)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Backup written to {path} (database and {len(manifest['media'])} uploaded files). "
            f"Restore it with: python manage.py restore {path}"
        )
