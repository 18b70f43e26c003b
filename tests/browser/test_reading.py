"""A visitor reads the site in a real browser, on a wide screen and a phone, light and dark."""

import json

import pytest
from playwright.sync_api import expect

from profiles.seeding import SEED_FILE

from .conftest import PHONE, WIDE, save_screenshot

pytestmark = pytest.mark.django_db(transaction=True)

SEED_PAPERS = {p["slug"]: p for p in json.loads(SEED_FILE.read_text())["publications"]}

PAGES = {
    "home": "/",
    "paper": "/research/reversal-curse/",
}
WIDTHS = {"wide": WIDE, "phone": PHONE}
MODES = {"light": False, "dark": True}

# Lazy images load only near the viewport; ask for all of them and wait until each
# has decoded (decode() rejects for a broken image, which fails the test).
LOAD_ALL_IMAGES = """() => Promise.all([...document.images].map(img => {
    img.loading = "eager";
    return img.decode().then(() => img.naturalWidth);
}))"""


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_page_fits_the_screen_and_loads_only_from_the_site(
    open_page, site, seeded, name, width, mode
):
    page = open_page(None, viewport=WIDTHS[width], dark=MODES[mode])
    requested, failed, errors = [], [], []
    page.on("request", lambda request: requested.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda msg: errors.append((msg.text, msg.location)) if msg.type == "error" else None,
    )
    page.on(
        "response",
        lambda response: (
            failed.append((response.status, response.url)) if response.status >= 400 else None
        ),
    )
    page.goto(PAGES[name])
    widths = page.evaluate(LOAD_ALL_IMAGES)
    assert all(w > 0 for w in widths), widths

    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{PAGES[name]} scrolls sideways by {overflow}px at {width}"
    assert [url for url in requested if not url.startswith(site)] == []
    assert failed == []
    assert errors == []  # script errors, or anything the Content-Security-Policy blocked
    save_screenshot(page, f"{name}-{width}-{mode}")


def test_homepage_papers_link_to_arxiv_and_code(open_page, seeded):
    page = open_page("/")
    papers = page.locator(".research .paper")
    expect(papers).to_have_count(len(SEED_PAPERS))
    for i in range(len(SEED_PAPERS)):
        paper = papers.nth(i)
        title = paper.locator(".title a")
        seed = next(p for p in SEED_PAPERS.values() if p["title"] == title.inner_text())
        expect(title).to_have_attribute("href", f"https://arxiv.org/abs/{seed['arxiv']}")
        code = paper.get_by_role("link", name="Code", exact=True)
        if seed["code_url"]:
            expect(code).to_have_attribute("href", seed["code_url"])
        else:
            expect(code).to_have_count(0)


def test_paper_page_links_to_arxiv_pdf_and_code(open_page, seeded):
    seed = SEED_PAPERS["reversal-curse"]
    page = open_page("/research/reversal-curse/")
    expect(page.get_by_role("heading", level=1)).to_have_text(seed["title"])
    links = page.locator(".links")
    expect(links.get_by_role("link", name="Paper")).to_have_attribute(
        "href", f"https://arxiv.org/abs/{seed['arxiv']}"
    )
    expect(links.get_by_role("link", name="PDF")).to_have_attribute(
        "href", f"https://arxiv.org/pdf/{seed['arxiv']}"
    )
    expect(links.get_by_role("link", name="Code")).to_have_attribute("href", seed["code_url"])
