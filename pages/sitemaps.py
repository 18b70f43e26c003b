"""Sitemap entries for the free pages."""

from research.sitemaps import _SiteUrlSitemap

from .models import Page


class PageSitemap(_SiteUrlSitemap):
    def items(self):
        return Page.objects.published().order_by("slug")

    def lastmod(self, page):
        return page.updated


sitemaps = {"free-pages": PageSitemap}
