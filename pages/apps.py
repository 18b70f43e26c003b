from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Pages and menu"
    default_auto_field = "django.db.models.BigAutoField"
    # Models the public pages show (page cache, backups, export pick them up).
    public_models = ["Page", "MenuItem"]
