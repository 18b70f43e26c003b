"""The health check behind /healthz and `manage.py healthcheck`."""

from django.db import DatabaseError, connections


def check_database(alias="default"):
    """Run one query on the database; raises DatabaseError when it does not answer."""
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def database_status(alias="default"):
    """Return None when the database answers, else the kind of failure.

    Only the kind: /healthz is public, so it must not leak host names or
    credentials from the driver's message.
    """
    try:
        check_database(alias)
    except DatabaseError as error:
        return type(error).__name__
    return None
