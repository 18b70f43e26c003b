from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from research.citation import site_root


@require_safe
def robots_txt(request):
    """Everything public may be crawled; the editor may not. Points at the sitemap."""
    sitemap = site_root(request) + reverse("sitemap")
    lines = ["User-agent: *", f"Disallow: {reverse('admin:index')}", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
