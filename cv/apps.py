from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CVConfig(AppConfig):
    name = "cv"
    label = "cv"
    verbose_name = _("CV")
    default_auto_field = "django.db.models.BigAutoField"
    # Shown on public pages: edits invalidate the page cache, backups and the
    # "is the site empty" check include them (core.registry.public_models()).
    public_models = ["CVSection", "CVEntry"]

    @property
    def menu_entries(self):
        """The site menu's "cv" entry, shown while there is a CV (pages.menu)."""
        try:
            from core.menu import MenuEntry
        except ImportError:  # the pages app (and so the menu) is not installed
            return []
        return [MenuEntry("cv", _("cv"), "cv:page", has_content="cv.document.has_content")]
