from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class AccountsConfig(AppConfig):
    """The editor's login: per-account throttling and two-factor login (accounts/)."""

    name = "accounts"
    verbose_name = "Editor login"
    default_auto_field = "django.db.models.BigAutoField"
    # Nothing here is shown on public pages.
    public_models = []


class EditorAdminConfig(AdminConfig):
    """django.contrib.admin with the editor's admin site (accounts.admin_site)."""

    default_site = "accounts.admin_site.EditorAdminSite"
