from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app shares: Markdown, links, validators, the admin base class, security glue."""

    name = "core"
    verbose_name = "Core"
