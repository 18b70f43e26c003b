from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "inbox"
    verbose_name = "Paper inbox"
    default_auto_field = "django.db.models.BigAutoField"
    # Public pages print the citation counts (see core.registry.public_models()).
    public_models = ["CitationCount"]

    def ready(self):
        from core.editing import register_history

        from .models import DismissedWork, Suggestion

        register_history(Suggestion)
        register_history(DismissedWork)
