"""Absolute addresses for feeds, meta tags, BibTeX and the sitemap.

Links that leave the page (feed entries, canonical URLs, citation tags) must be
absolute: against settings.SITE_URL when it is set, else the request's host.
"""

import functools
import threading
from contextlib import contextmanager
from urllib.parse import quote

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


def site_root(request=None):
    """Scheme and host for absolute links: settings.SITE_URL, else the request's host."""
    if settings.SITE_URL:
        return settings.SITE_URL
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return ""


def absolute_url(location, root=""):
    """location made absolute against root; "" when that is impossible."""
    if not location:
        return ""
    if location.startswith(("http://", "https://")):
        return location
    if location.startswith("//"):
        scheme = root.split(":", 1)[0] if root else "https"
        return f"{scheme}:{location}"
    if not root:
        return ""
    return root + (location if location.startswith("/") else "/" + location)


_SLUG = "__slug__"


@functools.lru_cache(maxsize=128)
def _slug_pattern(name, prefix, urlconf):
    return reverse(name, kwargs={"slug": _SLUG}, urlconf=urlconf)


_bulk = threading.local()


@contextmanager
def same_urls():
    """Within the block, slug_url() reads the script prefix and URLconf once.

    For rendering many papers in one go (research.listing): the two lookups
    were most of the cost of each of its five thousand calls. Neither changes
    while one thread renders a list.
    """
    previous = getattr(_bulk, "resolved", None)
    _bulk.resolved = (get_script_prefix(), get_urlconf())
    try:
        yield
    finally:
        _bulk.resolved = previous


def slug_url(name, slug):
    """reverse(name, kwargs={"slug": slug}) for a URL that takes only a slug.

    A list of a thousand papers links each paper, its .bib and its tags: the
    resolver, once per link, was a tenth of rendering the list.
    """
    resolved = getattr(_bulk, "resolved", None) or (get_script_prefix(), get_urlconf())
    pattern = _slug_pattern(name, *resolved)
    return pattern.replace(_SLUG, quote(str(slug), safe=""))
