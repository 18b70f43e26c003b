from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "inbox"
    verbose_name = "Paper inbox"
    default_auto_field = "django.db.models.BigAutoField"
    # Public pages print the citation counts (see core.registry.public_models()).
    public_models = ["CitationCount"]
    # For the per-paper fragments (core.jinja): templates/jinja2/inbox/cited_by.html.
    jinja_globals = {"cited_by": "inbox.templatetags.inbox.cited_by"}

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from core.editing import register_history

        from .models import CitationCount, DismissedWork, Suggestion

        register_history(Suggestion)
        register_history(DismissedWork)
        # A paper's cached list entry and page show its count ("cited by 12").
        post_save.connect(_count_changed, sender=CitationCount, dispatch_uid="count-saved")
        post_delete.connect(_count_changed, sender=CitationCount, dispatch_uid="count-deleted")


def _count_changed(sender, instance, **kwargs):
    from research.models import Publication

    Publication.objects.filter(pk=instance.publication_id).mark_shown_changed()
