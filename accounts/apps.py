from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """The editor's login: per-account throttling and two-factor login (accounts/)."""

    name = "accounts"
    verbose_name = "Editor login"
    default_auto_field = "django.db.models.BigAutoField"
    # Nothing here is shown on public pages.
    public_models = []
