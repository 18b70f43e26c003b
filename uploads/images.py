"""Checking and normalising uploaded images.

Every image the site stores (profile photo, paper thumbnails, images pasted into
Markdown) goes through normalize_image(): Pillow opens it with a format
allowlist, the declared size is checked from the header *before* any pixel is
decoded (so a decompression bomb costs nothing), then the picture is decoded,
turned upright by its EXIF orientation, shrunk to the size the pages use and
re-encoded without any metadata (no EXIF, GPS, XMP, comments or colour profile).

API for other code (e.g. renditions): normalize_image(file, max_size) returns a
ContentFile named "<stem>.<jpg|png|webp>"; it raises ImageRejected (a
ValidationError) with a message for the editor when the file is refused.
"""

import io
import os
import warnings

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.base import ContentFile
from django.utils.text import get_valid_filename
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

# Pillow format name -> extension we store, and the extensions accepted for it.
FORMATS = {
    "JPEG": ("jpg", {".jpg", ".jpeg", ".jpe", ".jfif"}),
    "PNG": ("png", {".png"}),
    "WEBP": ("webp", {".webp"}),
}
# The biggest picture we are willing to decode: a 40-megapixel camera photo.
# Decoding holds at most this many pixels (x4 bytes) in memory.
MAX_PIXELS = 40_000_000
# Sizes the pages use, doubled for high-density screens.
PHOTO_MAX_SIZE = (800, 800)
THUMBNAIL_MAX_SIZE = (960, 960)
MARKDOWN_IMAGE_MAX_SIZE = (1600, 1600)


class ImageRejected(ValidationError):
    """An upload that is not an image we accept; the message is for the editor."""


def max_upload_bytes():
    return getattr(settings, "IMAGE_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)


def _size_label(num_bytes):
    return f"{num_bytes / (1024 * 1024):.0f} MB"


def _open_checked(file, name):
    """Open the header only and refuse anything outside the allowlist."""
    size = getattr(file, "size", None)
    if size is not None and size > max_upload_bytes():
        raise ImageRejected(
            f"This image is {size / (1024 * 1024):.1f} MB; the limit is "
            f"{_size_label(max_upload_bytes())}. Save it smaller and upload it again.",
            code="file_too_large",
        )
    if hasattr(file, "seek"):
        file.seek(0)
    head = file.read(512)
    file.seek(0)
    stripped = head.lstrip().lower()
    if stripped.startswith((b"<svg", b"<?xml", b"<!doctype", b"<html")) or b"<svg" in stripped:
        raise ImageRejected(
            "SVG and HTML files are not accepted: upload a JPEG, PNG or WebP image.",
            code="invalid_image",
        )
    try:
        with warnings.catch_warnings():
            # A picture over Pillow's own bomb threshold is refused, not just warned about.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(file, formats=list(FORMATS))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRejected(
            "This image declares an enormous size in pixels and was refused "
            "(it may be a decompression bomb).",
            code="image_too_big",
        ) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ImageRejected(
            "This file is not a JPEG, PNG or WebP image (or it is damaged).",
            code="invalid_image",
        ) from None

    ext = os.path.splitext(name or "")[1].lower()
    stored_ext, accepted = FORMATS[image.format]
    if ext and ext not in accepted:
        raise ImageRejected(
            f"This file is named “{os.path.basename(name)}” but contains a "
            f"{image.format} image. Rename it to .{stored_ext} or export it again.",
            code="extension_mismatch",
        )
    width, height = image.size
    if width < 1 or height < 1 or width * height > MAX_PIXELS:
        raise ImageRejected(
            f"This image is {width}×{height} pixels; the limit is "
            f"{MAX_PIXELS // 1_000_000} megapixels. Make it smaller and upload it again.",
            code="image_too_big",
        )
    return image


def _to_srgb(image):
    """Convert pixels to sRGB so dropping the colour profile keeps the colours."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return ImageCms.profileToProfile(
            image, source, ImageCms.createProfile("sRGB"), outputMode=image.mode
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image


def normalize_image(file, max_size, name=None):
    """Check an uploaded image and return a clean, resized, metadata-free copy.

    `file` is any file-like object (an UploadedFile, a File, BytesIO); `name` is
    the original file name (taken from file.name when not given).
    """
    name = name or getattr(file, "name", "") or "image"
    image = _open_checked(file, name)
    source_format = image.format
    try:
        if source_format == "JPEG":
            # Let libjpeg decode at a reduced scale when the result is smaller anyway.
            image.draft("RGB", max_size)
        image.load()
        # In place: without an orientation tag this costs no copy of the pixels.
        ImageOps.exif_transpose(image, in_place=True)
        if image.mode not in ("RGB", "RGBA"):
            has_alpha = image.mode in ("LA", "PA", "RGBa", "La") or (
                image.mode == "P" and "transparency" in image.info
            )
            image = image.convert("RGBA" if has_alpha else "RGB")
        image = _to_srgb(image)
        image.thumbnail(max_size, Image.Resampling.LANCZOS)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        # Truncated data and corrupt streams surface here, while decoding.
        raise ImageRejected(
            "This image is damaged or incomplete (the file may have been cut off "
            "while copying). Export it again and upload the new file.",
            code="invalid_image",
        ) from None

    output = io.BytesIO()
    if source_format == "JPEG":
        image.convert("RGB").save(output, "JPEG", quality=85, optimize=True, progressive=True)
    elif source_format == "WEBP":
        image.save(output, "WEBP", quality=85, method=4)
    else:
        image.save(output, "PNG", optimize=True)
    return ContentFile(output.getvalue(), name=f"{_safe_stem(name)}.{FORMATS[source_format][0]}")


def _safe_stem(name):
    stem = os.path.splitext(os.path.basename(name))[0]
    try:
        return get_valid_filename(stem)[:80]
    except SuspiciousFileOperation:
        return "image"
