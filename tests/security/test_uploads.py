"""Uploads: photo, thumbnails, markdownx images and PDFs (uploads/fields.py, images.py)."""

import io
import json
import os
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from profiles.models import Profile
from research.models import Authorship, Person, Publication
from tests.process import run_python

from .helpers import (
    errors_text,
    form_data,
    image_bytes,
    jpeg_with_orientation_and_gps,
    pdf_bytes,
    png_bomb,
    png_declaring,
)

# The editor page an upload comes from (its Referer): one the editor may save.
EDITOR_PAGE = "http://testserver/admin/research/publication/add/"


def noise_image(fmt, size=(300, 200)):
    buffer = io.BytesIO()
    Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(buffer, fmt)
    return buffer.getvalue()


def media_files():
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def profile(db):
    return Profile.objects.create(name="Ada Lovelace", bio="Hello.")


def post_profile(client, profile, **changes):
    url = reverse("admin:profile_profile_change", args=[profile.pk])
    data = form_data(client.get(url), "profile_form")
    data.update(changes)
    return client.post(url, data)


REJECTED_IMAGES = [
    # (case, file name, content, what the form says)
    (
        "svg",
        "photo.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        "SVG and HTML",
    ),
    (
        "svg-renamed-png",
        "photo.png",
        b'<?xml version="1.0"?><svg onload="alert(1)"/>',
        "SVG and HTML",
    ),
    ("html-renamed-png", "photo.png", b"<!DOCTYPE html><script>alert(1)</script>", "SVG and HTML"),
    (
        "html-fragment-renamed-jpg",
        "photo.jpg",
        b"<html><img src=x onerror=alert(1)>",
        "SVG and HTML",
    ),
    ("text-renamed-png", "photo.png", b"just some text, not a picture", "not a JPEG, PNG or WebP"),
    ("gif", "photo.gif", image_bytes("GIF"), "not a JPEG, PNG or WebP"),
    ("bmp", "photo.bmp", image_bytes("BMP"), "not a JPEG, PNG or WebP"),
    ("truncated-png", "photo.png", noise_image("PNG")[:9000], "damaged or incomplete"),
    ("truncated-jpeg", "photo.jpg", noise_image("JPEG")[:6000], "damaged or incomplete"),
    ("decompression-bomb", "photo.png", png_bomb(), "enormous size"),
    ("tiny-png-claiming-20000x20000", "photo.png", png_declaring(20000, 20000), "enormous size"),
    (
        "48-megapixels-declared",
        "photo.png",
        png_declaring(8000, 6000),
        "the limit is 40 megapixels",
    ),
    ("png-named-jpg", "photo.jpg", image_bytes("PNG"), "contains a PNG image"),
    ("jpeg-named-webp", "photo.webp", image_bytes("JPEG"), "contains a JPEG image"),
    ("webp-named-png", "photo.png", image_bytes("WEBP"), "contains a WEBP image"),
    ("empty-file", "photo.png", b"", "empty"),
]


@pytest.mark.parametrize(
    "name,content,message",
    [row[1:] for row in REJECTED_IMAGES],
    ids=[r[0] for r in REJECTED_IMAGES],
)
def test_bad_profile_photo_is_a_form_error_and_nothing_is_stored(
    editor_client, profile, name, content, message
):
    response = post_profile(
        editor_client, profile, photo=SimpleUploadedFile(name, content, "image/png")
    )
    assert response.status_code == 200
    assert message in errors_text(response)
    profile.refresh_from_db()
    assert not profile.photo
    assert media_files() == []


def test_image_over_the_upload_size_limit_is_refused(editor_client, profile, settings):
    settings.IMAGE_UPLOAD_MAX_BYTES = 20_000
    big = noise_image("PNG", (200, 200))
    assert len(big) > 20_000
    response = post_profile(editor_client, profile, photo=SimpleUploadedFile("big.png", big))
    assert "the limit is" in errors_text(response)
    profile.refresh_from_db()
    assert not profile.photo


def test_photo_is_turned_upright_stripped_of_metadata_and_resized(client, editor_client, profile):
    upload = SimpleUploadedFile("holiday.jpeg", jpeg_with_orientation_and_gps((1200, 600)))
    response = post_profile(editor_client, profile, photo=upload)
    assert response.status_code == 302, errors_text(response)

    profile.refresh_from_db()
    assert profile.photo.name.endswith(".jpg")
    with Image.open(profile.photo.path) as stored:
        assert stored.format == "JPEG"
        # 1200x600 rotated by its EXIF orientation is 600x1200; the photo slot is 800px.
        assert stored.size == (400, 800)
        assert dict(stored.getexif()) == {}
        assert not {"exif", "icc_profile", "xmp", "comment"} & set(stored.info)
        # The yellow top-left corner of the sensor image is now top right.
        r, g, b = stored.convert("RGB").getpixel((stored.width - 10, 10))
        assert r > 200 and g > 200 and b < 80
    assert b"SpyCam" not in Path(profile.photo.path).read_bytes()

    img = BeautifulSoup(client.get("/").content, "html.parser").select_one("img.profile-photo")
    # The page shows the upright (portrait) picture.
    assert int(img["height"]) == 2 * int(img["width"])


@pytest.mark.parametrize(
    "name,content,fmt,mode",
    [
        ("logo.png", image_bytes("PNG", (1000, 500), (0, 0, 0, 0), mode="RGBA"), "PNG", "RGBA"),
        ("shot.webp", image_bytes("WEBP", (900, 900)), "WEBP", "RGB"),
        ("scan.png", image_bytes("PNG", (50, 50), 128, mode="L"), "PNG", "RGB"),
    ],
    ids=["transparent-png", "webp", "greyscale-png"],
)
def test_png_and_webp_keep_their_format(editor_client, profile, name, content, fmt, mode):
    response = post_profile(editor_client, profile, photo=SimpleUploadedFile(name, content))
    assert response.status_code == 302, errors_text(response)
    profile.refresh_from_db()
    with Image.open(profile.photo.path) as stored:
        assert (stored.format, stored.mode) == (fmt, mode)
        assert max(stored.size) <= 800


@pytest.fixture
def paper(db):
    paper = Publication.objects.create(title="A paper", date="2024-01-01")
    Authorship.objects.create(publication=paper, person=Person.objects.create(name="Ada"))
    return paper


def post_paper(client, paper, **changes):
    url = reverse("admin:research_publication_change", args=[paper.pk])
    data = form_data(client.get(url), "publication_form")
    data.update(changes)
    return client.post(url, data)


def test_thumbnail_is_resized_to_the_listing_size(editor_client, paper):
    upload = SimpleUploadedFile("figure.png", image_bytes("PNG", (2400, 1200)))
    response = post_paper(editor_client, paper, thumbnail=upload)
    assert response.status_code == 302, errors_text(response)
    paper.refresh_from_db()
    assert (paper.thumbnail_width, paper.thumbnail_height) == (960, 480)


def test_html_thumbnail_is_refused(editor_client, paper):
    upload = SimpleUploadedFile("figure.png", b"<html><script>alert(1)</script></html>")
    response = post_paper(editor_client, paper, thumbnail=upload)
    assert "SVG and HTML" in errors_text(response)
    paper.refresh_from_db()
    assert not paper.thumbnail


REJECTED_PDFS = [
    (
        "html-renamed-pdf",
        "cv.pdf",
        b"<html><script>alert(1)</script></html>",
        "is not a PDF document",
    ),
    (
        "pdf-header-later",
        "cv.pdf",
        b"<html>%PDF-1.4 <script>x</script>\n%%EOF",
        "is not a PDF document",
    ),
    ("pdf-named-txt", "cv.txt", pdf_bytes(), "Upload a PDF file"),
    ("pdf-named-html", "cv.html", pdf_bytes(), "Upload a PDF file"),
    ("truncated-pdf", "cv.pdf", pdf_bytes()[:120], "incomplete PDF"),
]


@pytest.mark.parametrize(
    "name,content,message", [r[1:] for r in REJECTED_PDFS], ids=[r[0] for r in REJECTED_PDFS]
)
def test_bad_cv_is_a_form_error(editor_client, profile, name, content, message):
    response = post_profile(editor_client, profile, cv=SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert message in errors_text(response)
    profile.refresh_from_db()
    assert not profile.cv
    assert media_files() == []


def test_pdf_over_the_size_limit_is_refused(editor_client, paper, settings):
    settings.PDF_UPLOAD_MAX_BYTES = 1024 * 1024
    big = pdf_bytes("x" * (1024 * 1024))
    response = post_paper(editor_client, paper, pdf=SimpleUploadedFile("paper.pdf", big))
    assert "the limit is 1 MB" in errors_text(response)
    paper.refresh_from_db()
    assert not paper.pdf


def test_cv_pdf_is_stored_and_served_as_a_pdf(client, editor_client, profile):
    response = post_profile(editor_client, profile, cv=SimpleUploadedFile("cv.pdf", pdf_bytes()))
    assert response.status_code == 302, errors_text(response)
    profile.refresh_from_db()
    served = client.get(profile.cv.url)
    assert served.status_code == 200
    assert served["Content-Type"] == "application/pdf"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert b"".join(served.streaming_content) == pdf_bytes()


def test_other_media_files_are_served_as_downloads(client, db):
    # Under the Markdown editor's folder, whose files are public (uploads.owners).
    root = Path(settings.MEDIA_ROOT) / "markdownx"
    root.mkdir(parents=True, exist_ok=True)
    (root / "old.html").write_text("<script>alert(1)</script>")
    served = client.get("/" + settings.MEDIA_URL.strip("/") + "/markdownx/old.html")
    assert served["Content-Type"] == "application/octet-stream"
    assert served["Content-Disposition"] == "attachment"
    assert "sandbox" in served["Content-Security-Policy"]


MARKDOWNX_UPLOADS = [
    (
        "svg",
        "a.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "SVG and HTML",
    ),
    ("html-as-png", "a.png", b"<!doctype html><script>alert(1)</script>", "SVG and HTML"),
    ("bomb", "a.png", png_declaring(30000, 30000), "enormous size"),
    ("truncated", "a.jpg", noise_image("JPEG")[:5000], "damaged or incomplete"),
]


@pytest.mark.parametrize(
    "name,content,message",
    [r[1:] for r in MARKDOWNX_UPLOADS],
    ids=[r[0] for r in MARKDOWNX_UPLOADS],
)
def test_markdown_editor_upload_refuses_bad_images(editor_client, name, content, message):
    response = editor_client.post(
        reverse("markdownx_upload"),
        {"image": SimpleUploadedFile(name, content, "image/png")},
        headers={"x-requested-with": "XMLHttpRequest", "referer": EDITOR_PAGE},
    )
    assert response.status_code == 400
    assert message in json.dumps(response.json())
    assert media_files() == []


def test_markdown_editor_upload_stores_a_clean_image(editor_client):
    response = editor_client.post(
        reverse("markdownx_upload"),
        {"image": SimpleUploadedFile("p.jpg", jpeg_with_orientation_and_gps((3000, 1000)))},
        headers={"x-requested-with": "XMLHttpRequest", "referer": EDITOR_PAGE},
    )
    assert response.status_code == 200
    code = response.json()["image_code"]
    assert code.startswith("![](") and code.endswith(".jpg)")
    (stored,) = media_files()
    with Image.open(stored) as image:
        assert image.size == (533, 1600)
        assert dict(image.getexif()) == {}


def test_markdown_editor_upload_is_staff_only(client, db):
    response = client.post(
        reverse("markdownx_upload"), {"image": SimpleUploadedFile("a.png", image_bytes())}
    )
    assert response.status_code == 403
    assert media_files() == []


@pytest.mark.slow  # starts Python and Django in a subprocess to measure its memory
def test_decompression_bomb_is_refused_with_bounded_memory(tmp_path):
    """Decoding this file would need 1.6 GB; refusing it must not come close."""
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(png_declaring(20000, 20000, idat=b"\x78\x9c" + b"\x00" * 100))
    script = (
        "import resource, django, sys; django.setup();"
        "from uploads.images import normalize_image, ImageRejected;"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "try:\n normalize_image(open(sys.argv[1], 'rb'), (1920, 1920))\n"
        "except ImageRejected as e: print(e.messages[0])\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)"
    )
    result = run_python(
        ["-c", script, str(bomb)],
        tmp_path,
        {"DJANGO_SETTINGS_MODULE": "site_project.settings"},
        check=True,
    )
    message, grown_kb = result.stdout.strip().splitlines()
    assert "enormous size" in message
    assert int(grown_kb) < 50 * 1024


def test_request_over_the_total_limit_is_refused_before_it_is_read(
    editor_client, profile, settings
):
    settings.MAX_REQUEST_BYTES = 1024 * 1024
    photo = SimpleUploadedFile("big.png", noise_image("PNG", (800, 700)))
    response = post_profile(editor_client, profile, photo=photo)
    assert response.status_code == 413
    assert "the site accepts at most 1 MB per request" in response.content.decode()
    assert "Make the file smaller" in response.content.decode()
    profile.refresh_from_db()
    assert not profile.photo
    assert media_files() == []
