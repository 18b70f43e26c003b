from django.core.management.base import BaseCommand, CommandError

from core.registry import site_is_empty
from home.seeding import SeedRefused, load_seed


class Command(BaseCommand):
    help = "Fill an empty database with the demo homepage (profile, links, five papers)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even if the database has content: the seed's own items are "
            "overwritten, everything else is kept.",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (and succeed) when the database already has content.",
        )

    def handle(self, *args, force=False, if_empty=False, **options):
        if if_empty and not site_is_empty():
            self.stdout.write("The database already has content; seed not loaded.")
            return
        try:
            changed = load_seed(force=force)
        except SeedRefused as error:
            raise CommandError(str(error)) from None
        if changed:
            self.stdout.write(self.style.SUCCESS(f"Seed content loaded ({changed} changes)."))
        else:
            self.stdout.write("Seed content is already loaded; nothing changed.")
