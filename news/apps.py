from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.menu import MenuEntry


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = "News"
    default_auto_field = "django.db.models.BigAutoField"
    public_models = ["NewsItem"]
    menu_entries = [MenuEntry("news", _("news"), "news:index", model="news.NewsItem")]
