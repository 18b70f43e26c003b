"""The base of every app's sitemap: absolute URLs on DJANGO_SITE_URL when it is set."""

from types import SimpleNamespace
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap


class SiteUrlSitemap(Sitemap):
    """Absolute URLs on settings.SITE_URL when set, else on the request's host."""

    def get_urls(self, page=1, site=None, protocol=None):
        if settings.SITE_URL:
            parts = urlsplit(settings.SITE_URL)
            site, protocol = SimpleNamespace(domain=parts.netloc), parts.scheme
        return super().get_urls(page=page, site=site, protocol=protocol)
