"""Sitemap entry for /teaching/, while there are courses."""

from django.db.models import Max
from django.urls import reverse

from core.sitemaps import SiteUrlSitemap as _SiteUrlSitemap

from .models import Course


class TeachingSitemap(_SiteUrlSitemap):
    def items(self):
        last = Course.objects.published().aggregate(last=Max("updated"))["last"]
        return [last] if last else []

    def location(self, item):
        return reverse("teaching:index")

    def lastmod(self, item):
        return item


sitemaps = {"teaching": TeachingSitemap}
