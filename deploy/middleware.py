from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers

from .health import database_status

HEALTH_PATHS = {"/healthz", "/healthz/"}


class HealthCheckMiddleware:
    """Answer /healthz before anything else runs.

    Load balancers and container probes call it by IP address and over plain
    HTTP, so it must not depend on ALLOWED_HOSTS, the HTTPS redirect or the page
    cache; it goes first in MIDDLEWARE for that reason.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info not in HEALTH_PATHS:
            return self.get_response(request)
        problem = database_status()
        if problem is None:
            response = JsonResponse({"status": "ok", "database": "ok"})
        else:
            response = JsonResponse({"status": "unavailable", "database": problem}, status=503)
        add_never_cache_headers(response)
        return response
