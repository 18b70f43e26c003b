from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class EditorAdminConfig(AdminConfig):
    """django.contrib.admin with the editor's own site (start page, grouped models)."""

    default_site = "editor.sites.EditorSite"


class EditorConfig(AppConfig):
    name = "editor"
    verbose_name = "Editor"
