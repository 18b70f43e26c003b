import re

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from markdownx.views import MarkdownifyView

from core.views import robots_txt, staff_only
from pagecache.freshness import conditional_on_content
from research.sitemaps import sitemaps
from uploads.views import SafeImageUploadView, serve_media

admin.site.site_header = "Homepage editor"
admin.site.site_title = "Homepage editor"
admin.site.index_title = "Edit your homepage"

urlpatterns = [
    path("admin/", admin.site.urls),
    path(
        "markdownx/markdownify/",
        staff_only(MarkdownifyView.as_view()),
        name="markdownx_markdownify",
    ),
    path("markdownx/upload/", staff_only(SafeImageUploadView.as_view()), name="markdownx_upload"),
    path("research/", include("research.urls")),
    path(
        "sitemap.xml",
        conditional_on_content(sitemap),
        {"sitemaps": sitemaps},
        name="sitemap",
    ),
    path("robots.txt", robots_txt, name="robots"),
    path("", include("home.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(
            rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$",
            serve_media,
        )
    ]
