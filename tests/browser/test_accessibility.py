"""Accessibility in a real browser, light and dark: axe-core plus what it cannot judge alone."""

import pytest
from playwright.sync_api import expect

from profiles.models import Profile
from research.models import Publication

pytestmark = pytest.mark.django_db(transaction=True)

PUBLIC_PAGES = {
    "home": "/",
    "research": "/research/",
    "paper": "/research/reversal-curse/",
    "tag": "/research/tags/situational-awareness/",
}
PAGES = {**PUBLIC_PAGES, "admin-login": "/admin/login/"}
MODES = {"light": False, "dark": True}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", PAGES)
def test_no_serious_axe_violations(open_page, axe, seeded, name, mode):
    page = open_page(PAGES[name], dark=MODES[mode], bypass_csp=True)
    assert axe(page) == []


def relative_luminance(rgb):
    """WCAG relative luminance of a CSS rgb()/rgba() colour string."""
    channels = [int(float(c)) / 255 for c in rgb[rgb.index("(") + 1 : -1].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a, b):
    light, dark = sorted([relative_luminance(a), relative_luminance(b)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


COLOURS = """() => {
    const style = (sel) => getComputedStyle(document.querySelector(sel));
    return {
        background: style("body").backgroundColor,
        text: style("body").color,
        link: style(".bio a").color,
        muted: style(".site-footer").color,
    };
}"""


@pytest.mark.parametrize("mode", MODES)
def test_colour_scheme_follows_the_system_setting_with_readable_contrast(open_page, seeded, mode):
    colours = open_page("/", dark=MODES[mode]).evaluate(COLOURS)
    background = relative_luminance(colours["background"])
    assert (background < 0.05) if mode == "dark" else (background > 0.9), colours
    for role in ("text", "link", "muted"):
        assert contrast(colours[role], colours["background"]) >= 4.5, (role, colours)


FOCUSED_OUTLINE = """() => {
    const el = document.activeElement, s = getComputedStyle(el);
    return {tag: el.tagName, text: el.textContent.trim(), style: s.outlineStyle,
            width: parseFloat(s.outlineWidth), color: s.outlineColor};
}"""


@pytest.mark.parametrize("mode", MODES)
def test_keyboard_focus_is_visible(open_page, seeded, mode):
    page = open_page("/", dark=MODES[mode])
    background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    # The first stops: skip link, header links, then links in the bio.
    for _ in range(6):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUSED_OUTLINE)
        assert focus["tag"] == "A", focus
        assert focus["style"] != "none" and focus["width"] >= 2, focus
        assert contrast(focus["color"], background) >= 3, focus


@pytest.mark.parametrize("mode", MODES)
def test_copy_button_shows_keyboard_focus(open_page, seeded, mode):
    page = open_page("/research/", dark=MODES[mode])
    background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    expect(page.get_by_role("button").first).to_be_visible()
    for _ in range(60):  # past the search form, a few links into the archive
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUSED_OUTLINE)
        if focus["tag"] == "BUTTON" and focus["text"] == "Copy":
            break
    assert focus["tag"] == "BUTTON" and focus["text"] == "Copy", focus
    assert focus["style"] != "none" and focus["width"] >= 2, focus
    assert contrast(focus["color"], background) >= 3, focus


def test_skip_link_appears_on_focus_and_jumps_to_content(open_page, seeded):
    page = open_page("/")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).not_to_be_in_viewport()
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    # The next stop is inside the main content, past the header's links.
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_photo_and_thumbnails_are_described_by_name_and_title(open_page, seeded, name):
    page = open_page(PUBLIC_PAGES[name])
    images = page.locator("main img")
    expect(images.first).to_be_attached()
    expected = {
        "home": [
            Profile.load().name,
            *Publication.objects.highlighted().values_list("title", flat=True),
        ],
        "research": Publication.objects.values_list("title", flat=True),
        "paper": [Publication.objects.get(slug="reversal-curse").title],
        "tag": Publication.objects.filter(tags__slug="situational-awareness").values_list(
            "title", flat=True
        ),
    }[name]
    assert sorted(images.evaluate_all("imgs => imgs.map(i => i.alt)")) == sorted(expected)
    expect(page.locator("img:not([alt])")).to_have_count(0)


HEADING_LEVELS = """() => [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")]
    .map(h => Number(h.tagName[1]))"""


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_language_set_and_headings_in_order(open_page, seeded, name):
    page = open_page(PUBLIC_PAGES[name])
    expect(page.locator("html")).to_have_attribute("lang", "en")
    levels = page.evaluate(HEADING_LEVELS)
    assert levels[0] == 1 and levels.count(1) == 1, levels
    jumps = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
    assert jumps == [], levels


def test_axe_check_catches_real_problems(page, axe):
    """The checker itself: a page with known faults must not pass."""
    page.set_content(
        '<html><body><img src="/static/css/site.css">'
        '<p style="color:#bbb;background:#fff">faint</p></body></html>'
    )
    assert {v["id"] for v in axe(page)} >= {"image-alt", "color-contrast", "html-has-lang"}
