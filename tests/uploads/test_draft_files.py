"""A draft's files: unguessable addresses, and served only to editors until it is published."""

import io
import re

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from PIL import Image

from research.models import Publication

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (600, 400), (90, 20, 160)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def draft(db):
    paper = Publication(title="Secret result", date="2024-05-01", status="draft")
    paper.pdf = ContentFile(PDF, name="secret.pdf")
    paper.thumbnail = ContentFile(png(), name="secret.png")
    paper.save()
    return Publication.objects.get(pk=paper.pk)


def file_urls(paper):
    from uploads.renditions import DISPLAY_WIDTHS, make_renditions

    renditions = make_renditions(paper.thumbnail, DISPLAY_WIDTHS["thumbnail"])
    return [paper.pdf.url, paper.thumbnail.url] + [
        r.url for items in renditions.values() for r in items
    ]


def test_uploads_are_stored_under_unguessable_names(client, draft):
    assert re.fullmatch(r"papers/[0-9a-f]{32}/secret\.pdf", draft.pdf.name)
    assert re.fullmatch(r"thumbnails/[0-9a-f]{32}/secret\.png", draft.thumbnail.name)
    for guess in ("/media/papers/secret.pdf", "/media/thumbnails/secret.png"):
        assert client.get(guess).status_code == 404


def test_a_drafts_files_are_404_for_visitors_and_staff_without_permission(
    client, django_user_model, draft
):
    urls = file_urls(draft)
    assert len(urls) >= 6
    for url in urls:
        assert client.get(url).status_code == 404, url

    helper = django_user_model.objects.create_user("helper", password="pw-1234567", is_staff=True)
    client.force_login(helper)
    for url in urls:
        assert client.get(url).status_code == 404, url

    helper.user_permissions.add(Permission.objects.get(codename="view_publication"))
    client.force_login(django_user_model.objects.get(pk=helper.pk))
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_published_files_are_public_pdfs_keep_their_name_renditions_cache_for_good(client, draft):
    draft.status = Publication.Status.PUBLISHED
    draft.save()
    pdf_url, original, *renditions = file_urls(draft)

    response = client.get(pdf_url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'inline; filename="secret.pdf"'
    assert b"".join(response.streaming_content) == PDF
    assert client.get(original).status_code == 200
    for url in renditions:
        response = client.get(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "public, max-age=31536000, immutable"
