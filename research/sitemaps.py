"""/sitemap.xml: the homepage, the archive, tag pages and every published paper."""

from types import SimpleNamespace
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from pagecache.freshness import last_changed

from .models import Publication


class _SiteUrlSitemap(Sitemap):
    """Absolute URLs on settings.SITE_URL when set, else on the request's host."""

    def get_urls(self, page=1, site=None, protocol=None):
        if settings.SITE_URL:
            parts = urlsplit(settings.SITE_URL)
            site, protocol = SimpleNamespace(domain=parts.netloc), parts.scheme
        return super().get_urls(page=page, site=site, protocol=protocol)


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
        return Publication.objects.published().order_by("-date", "-created", "-pk")

    def lastmod(self, paper):
        return paper.updated


class TagSitemap(_SiteUrlSitemap):
    def items(self):
        # The filter in tags() comes first, so the Max counts published papers only.
        return (
            Publication.objects.published()
            .tags()
            .annotate(last_paper_update=Max("publication__updated"))
        )

    def lastmod(self, tag):
        return tag.last_paper_update

    def location(self, tag):
        return reverse("research:tag", kwargs={"slug": tag.slug})


sitemaps = {"pages": PagesSitemap, "papers": PublicationSitemap, "tags": TagSitemap}
