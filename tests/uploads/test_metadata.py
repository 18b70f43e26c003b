"""Stored uploads and their renditions carry no metadata block at all."""

import io
import posixpath

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageCms, PngImagePlugin

from research.models import Publication

SCRIPT = b"<html><script>alert(document.cookie)</script>"
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://ns.adobe.com/xap/1.0/">secret</rdf:RDF></x:xmpmeta>'
# Bytes that only a metadata block would put in the file.
MARKERS = [
    b"<script", b"secret", b"Exif", b"http://ns.adobe.com", b"ICC_PROFILE", b"iCCP",
    b"tEXt", b"iTXt", b"zTXt", b"eXIf", b"XMP ", b"ICCP", b"EXIF", b"Canon", b"GPS",
]  # fmt: skip


def exif():
    data = Image.Exif()
    data[0x010F] = "Canon"  # Make
    data[0x0110] = "Canon EOS secret"  # Model
    data[0x8825] = {2: (51.0, 30.0, 0.0)}  # GPS latitude
    return data.tobytes()


def srgb_profile():
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def loaded(fmt, size, profile):
    image = Image.new("RGB", size, (30, 120, 200))
    buffer = io.BytesIO()
    extra = {"icc_profile": srgb_profile()} if profile else {}
    if fmt == "JPEG":
        image.save(buffer, "JPEG", comment=SCRIPT, exif=exif(), **extra, dpi=(300, 300), xmp=XMP)
    elif fmt == "PNG":
        text = PngImagePlugin.PngInfo()
        text.add_text("Comment", SCRIPT.decode())
        text.add_itxt("XML:com.adobe.xmp", XMP.decode())
        text.add_text("Software", "secret", zip=True)
        image.save(buffer, "PNG", pnginfo=text, exif=exif(), **extra, dpi=(300, 300))
    else:
        image.save(buffer, "WEBP", exif=exif(), **extra, xmp=XMP)
    data = buffer.getvalue()
    assert SCRIPT in data or fmt == "WEBP"
    assert b"Canon" in data
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("fmt, ext", [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp")])
# With a colour profile the pixels are converted to sRGB; without, they are kept as they are.
@pytest.mark.parametrize(
    "size, profile", [((1200, 800), True), ((400, 300), False)], ids=["profile", "no-profile"]
)
def test_stored_image_and_renditions_hold_no_metadata(client, fmt, ext, size, profile):
    paper = Publication(title="Pictured", date="2024-05-01")
    paper.thumbnail = ContentFile(loaded(fmt, size, profile), name=f"figure.{ext}")
    paper.save()
    paper = Publication.objects.get(pk=paper.pk)
    assert client.get(paper.get_absolute_url()).status_code == 200  # renditions for the page

    folder, stem = posixpath.split(posixpath.splitext(paper.thumbnail.name)[0])
    _, files = default_storage.listdir(f"renditions/{folder}")
    names = [paper.thumbnail.name]
    names += [f"renditions/{folder}/{f}" for f in files if f.startswith(stem + "-")]
    assert len(names) >= 5  # the original and 2 widths × 2 formats
    for name in names:
        data = default_storage.open(name).read()
        found = [marker for marker in MARKERS if marker in data]
        assert not found, (name, found)
        info = Image.open(io.BytesIO(data)).info
        assert not {"comment", "exif", "icc_profile", "xmp", "dpi", "XML:com.adobe.xmp"} & set(
            info
        ), (name, info)
