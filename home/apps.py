from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.menu import MenuEntry


class HomeConfig(AppConfig):
    """The homepage, composed of what the other apps hold, and the demo content (loadseed)."""

    name = "home"
    verbose_name = "Homepage"
    menu_entries = [MenuEntry("about", _("about"), "home:home")]
