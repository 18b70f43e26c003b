"""Which models hold the site's content, as each app declares them.

An app lists the models its public pages show on its AppConfig:

    class NewsConfig(AppConfig):
        name = "news"
        public_models = ["NewsItem"]          # or "otherapp.Model" for one it brings in

Everything that must know "the content models" asks here and needs no edit when
an app is added: the page cache's invalidation (pagecache), "is this site
empty" (loadseed, restore), and the backups.
"""

from django.apps import apps
from django.db import connections


def public_models():
    """Every declared content model, in app order, each once."""
    found = []
    for config in apps.get_app_configs():
        for name in getattr(config, "public_models", ()):
            model = apps.get_model(name) if "." in name else config.get_model(name)
            if model not in found:
                found.append(model)
    return found


def tables_with_rows(extra_models=(), using="default"):
    """db_table names of content models (and extra_models) that hold rows.

    Asks the database directly and skips tables that do not exist yet, so it
    also answers before migrations have run (restore into a new installation).
    """
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    found = []
    for model in [*public_models(), *extra_models]:
        table = model._meta.db_table
        if table in existing and model._base_manager.using(using).exists():
            found.append(table)
    return found


def site_is_empty():
    """True when no content model holds anything: a new installation."""
    return not tables_with_rows()
