from django.apps import AppConfig, apps


class SiteImportConfig(AppConfig):
    """Moves a whole al-folio, Hugo Blox or academicpages site in (no models of its own)."""

    name = "siteimport"
    verbose_name = "Site import"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        if apps.is_installed("editor"):
            from editor.start import Action, register_action

            register_action(
                Action(
                    "Import a whole site",
                    "siteimport:import",
                    permission="research.add_publication",
                )
            )
