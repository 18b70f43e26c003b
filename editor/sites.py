"""The editor (Django's admin site) as a researcher's start page.

The index shows what start.py collects (actions, notices, drafts, recent
changes) above the list of models, where the technical ones (users, groups,
login attempts, tags) are grouped under one "Site administration" heading.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.admin_site import EditorAdminSite

from . import start

# Apps whose models are site administration, not content.
TECHNICAL_APPS = {
    "auth",
    "axes",
    "taggit",
    "reversion",
    "sites",
    "contenttypes",
    "otp_totp",
    "otp_static",
}
TECHNICAL_LABEL = "site_administration"


class EditorSite(EditorAdminSite):
    """The start page and grouped models, on the site with the editor's login (accounts/)."""

    site_header = _("Homepage editor")
    site_title = _("Homepage editor")
    index_title = _("Edit your homepage")
    index_template = "admin/start.html"

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        if app_label is not None:
            return apps
        content = [app for app in apps if app["app_label"] not in TECHNICAL_APPS]
        technical = [app for app in apps if app["app_label"] in TECHNICAL_APPS]
        if technical:
            models = [model for app in technical for model in app["models"]]
            content.append(
                {
                    "name": _("Site administration"),
                    "app_label": TECHNICAL_LABEL,
                    # No page lists these together but the start page's own section.
                    "app_url": reverse("admin:index", current_app=self.name)
                    + "#site-administration-list",
                    "has_module_perms": True,
                    "models": sorted(models, key=lambda m: str(m["name"])),
                }
            )
        return content

    def index(self, request, extra_context=None):
        context = {
            "start_actions": start.actions(self, request),
            "start_notices": start.notices(request),
            "start_drafts": start.drafts(self, request),
            "start_recent": start.recent_changes(self),
            **(extra_context or {}),
        }
        return super().index(request, context)
