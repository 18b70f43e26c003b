from django.apps import AppConfig


class ResearchConfig(AppConfig):
    name = "research"
    verbose_name = "Research"
    default_auto_field = "django.db.models.BigAutoField"
    # Shown on public pages: edits invalidate the page cache (core.registry).
    # Tags are taggit's models, shown only here.
    public_models = [
        "Person",
        "Publication",
        "Authorship",
        "PreviousSlug",
        "taggit.Tag",
        "taggit.TaggedItem",
    ]

    def ready(self):
        from .signals import connect_signals

        connect_signals()
