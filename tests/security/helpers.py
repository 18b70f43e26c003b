"""Shared helpers for the attack-surface tests: sample files and admin form data."""

import io
import re
import struct
import zlib

from bs4 import BeautifulSoup
from PIL import Image

from tests.forms import form_data as _form_data


def image_bytes(fmt="PNG", size=(40, 30), color=(200, 30, 30), mode="RGB", **save_kwargs):
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, fmt, **save_kwargs)
    return buffer.getvalue()


def jpeg_with_orientation_and_gps(size=(1200, 600), orientation=6):
    """A landscape JPEG whose EXIF says 'rotate 90°' and that carries a GPS position."""
    image = Image.new("RGB", size, (10, 120, 200))
    # Mark the top-left corner so the rotation can be checked.
    image.paste((255, 255, 0), (0, 0, 100, 100))
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "SpyCam"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (52.0, 13.0, 0.0)
    gps[3], gps[4] = "E", (21.0, 0.0, 0.0)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, quality=90)
    return buffer.getvalue()


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_declaring(width, height, idat=b"", color_type=6):
    """A PNG header claiming width x height pixels, followed by little or no data."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", ihdr)
        + _chunk(b"IDAT", idat or zlib.compress(b"\x00" * 64))
        + _chunk(b"IEND", b"")
    )


def png_bomb(width=20000, height=20000):
    """A real decompression bomb: a small file whose 1-bit pixels inflate to ~50 MB."""
    raw = zlib.compress(b"\x00" * ((width // 8 + 1) * height), 9)
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", raw) + _chunk(b"IEND", b"")
    )


def pdf_bytes(text="Curriculum vitae"):
    body = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R>>endobj\n"
        + f"4 0 obj<</Length {len(body)}>>stream\n".encode()
        + body
        + b"\nendstream endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def form_data(response, form_id=None):
    """The values a browser would submit for the page's (admin) form, as a dict."""
    return _form_data(response.content, form_id)


def errors_text(response):
    """Every error message shown on an admin page, as one string."""
    soup = BeautifulSoup(response.content, "html.parser")
    return " ".join(e.get_text(" ", strip=True) for e in soup.select(".errorlist, .errornote"))


def squash(value):
    """How a browser reads a URL scheme: entities decoded, whitespace and controls dropped."""
    return re.sub(r"[\x00-\x20]", "", value).lower()
