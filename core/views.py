from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden
from django.urls import reverse
from django.views.decorators.http import require_safe

from .links import site_root


@require_safe
def robots_txt(request):
    """Everything public may be crawled; the editor may not. Points at the sitemap."""
    sitemap = site_root(request) + reverse("sitemap")
    lines = ["User-agent: *", f"Disallow: {reverse('admin:index')}", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def staff_only(view):
    """markdownx's endpoints have no access check of their own (CVE-2024-2319)."""

    def wrapped(request, *args, **kwargs):
        if not (request.user.is_active and request.user.is_staff):
            return HttpResponseForbidden("Staff only.")
        if settings.REQUIRE_2FA and not request.user.is_verified():
            return HttpResponseForbidden("Log in with your second factor first.")
        return view(request, *args, **kwargs)

    # The preview and the image upload save no versioned content: no revision, so
    # no transaction holding SQLite's write lock while the editor types and saves.
    wrapped.own_transactions = True
    return wrapped
