from django.apps import AppConfig


class UploadsConfig(AppConfig):
    name = "uploads"
    verbose_name = "Uploads"
    # {% picture %} for the per-paper fragments (core.jinja).
    jinja_globals = {"picture": "uploads.templatetags.pictures.picture"}

    def ready(self):
        from . import renditions

        renditions.connect_signals()
