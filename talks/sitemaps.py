"""Sitemap entry for /talks/, while there are talks."""

from django.db.models import Max
from django.urls import reverse

from core.sitemaps import SiteUrlSitemap as _SiteUrlSitemap

from .models import Talk


class TalksSitemap(_SiteUrlSitemap):
    def items(self):
        last = Talk.objects.published().aggregate(last=Max("updated"))["last"]
        return [last] if last else []

    def location(self, item):
        return reverse("talks:index")

    def lastmod(self, item):
        return item


sitemaps = {"talks": TalksSitemap}
