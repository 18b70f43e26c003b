"""Two-factor login with django-otp: an authenticator app (TOTP) plus recovery codes.

Optional per account: an account with a confirmed authenticator needs a code
after its password; with settings.REQUIRE_2FA (DJANGO_REQUIRE_2FA=1) an account
without one can do nothing in the editor but set one up. Recovery codes are
django-otp static tokens, each good once.
"""

import time

import qrcode
import qrcode.image.svg
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODE_COUNT = 10
PENDING_KEY = "two_factor_pending"
PENDING_SECONDS = 300
# Wrong codes allowed for one password login before the password is asked again.
PENDING_ATTEMPTS = 5


def authenticator(user, confirmed=True):
    return TOTPDevice.objects.devices_for_user(user, confirmed=confirmed).first()


def is_enabled(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def new_authenticator(user):
    """The unconfirmed authenticator being set up (made once, kept until confirmed)."""
    device = authenticator(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def qr_svg(device):
    """The device's otpauth:// address as an inline SVG QR code."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    return image.to_string(encoding="unicode")


def secret_text(device):
    """The secret in the base32 form apps accept when typed in, in groups of four."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def new_recovery_codes(user):
    """Replace the account's recovery codes with fresh ones; returns them (shown once)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes")
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def turn_off(user):
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


WRONG_CODE = "That code is not right (or was used already)."


def check_code(user, code):
    """(device, None) for the device accepting this code (app or recovery), else (None, why).

    django-otp slows guessing: after a wrong code a device accepts the next one
    only after a delay that doubles with each failure.
    """
    code = "".join(code.split()).lower()
    if code.isdigit():
        devices = TOTPDevice.objects.devices_for_user(user, confirmed=True)
    else:
        devices = StaticDevice.objects.devices_for_user(user, confirmed=True)
    error = WRONG_CODE
    for device in devices:
        allowed, extra = device.verify_is_allowed()
        if not allowed:
            wait = (extra or {}).get("locked_until")
            seconds = max(1, round((wait - timezone.now()).total_seconds())) if wait else None
            error = (
                f"Too many wrong codes: wait {seconds} seconds and try again."
                if seconds
                else "Too many wrong codes: wait a moment and try again."
            )
            continue
        if device.verify_token(code):
            return device, None
    return None, error


def start_pending(request, user, next_url):
    """Remember, in the session, a password login that still needs a code."""
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": user.backend,
        "next": next_url,
        "at": time.time(),
        "tries": 0,
    }


def pending(request):
    """(user, state) of the password login waiting for a code, or (None, None)."""
    state = request.session.get(PENDING_KEY)
    if not state or time.time() - state["at"] > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None, None
    user = get_user_model()._default_manager.filter(pk=state["user"], is_active=True).first()
    if user is None:
        return None, None
    user.backend = state["backend"]
    return user, state
