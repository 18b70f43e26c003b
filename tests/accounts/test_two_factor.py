"""The editor's login, as a browser goes through it: password, then a code from the app."""

import base64
import hashlib
import hmac
import re
import struct
import time

import pytest
from bs4 import BeautifulSoup

LOGIN = "/admin/login/"
PASSWORD = "correct-horse-battery-staple"


def totp(secret, at=None, step=30):
    """RFC 6238 code for a base32 secret, computed here as an authenticator app would."""
    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


@pytest.fixture
def owner(django_user_model):
    return django_user_model.objects.create_superuser("owner", "owner@example.org", PASSWORD)


def a_while_ago():
    """As if the delay after the last wrong code had passed."""
    from datetime import timedelta

    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.update(throttling_failure_timestamp=timezone.now() - timedelta(hours=1))


def log_in(client, username="owner", password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def turn_on_two_factor(client):
    """Set up the app through the editor's page; returns (secret, recovery codes)."""
    page = BeautifulSoup(client.get("/admin/two-factor/").content, "html.parser")
    assert page.select_one(".qr svg") is not None
    secret = page.select_one("code.secret").get_text()
    response = client.post("/admin/two-factor/", {"action": "confirm", "code": totp(secret)})
    page = BeautifulSoup(response.content, "html.parser")
    assert "Two-factor login is on." in page.get_text()
    codes = [li.get_text() for li in page.select(".recovery-codes li")]
    assert len(codes) == 10 and len(set(codes)) == 10
    return secret, codes


def test_without_two_factor_the_password_is_enough(client, owner):
    response = log_in(client)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_with_two_factor_the_password_alone_does_not_log_in(client, owner, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # a wait no slow test machine outlasts
    log_in(client)
    secret, _ = turn_on_two_factor(client)
    client.post("/admin/logout/")

    response = log_in(client)
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/verify/"
    # Half logged in is not logged in.
    assert client.get("/admin/")["Location"].startswith(LOGIN)

    wrong = client.post("/admin/login/verify/", {"code": "000000"})
    assert "That code is not right" in wrong.content.decode()
    assert client.get("/admin/").status_code == 302

    # django-otp slows guessing: right after a wrong code, even the right one waits.
    next_code = totp(secret, time.time() + 30)  # the setup code was used: the app's next one
    slowed = client.post("/admin/login/verify/", {"code": next_code})
    assert re.search(r"Too many wrong codes: wait \d+ seconds", slowed.content.decode())
    a_while_ago()
    response = client.post("/admin/login/verify/", {"code": next_code})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_recovery_code_logs_in_once(client, owner):
    log_in(client)
    _, codes = turn_on_two_factor(client)
    client.post("/admin/logout/")

    log_in(client)
    response = client.post("/admin/login/verify/", {"code": codes[0]}, follow=True)
    assert "You used a recovery code; 9 left." in response.content.decode()
    client.post("/admin/logout/")

    log_in(client)
    reused = client.post("/admin/login/verify/", {"code": codes[0]})
    assert "That code is not right" in reused.content.decode()
    assert client.get("/admin/").status_code == 302


def test_too_many_wrong_codes_ask_for_the_password_again(client, owner):
    log_in(client)
    turn_on_two_factor(client)
    client.post("/admin/logout/")
    log_in(client)
    for _ in range(5):
        response = client.post("/admin/login/verify/", {"code": "123456"})
        a_while_ago()
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert client.get("/admin/login/verify/")["Location"] == LOGIN


def test_required_two_factor_sends_an_account_without_it_to_the_setup(client, owner, settings):
    settings.REQUIRE_2FA = True
    response = log_in(client)
    assert response.status_code == 302
    # Nothing in the editor until it is set up.
    assert client.get("/admin/")["Location"].startswith(LOGIN)
    assert client.get(LOGIN)["Location"] == "/admin/two-factor/"
    assert client.get("/admin/research/publication/").status_code == 302
    page = client.get("/admin/two-factor/").content.decode()
    assert "This site requires two-factor login" in page

    turn_on_two_factor(client)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/research/publication/").status_code == 200


def test_turning_it_off_needs_a_current_code(client, owner):
    log_in(client)
    secret, _ = turn_on_two_factor(client)
    refused = client.post("/admin/two-factor/", {"action": "off", "code": "000000"})
    assert "That code is not right" in refused.content.decode()
    a_while_ago()

    client.post("/admin/two-factor/", {"action": "off", "code": totp(secret, time.time() + 30)})
    client.post("/admin/logout/")
    assert log_in(client)["Location"] == "/admin/"


def test_guesses_from_many_addresses_slow_the_account_but_not_its_owner(
    client, owner, django_user_model
):
    from django.test import Client

    # The owner's browser has logged in before: it carries the known-device cookie.
    assert log_in(client)["Location"] == "/admin/"
    client.post("/admin/logout/")

    attacker = Client()
    for n in range(10):
        response = log_in(attacker, password=f"guess-{n}", REMOTE_ADDR=f"203.0.113.{n}")
        assert "Please enter the correct username and password" in response.content.decode()
    # The eleventh guess, from a fresh address, is not even tried: even the right password.
    response = log_in(attacker, REMOTE_ADDR="203.0.113.99")
    assert response.status_code == 200
    assert re.search(
        r"Too many failed logins for this account\. Try again in \d+ seconds\.",
        response.content.decode(),
    )
    assert attacker.get("/admin/").status_code == 302

    # The owner, from the known browser and another address, logs straight in.
    response = log_in(client, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    # Other accounts are not affected.
    django_user_model.objects.create_superuser("other", "o@example.org", PASSWORD)
    assert log_in(Client(), username="other", REMOTE_ADDR="203.0.113.50")["Location"] == "/admin/"


def test_required_two_factor_also_guards_the_markdown_endpoints(client, owner, settings):
    settings.REQUIRE_2FA = True
    log_in(client)
    response = client.post("/markdownx/markdownify/", {"content": "**hi**"})
    assert response.status_code == 403
    turn_on_two_factor(client)
    assert client.post("/markdownx/markdownify/", {"content": "**hi**"}).status_code == 200
