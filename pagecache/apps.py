from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "pagecache"
    verbose_name = "Page cache"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .freshness import connect_signals

        # Every app's declared content models (core.registry), whichever app they are in.
        connect_signals()
