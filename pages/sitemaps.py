"""Sitemap entries for the free pages."""

from core.sitemaps import SiteUrlSitemap as _SiteUrlSitemap

from .models import Page


class PageSitemap(_SiteUrlSitemap):
    def items(self):
        return Page.objects.published().order_by("slug")

    def lastmod(self, page):
        return page.updated


sitemaps = {"free-pages": PageSitemap}
