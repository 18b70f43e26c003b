from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.menu import MenuEntry


class TalksConfig(AppConfig):
    name = "talks"
    verbose_name = "Talks"
    default_auto_field = "django.db.models.BigAutoField"
    public_models = ["Talk"]
    menu_entries = [MenuEntry("talks", _("talks"), "talks:index", model="talks.Talk")]
