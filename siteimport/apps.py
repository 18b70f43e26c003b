from django.apps import AppConfig


class SiteImportConfig(AppConfig):
    """Moves a whole al-folio, Hugo Blox or academicpages site in (no models of its own)."""

    name = "siteimport"
    verbose_name = "Site import"
    default_auto_field = "django.db.models.BigAutoField"
