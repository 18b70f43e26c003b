"""The site's URLs plus uploads, for the browser tests' live server.

site_project.urls adds the media pattern only when DJANGO_SERVE_MEDIA was on at
import time; this adds it always, through the site's own upload view (which
reads each test's temporary MEDIA_ROOT per request).
"""

from django.conf import settings
from django.urls import re_path

from site_project.urls import urlpatterns as site_urlpatterns
from uploads.views import serve_media

urlpatterns = [
    re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$", serve_media),
    *site_urlpatterns,
]
