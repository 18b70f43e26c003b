"""The owner edits in the admin, in a real browser; each flow ends on what a visitor sees."""

import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from profiles.models import Profile
from research.models import Publication

from .conftest import PHONE, WIDE, rss_titles

pytestmark = pytest.mark.django_db(transaction=True)


def save(page, button="Save"):
    page.get_by_role("button", name=button, exact=True).click()
    expect(page.locator(".messagelist .success")).to_be_visible()


def drag_handle(row):
    """The row's drag handle (adminsortable2 puts it in the first cell)."""
    return row.locator("td.original p")


def test_bio_edit_shows_live_preview_then_homepage(admin_page, seeded):
    page = admin_page
    page.goto("/admin/profile/profile/1/change/")
    preview = page.locator(".field-bio .markdownx-preview")
    expect(preview.locator("strong")).to_have_count(0)

    page.locator("#id_bio").fill(
        "I study **careful browsers** and [honest tests](https://example.org/tests).\n\n"
        # A missing picture of the site's own (a relative "x" would be fetched under
        # /admin/ and could use up the editor's "saved" message).
        '<img src="/media/missing.png" onerror="document.title=\'pwned\'">'
    )
    expect(preview.locator("strong")).to_have_text("careful browsers")
    expect(preview.get_by_role("link", name="honest tests")).to_have_attribute(
        "href", "https://example.org/tests"
    )
    # The preview goes through the same sanitizer as the page: no event handlers survive.
    expect(preview.locator("[onerror]")).to_have_count(0)

    save(page)
    page.goto("/")
    bio = page.locator(".bio")
    expect(bio.locator("strong")).to_have_text("careful browsers")
    expect(bio.get_by_role("link", name="honest tests")).to_have_attribute(
        "href", "https://example.org/tests"
    )
    expect(bio).not_to_contain_text("Apollo Research")
    expect(bio.locator("[onerror]")).to_have_count(0)
    assert page.title() != "pwned"


# How many of an element's text lines overlap an image's box.
LINES_OVER_IMAGE = """(element, img) => {
    const range = document.createRange();
    range.selectNodeContents(element);
    const b = img.getBoundingClientRect();
    return [...range.getClientRects()].filter(
        r => r.right > b.left && r.left < b.right && r.bottom > b.top && r.top < b.bottom
    ).length;
}"""


# The colour at the middle of an image as the browser decoded it.
CENTRE_PIXEL = """img => {
    const canvas = document.createElement("canvas");
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const context = canvas.getContext("2d");
    context.drawImage(img, 0, 0);
    const [r, g, b] = context.getImageData(canvas.width / 2, canvas.height / 2, 1, 1).data;
    return [r, g, b];
}"""


NEW_PHOTO_RGB = (200, 60, 40)


@pytest.fixture
def new_photo(tmp_path):
    # Wider than tall, so a circle can only come from the page's own cropping.
    path = tmp_path / "new-portrait.png"
    Image.new("RGB", (480, 320), NEW_PHOTO_RGB).save(path)
    return path


def test_uploaded_photo_is_shown_circular_beside_bio_and_above_it_on_phone(
    admin_page, open_page, seeded, new_photo
):
    page = admin_page
    page.goto("/admin/profile/profile/1/change/")
    page.locator("#id_photo").set_input_files(new_photo)
    page.locator("#id_photo_circular").check()
    page.locator("#id_photo_alignment").select_option("right")
    save(page)
    # Stored under a folder named after its content (uploads.fields), with its own name.
    stored = Profile.load().photo.name
    assert re.fullmatch(r"profile/[0-9a-f]{32}/new-portrait\.png", stored)

    for viewport in (None, PHONE):
        home = open_page("/", **({"viewport": viewport} if viewport else {}))
        photo = home.get_by_role("img", name="Mikita Balesni")
        expect(photo).to_have_attribute("src", re.compile(r"^/media/.*new-portrait"))
        expect(photo).to_have_js_property("complete", True)
        pixel = photo.evaluate(CENTRE_PIXEL)  # resized copies may shift colours a little
        assert all(abs(a - b) <= 8 for a, b in zip(pixel, NEW_PHOTO_RGB, strict=True)), pixel
        assert photo.evaluate("img => getComputedStyle(img).borderRadius") == "50%"
        box = photo.bounding_box()
        assert abs(box["width"] - box["height"]) <= 1, "the circle is not round"

        bio_text = home.locator(".bio p").first
        bio = bio_text.bounding_box()
        if viewport is None:
            # Wide: in the right half, level with the bio, whose lines wrap around it.
            assert box["x"] > WIDE["width"] / 2
            assert box["y"] < bio["y"] + bio["height"]
            assert bio_text.evaluate(LINES_OVER_IMAGE, photo.element_handle()) == 0
        else:
            # Phone: above the bio, centred.
            assert box["y"] + box["height"] <= bio["y"]
            centre = box["x"] + box["width"] / 2
            assert abs(centre - PHONE["width"] / 2) < 20


def choose_person(page, row, name):
    """Pick a person in the admin's autocomplete (select2) box of an inline row."""
    row.locator(".select2-selection").click()
    search = page.locator(".select2-container--open .select2-search__field")
    search.fill(name)
    page.locator(".select2-results__option", has_text=name).first.click()
    expect(row.locator(".select2-selection__rendered")).to_have_text(name)


def author_rows(page):
    return page.locator("#authorships-group tbody tr.has_original")


def test_new_publication_with_dragged_authors_leads_homepage(admin_page, open_page, seeded):
    page = admin_page
    page.goto("/admin/research/publication/add/")
    page.get_by_label("Title:").fill("Browsers Are People Too")
    page.get_by_label("Date:", exact=True).fill("2025-06-02")
    page.get_by_label("Primary link:").fill("https://arxiv.org/abs/2506.00001")
    page.get_by_label("Code link:").fill("https://github.com/example/browsers")

    rows = page.locator("#authorships-group tbody tr.dynamic-authorships")
    choose_person(page, rows.nth(0), "Mikita Balesni")
    page.get_by_role("button", name="Add another Author").click()
    choose_person(page, rows.nth(1), "Owain Evans")
    page.get_by_role("button", name="Add another Author").click()
    # A co-author who is not in the database yet, created from the row itself.
    with page.expect_popup() as popup_info:
        rows.nth(2).get_by_title("Add another person").click()
    popup = popup_info.value
    popup.get_by_label("Name:").fill("Ada Newcomer")
    with popup.expect_event("close"):
        popup.get_by_role("button", name="Save", exact=True).click()
    expect(rows.nth(2).locator(".select2-selection__rendered")).to_have_text("Ada Newcomer")

    # adminsortable2 lets only saved rows be dragged: save once, as an editor would.
    save(page, "Save and continue editing")
    names = author_rows(page).locator("td.field-person .select2-selection__rendered")
    expect(names).to_have_text(["Mikita Balesni", "Owain Evans", "Ada Newcomer"])

    # Drag the newcomer to the top, then Owain above Mikita's row.
    rows = author_rows(page)
    drag_handle(rows.nth(2)).drag_to(drag_handle(rows.nth(0)))
    expect(names).to_have_text(["Ada Newcomer", "Mikita Balesni", "Owain Evans"])
    drag_handle(rows.nth(2)).drag_to(drag_handle(rows.nth(1)))
    expect(names).to_have_text(["Ada Newcomer", "Owain Evans", "Mikita Balesni"])

    rows.nth(0).locator("input[name$='-marks']").fill("*")
    rows.nth(1).locator("input[name$='-marks']").fill("*")
    page.get_by_label("Highlighted").check()
    save(page)

    paper = Publication.objects.get(title="Browsers Are People Too")
    assert [a.name for a in paper.authors] == ["Ada Newcomer", "Owain Evans", "Mikita Balesni"]

    home = open_page("/")
    first = home.locator(".research .paper").first
    expect(first.locator(".title")).to_have_text("Browsers Are People Too")
    expect(first.locator(".authors")).to_have_text("Ada Newcomer*, Owain Evans*, Mikita Balesni")
    expect(first.locator(".authors b")).to_have_text("Mikita Balesni")
    expect(home.locator(".equal-contribution")).to_have_text("* equal contribution")
    expect(first.get_by_role("link", name="Code")).to_have_attribute(
        "href", "https://github.com/example/browsers"
    )
    assert rss_titles(home, "/research/feed/")[0] == "Browsers Are People Too"


def test_dragging_social_links_reorders_homepage_row(admin_page, open_page, seeded):
    before = [link.label for link in Profile.load().visible_links()]
    assert before[0] != "Twitter"
    page = admin_page
    page.goto("/admin/profile/profile/1/change/")
    rows = page.locator("#links-group tbody tr.has_original")
    twitter = rows.filter(has=page.locator("td.field-label input[value='Twitter']"))

    drag_handle(twitter).drag_to(drag_handle(rows.first))
    expect(rows.first.locator("td.field-label input")).to_have_value("Twitter")
    save(page)

    expected = ["Twitter"] + [label for label in before if label != "Twitter"]
    home = open_page("/")
    expect(home.locator(".social a")).to_have_text(expected)


def test_unticking_highlighted_in_change_list_removes_paper_from_homepage(
    admin_page, open_page, seeded
):
    paper = Publication.objects.get(slug="reversal-curse")
    home = open_page("/")
    expect(home.locator(".research .paper .title", has_text=paper.title)).to_have_count(1)

    page = admin_page
    page.goto("/admin/research/publication/")
    row = page.locator("#result_list tbody tr", has_text=paper.title)
    row.locator("input[name$='-highlighted']").uncheck()
    save(page)

    home.reload()
    expect(home.locator(".research .paper")).to_have_count(4)
    expect(home.locator(".research")).not_to_contain_text(paper.title)
    # Still in the archive, just no longer marked as highlighted.
    home.goto("/research/")
    listed = home.locator(".research .paper", has_text=paper.title)
    expect(listed).to_have_count(1)
    expect(listed.locator(".badge")).to_have_count(0)
