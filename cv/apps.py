from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.menu import MenuEntry


class CVConfig(AppConfig):
    name = "cv"
    label = "cv"
    verbose_name = _("CV")
    default_auto_field = "django.db.models.BigAutoField"
    # Shown on public pages: edits invalidate the page cache, backups and the
    # "is the site empty" check include them (core.registry.public_models()).
    public_models = ["CVSection", "CVEntry"]

    # The site menu's "cv" entry, shown while there is a CV.
    menu_entries = [MenuEntry("cv", _("cv"), "cv:page", has_content="cv.document.has_content")]
