"""Pasting an image into the Markdown editor needs the right to change what is edited."""

import io

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from research.models import Publication

UPLOAD = "/markdownx/upload/"


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 200, 90)).save(buffer, "PNG")
    return SimpleUploadedFile("figure.png", buffer.getvalue(), "image/png")


def upload(client, referer):
    headers = {"x-requested-with": "XMLHttpRequest"}
    if referer:
        headers["referer"] = f"http://testserver{referer}"
    return client.post(UPLOAD, {"image": png()}, headers=headers)


def stored_uploads(settings):
    folder = settings.MEDIA_ROOT / "markdownx"
    return sorted(folder.rglob("*.*")) if folder.exists() else []


@pytest.fixture
def paper(db):
    return Publication.objects.create(title="Draft", date="2024-01-01")


def staff(client, django_user_model, *codenames):
    user = django_user_model.objects.create_user("helper", password="pw-helper-123", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "codenames", [(), ("view_publication",)], ids=["no-permission", "view-only"]
)
def test_staff_who_may_not_change_the_paper_cannot_upload(
    client, django_user_model, settings, paper, codenames
):
    helper = staff(client, django_user_model, *codenames)
    for page in (
        f"/admin/research/publication/{paper.pk}/change/",
        "/admin/research/publication/add/",
    ):
        response = upload(helper, page)
        assert response.status_code == 403
        assert "allowed to change" in response.json()["image"][0]
    assert stored_uploads(settings) == []


def test_an_editor_of_the_paper_can_upload_from_its_page(
    client, django_user_model, settings, paper
):
    editor = staff(client, django_user_model, "view_publication", "change_publication")
    response = upload(editor, f"/admin/research/publication/{paper.pk}/change/")
    assert response.status_code == 200
    assert response.json()["image_code"].startswith("![](/media/markdownx/")
    assert len(stored_uploads(settings)) == 1
    # Not from a page they could not save, nor from nowhere, nor from another site.
    assert upload(editor, "/admin/research/publication/add/").status_code == 403
    assert upload(editor, "/admin/profile/profile/1/change/").status_code == 403
    assert upload(editor, None).status_code == 403
    other_site = editor.post(
        UPLOAD,
        {"image": png()},
        headers={"referer": f"https://evil.example/admin/research/publication/{paper.pk}/change/"},
    )
    assert other_site.status_code == 403


def test_uploads_are_capped_per_user_per_hour(editor_client, settings):
    settings.MARKDOWN_UPLOADS_PER_HOUR = 3
    for _ in range(3):
        assert upload(editor_client, "/admin/research/publication/add/").status_code == 200
    response = upload(editor_client, "/admin/research/publication/add/")
    assert response.status_code == 429
    assert "You uploaded 3 images in the last hour" in response.json()["image"][0]
    assert len(stored_uploads(settings)) == 3
