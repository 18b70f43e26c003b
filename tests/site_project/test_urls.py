"""markdownx's endpoints answer staff only (it has no access check: CVE-2024-2319)."""

import io

import pytest
from PIL import Image

# The editor page an upload comes from (its Referer): one the editor may save.
EDITOR_PAGE = "http://testserver/admin/research/publication/add/"


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    buffer.seek(0)
    buffer.name = "x.png"
    return buffer


@pytest.mark.parametrize("path", ["/markdownx/markdownify/", "/markdownx/upload/"])
def test_anonymous_visitors_cannot_use_markdownx(client, db, path, settings):
    response = client.post(path, {"content": "**x**", "image": png_bytes()})
    assert response.status_code == 403
    assert not (settings.MEDIA_ROOT / "markdownx").exists()


def test_non_staff_users_cannot_use_markdownx(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("reader", password="pw-reader-1"))
    assert client.post("/markdownx/markdownify/", {"content": "x"}).status_code == 403


def test_the_editor_preview_uses_the_site_renderer(editor_client):
    response = editor_client.post(
        "/markdownx/markdownify/", {"content": "**bold** <script>alert(1)</script>"}
    )
    assert response.status_code == 200
    assert response.content.decode().strip() == "<p><strong>bold</strong> </p>"


def test_editor_image_upload_accepts_png_only_types(editor_client):
    response = editor_client.post(
        "/markdownx/upload/",
        {"image": png_bytes()},
        headers={"x-requested-with": "XMLHttpRequest", "referer": EDITOR_PAGE},
    )
    assert response.status_code == 200 and "image_code" in response.json()
    svg = io.BytesIO(b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>")
    svg.name = "x.svg"
    response = editor_client.post(
        "/markdownx/upload/",
        {"image": svg},
        headers={"x-requested-with": "XMLHttpRequest", "referer": EDITOR_PAGE},
    )
    assert response.status_code == 400
