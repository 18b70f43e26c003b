"""Two-factor login in a real browser: set it up from the editor, then log in with a code."""

import time

import pytest
from playwright.sync_api import expect

from tests.accounts.test_two_factor import totp

from .conftest import EDITOR_PASSWORD, EDITOR_USERNAME

pytestmark = pytest.mark.django_db(transaction=True)


def test_turn_on_two_factor_then_log_in_with_a_code(admin_page):
    page = admin_page
    page.get_by_role("link", name="Two-factor login").click()
    expect(page.locator(".qr svg")).to_be_visible()
    secret = page.locator("code.secret").inner_text()
    page.get_by_label("Code").fill(totp(secret))
    page.get_by_role("button", name="Turn on two-factor login").click()
    expect(page.get_by_text("Two-factor login is on.")).to_be_visible()
    expect(page.locator(".recovery-codes li")).to_have_count(10)

    page.get_by_role("button", name="Log out").click()
    page.goto(page.url.split("/admin/")[0] + "/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(EDITOR_USERNAME)
    page.get_by_label("Password").fill(EDITOR_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_label("Code")).to_be_visible()
    page.get_by_label("Code").fill(totp(secret, time.time() + 30))
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Edit your homepage")).to_be_visible()
