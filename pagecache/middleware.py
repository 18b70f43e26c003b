"""Whole-response caching of public pages, correct across server processes.

Anonymous GET/HEAD requests for public pages (everything but the admin, the
Markdown endpoints and uploads) are answered from Django's cache. The cache key
is pagecache.freshness.page_digest() of the "content last changed" timestamp,
which model signals bump on every edit: an edit makes every old entry
unreachable at once, so the next request renders afresh, in every gunicorn
worker, even with a per-process local-memory cache. Old entries simply expire.
While one request renders a page's new version, concurrent requests for that
page get its previous version (stale-while-revalidate), so saves never stall
readers. Query parameters a view does not use are not part of the key
(pagecache.freshness.uses_query).

Signed-in visitors (any session cookie) bypass the cache: staff see drafts.

Every public response also gets ETag/Last-Modified (so conditional requests get
304 without rendering), a short public max-age, and a gzip-compressed body for
clients that accept one (compressed once, when the entry is stored).
"""

import re

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.text import compress_string

from .freshness import etag_for, last_changed, page_digest

_ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# How long a render may hold a page's lock before another request renders it too.
RENDER_LOCK_SECONDS = 30
# Worth compressing: below this gzip's own overhead eats the saving.
_MIN_GZIP_BYTES = 200
# Headers a cached response does not keep: they are set afresh for each answer.
# Everything else (Content-Type, Content-Security-Policy, X-Frame-Options, ...) is kept.
_DROPPED_HEADERS = {
    "set-cookie",
    "content-length",
    "content-encoding",
    "date",
    "etag",
    "last-modified",
    "expires",
}


def _excluded_prefixes():
    media = "/" + settings.MEDIA_URL.strip("/") + "/"
    return (*settings.EDITOR_URL_PREFIXES, media)


def is_public_request(request):
    """An anonymous GET/HEAD of a public page: the same answer for every visitor."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path_info.startswith(_excluded_prefixes())
    )


def _cacheable(response):
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not response.has_header("Content-Encoding")
        and not any(word in cache_control for word in ("private", "no-store", "no-cache"))
    )


def _entry(response, etag, last_modified, compress=True):
    """What the cache keeps: each encoding's final headers and body, ready to send.

    Everything a hit sends is decided here, once per page version, so a hit only
    copies it into a response (bench/FINDINGS.md). compress=False (an answer
    that is not kept, to a client that does not take gzip) skips the gzip copy.
    """
    body = response.content
    gzipped = None
    content_type = response.get("Content-Type", "")
    if (
        compress
        and len(body) >= _MIN_GZIP_BYTES
        and (content_type.startswith("text/") or "xml" in content_type or "json" in content_type)
    ):
        gzipped = compress_string(body)

    final = HttpResponse(status=response.status_code)
    for key, value in response.items():
        if key.lower() not in _DROPPED_HEADERS:
            final[key] = value
    final["ETag"] = etag
    if last_modified is not None:
        final["Last-Modified"] = http_date(last_modified)
    patch_cache_control(final, public=True, max_age=settings.PAGE_MAX_AGE)
    # A browser that later signs in must not reuse the anonymous copy.
    patch_vary_headers(final, ["Cookie", "Accept-Encoding"] if gzipped else ["Cookie"])
    headers = list(final.items())
    variants = {"identity": (headers + [("Content-Length", str(len(body)))], body)}
    if gzipped is not None:
        variants["gzip"] = (
            headers + [("Content-Encoding", "gzip"), ("Content-Length", str(len(gzipped)))],
            gzipped,
        )
    return {
        "status": response.status_code,
        "etag": etag,
        "last_modified": last_modified,
        "variants": variants,
    }


def _accepts_gzip(request):
    return bool(_ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


def _response_from(entry, request):
    variants = entry["variants"]
    use_gzip = "gzip" in variants and _accepts_gzip(request)
    headers, body = variants["gzip" if use_gzip else "identity"]
    response = HttpResponse(body, status=entry["status"])
    for key, value in headers:
        response[key] = value
    if "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META:
        return get_conditional_response(
            request, etag=entry["etag"], last_modified=entry["last_modified"], response=response
        )
    return response


class PublicPageCacheMiddleware:
    """Place right after WhiteNoise: a cache hit skips sessions, auth and the view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_public_request(request):
            response = self.get_response(request)
            if (
                request.method in ("GET", "HEAD")
                and not request.path_info.startswith(_excluded_prefixes())
                and not response.has_header("Cache-Control")
            ):
                # A signed-in view may show drafts: never store it in a shared cache.
                patch_cache_control(response, private=True, no_cache=True)
            return response

        changed = last_changed(request)
        store = getattr(settings, "PAGE_CACHE_ENABLED", True) and changed is not None
        cache = caches["default"]
        digest = page_digest(request, changed)
        key = f"page:{digest}" if store else None
        entry = cache.get(key) if store else None
        if entry is not None:
            return _response_from(entry, request)
        if not store:
            entry = self._render(request, changed, digest, compress=_accepts_gzip(request))
            return entry if isinstance(entry, HttpResponseBase) else _response_from(entry, request)

        # Stale while revalidate: while one request renders the new version of a
        # page, others get its previous version instead of waiting (or rendering
        # it again), so an editor saving every second never stalls readers.
        latest_key = f"page-latest:{page_digest(request, None)}"
        lock_key = f"page-render:{digest}"
        if not cache.add(lock_key, 1, RENDER_LOCK_SECONDS):
            stale = cache.get(latest_key)
            if stale is not None:
                return _response_from(stale, request)
        try:
            entry = self._render(request, changed, digest)
            if isinstance(entry, HttpResponseBase):
                return entry
            seconds = getattr(settings, "PAGE_CACHE_SECONDS", 24 * 3600)
            cache.set_many({key: entry, latest_key: entry}, seconds)
        finally:
            cache.delete(lock_key)
        return _response_from(entry, request)

    def _render(self, request, changed, digest, compress=True):
        """The cache entry for this request, or the response itself if it is not cacheable
        (which may be a streaming one, such as an uploaded file)."""
        response = self.get_response(request)
        if not _cacheable(response):
            return response
        last_modified = int(changed.timestamp()) if changed else None
        return _entry(response, etag_for(digest), last_modified, compress)
