"""Absolute addresses for feeds, meta tags, BibTeX and the sitemap.

Links that leave the page (feed entries, canonical URLs, citation tags) must be
absolute: against settings.SITE_URL when it is set, else the request's host.
"""

from django.conf import settings


def site_root(request=None):
    """Scheme and host for absolute links: settings.SITE_URL, else the request's host."""
    if settings.SITE_URL:
        return settings.SITE_URL
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return ""


def absolute_url(location, root=""):
    """location made absolute against root; "" when that is impossible."""
    if not location:
        return ""
    if location.startswith(("http://", "https://")):
        return location
    if location.startswith("//"):
        scheme = root.split(":", 1)[0] if root else "https"
        return f"{scheme}:{location}"
    if not root:
        return ""
    return root + (location if location.startswith("/") else "/" + location)
