"""The site's URLs plus uploads, for the browser tests' live server.

site_project.urls serves media only when DJANGO_SERVE_MEDIA was on at import
time, and from the MEDIA_ROOT of that moment; each test has its own temporary
MEDIA_ROOT, so this view looks it up per request instead.
"""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from site_project.urls import urlpatterns as site_urlpatterns


def serve_media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [
    re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$", serve_media),
    *site_urlpatterns,
]
