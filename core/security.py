"""Login throttling and Content-Security-Policy glue.

- client_ip(): the address django-axes counts failed logins against. It is
  REMOTE_ADDR unless the site is told it runs behind N reverse proxies, so a
  client cannot dodge the lockout by sending its own X-Forwarded-For.
- ThrottledAuthBackend: django-axes' backend, tolerant of authenticate()
  calls without a request (management commands, Django's test client).
- CSPMiddleware: the strict public policy everywhere, the admin's own policy
  under /admin/ and the markdownx endpoints.
- RequestSizeLimitMiddleware: refuses oversized request bodies up front.
"""

from axes.backends import AxesStandaloneBackend
from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from django.conf import settings
from django.http import HttpResponse


def client_ip(request):
    """REMOTE_ADDR, or the address the nearest trusted proxy saw."""
    remote_addr = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote_addr
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    # Each trusted proxy appends the address it received the request from, so
    # the entry `proxies` from the right is the one no client could forge.
    if len(forwarded) >= proxies:
        return forwarded[-proxies]
    return remote_addr


class ThrottledAuthBackend(AxesStandaloneBackend):
    """Every login through a web request is counted; calls without one are not web logins."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class CSPMiddleware(BaseCSPMiddleware):
    """django-csp's middleware with a second policy for the editor's pages."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.replace is None and self._is_editor_path(request):
            parts.replace = settings.ADMIN_CONTENT_SECURITY_POLICY_REPLACE
        return parts

    @staticmethod
    def _is_editor_path(request):
        return request.path_info.startswith(tuple(settings.EDITOR_URL_PREFIXES))


class RequestSizeLimitMiddleware:
    """Answer 413 to a request body over MAX_REQUEST_BYTES before anything reads it.

    Django would otherwise stream any upload, however big, to a temporary file
    (CSRF checking reads every POST). Per-field limits give the editor a form
    error below this size; this is the backstop above it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.MAX_REQUEST_BYTES
        if length > limit:
            return HttpResponse(
                f"This upload is {_megabytes(length)} MB; the site accepts at most "
                f"{_megabytes(limit)} MB per request. Make the file smaller and try again "
                "(your browser's Back button returns to the form).",
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


def _megabytes(num_bytes):
    return f"{num_bytes / (1024 * 1024):.3g}"
