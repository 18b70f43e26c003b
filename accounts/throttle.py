"""Per-account login throttling that slows guessing without locking the owner out.

django-axes counts failures per client address; guesses spread over many
addresses (or a forged X-Forwarded-For reaching gunicorn directly) are not
slowed by it. Here failures are also counted per username, in the shared cache:
after ACCOUNT_FAILURE_LIMIT failures an account accepts one attempt per delay,
and the delay doubles with each further failure up to ACCOUNT_MAX_DELAY. A
browser that has logged in to the account before carries a signed "known
device" cookie and is exempt, so the owner still gets in while someone else is
guessing (OWASP's "device cookie" scheme); the per-address limit still applies
to it.
"""

import hashlib
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache

DEVICE_COOKIE = "editor_device"
_SALT = "accounts.known-device"


def _key(username):
    digest = hashlib.sha256(username.strip().casefold().encode()).hexdigest()[:32]
    return f"login-failures:{digest}"


def _state(username):
    return cache.get(_key(username)) or {"failures": 0, "last": 0.0}


def wait_seconds(username, now=None):
    """Seconds before the next attempt for this account is accepted (0: now)."""
    state = _state(username)
    over = state["failures"] - settings.ACCOUNT_FAILURE_LIMIT
    if over < 0:
        return 0
    delay = min(settings.ACCOUNT_BASE_DELAY * 2**over, settings.ACCOUNT_MAX_DELAY)
    return max(0, int(state["last"] + delay - (now or time.time())) + 1) if delay else 0


def record_failure(username):
    state = _state(username)
    state = {"failures": state["failures"] + 1, "last": time.time()}
    cache.set(_key(username), state, settings.ACCOUNT_MAX_DELAY * 4)


def reset(username):
    cache.delete(_key(username))


def is_known_device(request, username):
    """True when this browser logged in to this account before."""
    value = request.COOKIES.get(DEVICE_COOKIE)
    if not value:
        return False
    try:
        known = signing.loads(value, salt=_SALT, max_age=settings.ACCOUNT_DEVICE_COOKIE_AGE)
    except signing.BadSignature:
        return False
    return known.get("u", "").casefold() == username.strip().casefold()


def remember_device(response, user):
    response.set_cookie(
        DEVICE_COOKIE,
        signing.dumps({"u": user.get_username()}, salt=_SALT),
        max_age=settings.ACCOUNT_DEVICE_COOKIE_AGE,
        path="/admin/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
