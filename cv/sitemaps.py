"""/cv/ in /sitemap.xml, when the site has a CV."""

from django.urls import reverse

from core.sitemaps import SiteUrlSitemap as _SiteUrlSitemap

from .document import has_content
from .models import CVSection


class CVSitemap(_SiteUrlSitemap):
    def items(self):
        return ["cv:page"] if has_content() else []

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        return (
            CVSection.objects.published()
            .order_by("-updated")
            .values_list("updated", flat=True)
            .first()
        )
