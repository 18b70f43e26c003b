"""The new pages in a real browser: axe in light and dark, at phone and desktop widths,
readable with JavaScript off, and the menu reaching each of them."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, WIDE, save_screenshot
from tests.content import add_content

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = {
    "page": "/projects/",
    "news": "/news/",
    "news-item": "/news/a-long-announcement-with-details/",
    "talks": "/talks/",
    "teaching": "/teaching/",
    "home-with-news": "/",
}
MODES = {"light": False, "dark": True}
WIDTHS = {"phone": PHONE, "wide": WIDE}


@pytest.fixture
def content(seeded):
    from profiles.models import HomeSection

    add_content()
    HomeSection.objects.filter(key=HomeSection.Key.NEWS).update(visible=True)
    from pagecache.freshness import mark_changed

    mark_changed()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", PAGES)
def test_no_serious_axe_violations(open_page, axe, content, name, mode, width):
    page = open_page(PAGES[name], dark=MODES[mode], viewport=WIDTHS[width], bypass_csp=True)
    assert axe(page) == []
    if width == "wide" or name != "home-with-news":
        save_screenshot(page, f"{name}-{width}-{mode}")


@pytest.mark.parametrize("name", PAGES)
def test_readable_without_javascript(open_page, content, name):
    page = open_page(PAGES[name], java_script_enabled=False)
    expect(page.locator("main h1")).to_be_visible()
    assert page.locator("main").inner_text().strip()


def test_the_menu_leads_to_every_section(open_page, content):
    page = open_page("/")
    nav = page.get_by_role("navigation", name="Site")
    names = ["about", "research", "news", "talks", "teaching", "Projects"]
    expect(nav.get_by_role("link")).to_have_text(["Mikita Balesni", *names])
    for name in names[1:]:
        nav.get_by_role("link", name=name, exact=True).click()
        expect(page.get_by_role("link", name=name, exact=True)).to_have_attribute(
            "aria-current", "page"
        )
        nav = page.get_by_role("navigation", name="Site")
