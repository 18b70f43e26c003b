from django.db import DatabaseError, connection

from core.commands import BaseCommand, CommandError
from deploy.health import check_database


class Command(BaseCommand):
    help = "Check that the database answers (the same check as /healthz); exit 1 if not."

    def handle(self, *args, **options):
        try:
            check_database()
        except DatabaseError as error:
            # Unlike /healthz, the operator at the terminal needs the driver's message.
            raise CommandError(
                f"The {connection.vendor} database does not answer: {error}"
            ) from None
        self.stdout.write(f"database: ok ({connection.vendor})")
