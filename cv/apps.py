from django.apps import AppConfig


class CVConfig(AppConfig):
    name = "cv"
    label = "cv"
    verbose_name = "CV"
    default_auto_field = "django.db.models.BigAutoField"
    # Shown on public pages: edits invalidate the page cache, backups and the
    # "is the site empty" check include them (core.registry.public_models()).
    public_models = ["CVSection", "CVEntry"]
