"""/sitemap.xml: the homepage, the archive, tag pages and every published paper."""

from django.db.models import F, Max
from django.urls import reverse

from core.sitemaps import SiteUrlSitemap as _SiteUrlSitemap
from pagecache.freshness import last_changed

from .models import Publication


class PagesSitemap(_SiteUrlSitemap):
    def items(self):
        return ["home:home", "research:index"]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        # Both pages show whatever changed last; one small query for both.
        if not hasattr(self, "_changed"):
            self._changed = last_changed()
        return self._changed


class PublicationSitemap(_SiteUrlSitemap):
    def items(self):
        return Publication.objects.published().order_by(
            F("date").desc(nulls_first=True), "-created", "-pk"
        )

    def lastmod(self, paper):
        return paper.updated


class TagSitemap(_SiteUrlSitemap):
    def items(self):
        # The filter in tags() comes first, so the Max counts published papers only.
        return (
            Publication.objects.published()
            .tags()
            .exclude(slug="")
            .annotate(last_paper_update=Max("publication__updated"))
        )

    def lastmod(self, tag):
        return tag.last_paper_update

    def location(self, tag):
        return reverse("research:tag", kwargs={"slug": tag.slug})


sitemaps = {"pages": PagesSitemap, "papers": PublicationSitemap, "tags": TagSitemap}
