"""A visitor reads the site in a real browser, on a wide screen and a phone, light and dark."""

import json

import pytest
from playwright.sync_api import expect

from home.seeding import SEED_FILE

from .conftest import PHONE, WIDE, rss_titles, save_screenshot

pytestmark = pytest.mark.django_db(transaction=True)

SEED_PAPERS = {p["slug"]: p for p in json.loads(SEED_FILE.read_text())["publications"]}

PAGES = {
    "home": "/",
    "research": "/research/",
    "paper": "/research/reversal-curse/",
    "tag": "/research/tags/situational-awareness/",
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


def listed_seed_papers(page):
    """Each listed entry with its title link and the seed paper it shows."""
    papers = page.locator(".research .paper")
    expect(papers).to_have_count(len(SEED_PAPERS))
    for i in range(len(SEED_PAPERS)):
        paper = papers.nth(i)
        title = paper.locator(".title a")
        slug, seed = next(
            (k, p) for k, p in SEED_PAPERS.items() if p["title"] == title.inner_text()
        )
        yield paper, title, slug, seed


def test_homepage_papers_link_to_arxiv_code_and_bibtex(open_page, seeded):
    page = open_page("/")
    for paper, title, slug, seed in listed_seed_papers(page):
        expect(title).to_have_attribute("href", f"https://arxiv.org/abs/{seed['arxiv']}")
        expect(paper.get_by_role("link", name="BibTeX")).to_have_attribute(
            "href", f"/research/{slug}.bib"
        )
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


def test_research_archive_links_each_paper_its_page_arxiv_pdf_code_and_bibtex(open_page, seeded):
    page = open_page("/research/")
    for paper, title, slug, seed in listed_seed_papers(page):
        expect(title).to_have_attribute("href", f"/research/{slug}/")
        links = paper.locator(".links")
        arxiv = seed["arxiv"]
        expect(links.get_by_role("link", name="Paper")).to_have_attribute(
            "href", f"https://arxiv.org/abs/{arxiv}"
        )
        expect(links.get_by_role("link", name="PDF")).to_have_attribute(
            "href", f"https://arxiv.org/pdf/{arxiv}"
        )
        code = links.get_by_role("link", name="Code", exact=True)
        if seed["code_url"]:
            expect(code).to_have_attribute("href", seed["code_url"])
        else:
            expect(code).to_have_count(0)
        bibtex = links.get_by_role("link", name="BibTeX")
        expect(bibtex).to_have_attribute("href", f"/research/{slug}.bib")
        entry = page.request.get(bibtex.get_attribute("href"))
        assert entry.ok
        assert entry.text().lstrip().startswith("@")
        assert arxiv in entry.text()


def test_tag_page_lists_only_that_tags_papers(open_page, seeded):
    page = open_page("/research/")
    page.locator(".paper", has_text=SEED_PAPERS["taken-out-of-context"]["title"]).locator(
        ".tags"
    ).get_by_role("link", name="situational awareness").click()
    expect(page).to_have_url(
        f"{page.url.split('/research/')[0]}/research/tags/situational-awareness/"
    )
    tagged = sorted(
        p["title"] for p in SEED_PAPERS.values() if "situational awareness" in p["tags"]
    )
    titles = page.locator(".research .paper .title a")
    expect(titles).to_have_count(len(tagged))
    assert sorted(titles.all_inner_texts()) == tagged


def test_paper_page_bibtex_and_copy_button(open_page, seeded):
    page = open_page("/research/reversal-curse/", permissions=["clipboard-read", "clipboard-write"])
    expect(page.get_by_role("link", name="BibTeX")).to_have_attribute(
        "href", "/research/reversal-curse.bib"
    )
    shown = page.locator("pre.bibtex").inner_text()
    assert "2309.12288" in shown

    page.get_by_role("button", name="Copy BibTeX").click()
    expect(page.locator(".cite [role=status]")).to_have_text("Copied.")
    assert page.evaluate("() => navigator.clipboard.readText()").strip() == shown.strip()


def test_archive_copy_button_copies_the_papers_bibtex_file(open_page, seeded):
    title = SEED_PAPERS["reversal-curse"]["title"]
    page = open_page("/research/", permissions=["clipboard-read", "clipboard-write"])
    paper = page.locator(".research .paper", has_text=title)
    paper.get_by_role("button", name=f"Copy BibTeX of {title}").click()
    expect(paper.get_by_role("status")).to_have_text("Copied.")
    expected = page.request.get("/research/reversal-curse.bib").text()
    assert page.evaluate("() => navigator.clipboard.readText()") == expected
    assert "2309.12288" in expected


def test_rss_feed_lists_papers_newest_first(open_page, seeded):
    page = open_page("/")
    feed_url = page.locator("link[rel=alternate][type='application/rss+xml']").get_attribute("href")
    titles = rss_titles(page, feed_url)
    newest_first = sorted(SEED_PAPERS.values(), key=lambda p: p["arxiv"], reverse=True)
    assert titles == [p["title"] for p in newest_first]


def test_paper_page_without_javascript_still_offers_the_citation(open_page, seeded):
    page = open_page("/research/reversal-curse/", java_script_enabled=False)
    expect(page.get_by_role("link", name="BibTeX")).to_have_attribute(
        "href", "/research/reversal-curse.bib"
    )
    expect(page.locator("pre.bibtex")).to_contain_text("2309.12288")
    # The copy button is added by script, so without it there is none to fail.
    expect(page.get_by_role("button")).to_have_count(0)
