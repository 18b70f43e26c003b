from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The homepage, composed of what the other apps hold, and the demo content (loadseed)."""

    name = "home"
    verbose_name = "Homepage"
