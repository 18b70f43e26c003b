"""A full or read-only media disk is a form error that says so; the rest of the form stays."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from research.models import Person, Publication
from tests.forms import form_data, form_errors
from tests.servers import small_disk

pytestmark = pytest.mark.slow

ADD = "/admin/research/publication/add/"


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (500, 300), (250, 200, 10)).save(buffer, "PNG")
    return SimpleUploadedFile("figure.png", buffer.getvalue(), "image/png")


@pytest.fixture(params=["full", "read-only"])
def broken_disk(request, settings, tmp_path):
    with small_disk(tmp_path / "media", read_only=request.param == "read-only") as folder:
        settings.MEDIA_ROOT = folder
        yield request.param


def test_uploading_to_a_broken_disk_is_a_form_error_and_keeps_the_form(
    editor_client, broken_disk, settings
):
    person = Person.objects.create(name="Ada Lovelace")
    data = form_data(editor_client.get(ADD).content.decode(), "publication_form")
    data |= {
        "title": "Kept title",
        "date": "2025-02-01",
        "tldr": "Kept *tl;dr*.",
        "authorships-TOTAL_FORMS": "1",
        "authorships-0-person": str(person.pk),
        "authorships-0-position": "1",
        "thumbnail": png(),
    }
    response = editor_client.post(ADD, data)

    assert response.status_code == 200
    why = "disk is full" if broken_disk == "full" else "storage is read-only"
    (error,) = form_errors(response.content.decode())
    assert error.startswith(f"The file could not be stored: the server's {why}.")
    assert str(settings.MEDIA_ROOT) not in response.content.decode()
    again = form_data(response.content.decode(), "publication_form")
    assert again["title"] == "Kept title"
    assert again["tldr"] == "Kept *tl;dr*."
    assert not Publication.objects.exists()


def test_a_markdown_upload_to_a_broken_disk_says_why(editor_client, broken_disk):
    response = editor_client.post(
        "/markdownx/upload/",
        {"image": png()},
        headers={
            "x-requested-with": "XMLHttpRequest",
            "referer": "http://testserver/admin/research/publication/add/",
        },
    )
    assert response.status_code == 507
    assert response.json()["image"][0].startswith("The file could not be stored: the server's")
