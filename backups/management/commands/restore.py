from django.core.management import call_command

from backups.archive import BackupError, restore_backup
from core.commands import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Restore an archive written by `manage.py backup` into an empty installation."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="a homepage-backup-*.tar.gz file")

    def handle(self, *args, archive, **options):
        try:
            manifest = restore_backup(archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        # A backup from an older version of the site gets this version's tables.
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(
            f"Restored the backup of {manifest['created']} "
            f"(database and {len(manifest['media'])} uploaded files)."
        )
