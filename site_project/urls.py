import re

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from markdownx.views import MarkdownifyView

from core.views import robots_txt, staff_only
from cv.sitemaps import CVSitemap
from news.sitemaps import sitemaps as news_sitemaps
from pagecache.freshness import conditional_on_content
from pages.sitemaps import sitemaps as page_sitemaps
from research.sitemaps import sitemaps as research_sitemaps
from talks.sitemaps import sitemaps as talk_sitemaps
from teaching.sitemaps import sitemaps as teaching_sitemaps
from uploads.views import SafeImageUploadView, serve_media

sitemaps = {
    **research_sitemaps,
    **news_sitemaps,
    **talk_sitemaps,
    **teaching_sitemaps,
    **page_sitemaps,
}

# admin.site is the editor's own site (editor/sites.py): titles, start page.

urlpatterns = [
    path("admin/import-site/", include("siteimport.urls")),
    path("admin/", admin.site.urls),
    path(
        "markdownx/markdownify/",
        staff_only(MarkdownifyView.as_view()),
        name="markdownx_markdownify",
    ),
    path("markdownx/upload/", staff_only(SafeImageUploadView.as_view()), name="markdownx_upload"),
    path("research/", include("research.urls")),
    path("news/", include("news.urls")),
    path("talks/", include("talks.urls")),
    path("teaching/", include("teaching.urls")),
    path(
        "sitemap.xml",
        conditional_on_content(sitemap),
        {"sitemaps": {**sitemaps, "cv": CVSitemap}},
        name="sitemap",
    ),
    path("robots.txt", robots_txt, name="robots"),
    path("", include("cv.urls")),
    path("", include("home.urls")),
    # Last: free pages live at /<slug>/, and slugs other pages use are refused.
    path("", include("pages.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(
            rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$",
            serve_media,
        )
    ]
