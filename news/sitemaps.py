"""Sitemap entries: /news/ while there is news, and each item with a page of its own."""

from django.urls import reverse

from core.sitemaps import SiteUrlSitemap as _SiteUrlSitemap

from .models import NewsItem


class NewsSitemap(_SiteUrlSitemap):
    def items(self):
        news = list(NewsItem.objects.published().only("slug", "title", "updated"))
        if not news:
            return []
        return [None, *(item for item in news if item.has_page)]

    def location(self, item):
        return reverse("news:index") if item is None else item.get_absolute_url()

    def lastmod(self, item):
        if item is None:
            return None
        return item.updated


sitemaps = {"news": NewsSitemap}
