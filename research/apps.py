from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from pages.menu import MenuEntry


class ResearchConfig(AppConfig):
    name = "research"
    verbose_name = "Research"
    default_auto_field = "django.db.models.BigAutoField"
    menu_entries = [MenuEntry("research", _("research"), "research:index")]
