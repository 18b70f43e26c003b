"""The CV page and the editor's start page in a real browser, light and dark, wide and narrow."""

import pytest
from playwright.sync_api import expect

from tests.cv.conftest import load_alfolio_cv

from .conftest import PHONE, WIDE, log_in, save_screenshot

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = {"wide": WIDE, "phone": PHONE}
MODES = {"light": False, "dark": True}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("width", WIDTHS)
def test_cv_page_is_accessible_and_fits(open_page, axe, seeded, width, mode):
    load_alfolio_cv()
    page = open_page("/cv/", viewport=WIDTHS[width], dark=MODES[mode], bypass_csp=True)
    expect(page.get_by_role("heading", name="Positions")).to_be_visible()
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    save_screenshot(page, f"cv-{width}-{mode}")
    assert axe(page) == []


def test_cv_downloads_work_with_javascript_off(open_page, seeded):
    load_alfolio_cv()
    page = open_page("/cv/", java_script_enabled=False)
    pdf = page.request.get(page.get_by_role("link", name="PDF").get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF-")
    resume = page.request.get(page.get_by_role("link", name="JSON Resume").get_attribute("href"))
    assert resume.json()["basics"]["name"] == "Mikita Balesni"


@pytest.mark.parametrize("mode", MODES)
def test_start_page_is_accessible(open_page, editor, axe, seeded, mode):
    page = open_page("/admin/login/?next=/admin/", dark=MODES[mode], bypass_csp=True)
    log_in(page)
    expect(page.get_by_role("link", name="Add paper")).to_be_visible()
    expect(page.get_by_role("link", name="Site administration")).to_be_visible()
    save_screenshot(page, f"editor-start-{mode}")
    assert axe(page) == []
