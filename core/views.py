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
        return view(request, *args, **kwargs)

    return wrapped
