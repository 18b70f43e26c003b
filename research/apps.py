from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.menu import MenuEntry


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
    menu_entries = [MenuEntry("research", _("research"), "research:index")]
