from django.apps import AppConfig


class CVConfig(AppConfig):
    name = "cv"
    label = "cv"
    verbose_name = "CV"
    default_auto_field = "django.db.models.BigAutoField"
    # Shown on public pages: edits invalidate the page cache, backups and the
    # "is the site empty" check include them (core.registry.public_models()).
    public_models = ["CVSection", "CVEntry"]

    def ready(self):
        # Until the registry lands (issue 11), bump the content timestamp here.
        from django.db.models.signals import post_delete, post_save

        from site_project.freshness import mark_changed

        for name in self.public_models:
            model = self.get_model(name)
            post_save.connect(mark_changed, sender=model, dispatch_uid=f"freshness-cv-{name}")
            post_delete.connect(mark_changed, sender=model, dispatch_uid=f"freshness-cv-{name}-d")
