"""A port in the Host header is believed only when it is the server's own.

Django checks the host name against ALLOWED_HOSTS but not the port, so a
request for "example.org:1337" would be answered with absolute links (feeds,
sitemap, robots.txt, canonical and citation tags) on that port, and cached
under it. HostPortMiddleware drops a port that is neither the one the request
actually arrived on (SERVER_PORT) nor listed in settings.SITE_PORTS
(DJANGO_SITE_PORTS). With DJANGO_SITE_URL set, links use that address anyway.
"""

from django.conf import settings


class HostPortMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        host = request.META.get("HTTP_HOST", "")
        name, colon, port = host.rpartition(":")
        # "[::1]" alone has colons but no port; a port is digits after the last one.
        if colon and port.isdigit() and (not name.startswith("[") or name.endswith("]")):
            allowed = {str(request.META.get("SERVER_PORT", "")), *settings.SITE_PORTS}
            if port not in allowed:
                request.META["HTTP_HOST"] = name
        return self.get_response(request)
