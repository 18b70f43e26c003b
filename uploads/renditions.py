"""Pictures in the size the layout shows them: WebP plus a JPEG/PNG fallback, 1x and 2x.

The stored upload stays the original. From it we derive, under renditions/, one
file per (width, format) with a stable name, e.g. for thumbnails/paper.png shown
160 CSS pixels wide: renditions/thumbnails/paper-160w.webp, -320w.webp,
-160w.png, -320w.png. They are made when the model is saved (post_save) and,
for images stored before this existed, the first time a page shows them.
`picture()` returns the <picture> element with srcset, width and height.
Which fields get renditions is declared on the field itself
(`NormalizedImageField(renditions=["thumbnail"])`), so any app's model gets them.

Why not a library: sorl-thumbnail, easy-thumbnails and django-imagekit each make
one thumbnail per call (size, format) and leave the <picture> element, the WebP
plus JPEG/PNG fallback pair and the 1x/2x srcset to us, which is most of this
module; each adds a store of its own (sorl's key-value store, easy-thumbnails'
tables, imagekit's cache-file backends, whose default just-in-time strategy asks
the storage whether the file exists on every access). Our uploads are already
normalised to at most 960 px (uploads.images), so decoding one here is bounded
(a few MB); four fixed renditions per image at save time do not need a framework.
"""

import io
import logging
import posixpath
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models.signals import post_save
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from PIL import Image, ImageOps

logger = logging.getLogger(__name__)

# CSS pixels the layout gives each picture at most (see static/css/site.css:
# .profile max-width 16rem, .paper grid column 10rem, .paper-thumbnail 24rem).
DISPLAY_WIDTHS = {"photo": 256, "thumbnail": 160, "figure": 384}
WEBP_OPTIONS = {"format": "WEBP", "quality": 80, "method": 4}
JPEG_OPTIONS = {"format": "JPEG", "quality": 82, "optimize": True, "progressive": True}
PNG_OPTIONS = {"format": "PNG", "optimize": True}


@dataclass(frozen=True)
class Rendition:
    name: str
    width: int

    @property
    def url(self):
        return default_storage.url(self.name)


def widths(display_width, original_width):
    """1x and 2x widths, never wider than the original (no upscaling)."""
    one = min(display_width, original_width)
    two = min(2 * display_width, original_width)
    return [one] if two == one else [one, two]


def fallback_extension(original_name):
    # PNG keeps transparency; everything else falls back to JPEG.
    return "png" if original_name.lower().endswith((".png", ".webp")) else "jpg"


def dimensions(field_file):
    """Width and height from the model's width/height fields, so no file is opened."""
    field, instance = field_file.field, field_file.instance
    width = getattr(instance, field.width_field, None) if field.width_field else None
    height = getattr(instance, field.height_field, None) if field.height_field else None
    if width and height:
        return width, height
    return field_file.width, field_file.height


def plan(field_file, display_width):
    """The renditions of an image as {extension: [Rendition 1x, Rendition 2x?]}."""
    original_width = dimensions(field_file)[0]
    stem = posixpath.splitext(field_file.name)[0]
    out = {}
    for ext in ("webp", fallback_extension(field_file.name)):
        out[ext] = [
            Rendition(f"renditions/{stem}-{w}w.{ext}", w)
            for w in widths(display_width, original_width)
        ]
    return out


def _options(ext):
    options = {"webp": WEBP_OPTIONS, "jpg": JPEG_OPTIONS, "png": PNG_OPTIONS}[ext]
    if getattr(settings, "RENDITIONS_FAST_ENCODING", False):
        # The test settings trade file size for speed: same formats and sizes.
        options = {**options, "method": 0, "optimize": False, "progressive": False}
        if ext != "webp":
            options.pop("method")
    return options


def _encode(image, width, ext):
    height = max(1, round(image.height * width / image.width))
    resized = image.resize((width, height), Image.Resampling.LANCZOS)
    has_alpha = resized.mode in ("RGBA", "LA") or "transparency" in resized.info
    if ext == "jpg":
        resized = resized.convert("RGB")
    else:
        resized = resized.convert("RGBA" if has_alpha else "RGB")
    buffer = io.BytesIO()
    resized.save(buffer, **_options(ext))
    return buffer.getvalue()


def _outdated(rendition, original_name, check_age):
    if not default_storage.exists(rendition.name):
        return True
    # An original written again under the same name makes its renditions stale.
    return check_age and default_storage.get_modified_time(
        rendition.name
    ) < default_storage.get_modified_time(original_name)


# Plans whose files a page render in this process has found or made: pages ask
# the storage whether an image's renditions exist the first time they show it,
# not on every render (each question is a network round trip on S3).
_known_complete = set()


def make_renditions(field_file, display_width, *, check_age=False):
    """Write missing (and, with check_age, outdated) renditions; return the plan."""
    renditions = plan(field_file, display_width)
    key = (
        getattr(default_storage, "location", ""),
        *(r.name for v in renditions.values() for r in v),
    )
    if not check_age and key in _known_complete:
        return renditions
    todo = [
        (ext, r)
        for ext, items in renditions.items()
        for r in items
        if _outdated(r, field_file.name, check_age)
    ]
    if todo:
        with field_file.open("rb") as handle, Image.open(handle) as image:
            image = ImageOps.exif_transpose(image)
            image.load()
        for ext, rendition in todo:
            if default_storage.exists(rendition.name):
                default_storage.delete(rendition.name)
            default_storage.save(rendition.name, ContentFile(_encode(image, rendition.width, ext)))
    if not check_age:
        _known_complete.add(key)
    return renditions


def picture(field_file, kind, *, alt, css_class="", lazy=True):
    """<picture> for a stored image, or a plain <img> of the original if that fails."""
    if not field_file:
        return ""
    display_width = DISPLAY_WIDTHS[kind]
    try:
        original_width, original_height = dimensions(field_file)
    except (OSError, ValueError):
        original_width = original_height = None
    size = ""
    if original_width and original_height:
        width = min(display_width, original_width)
        height = max(1, round(original_height * width / original_width))
        size = format_html(' width="{}" height="{}"', width, height)
    try:
        if not size:
            raise ValueError("not a readable image")
        renditions = make_renditions(field_file, display_width)
    except (OSError, ValueError, Image.DecompressionBombError):
        logger.warning("No renditions for %s", field_file.name, exc_info=True)
        return format_html(
            '<img src="{}"{} alt="{}"{}{}>',
            field_file.url,
            size,
            alt,
            _class(css_class),
            _lazy(lazy),
        )
    webp, fallback = renditions.pop("webp"), next(iter(renditions.values()))
    return format_html(
        '<picture><source type="image/webp" srcset="{}">'
        '<img src="{}" srcset="{}"{} alt="{}"{}{}></picture>',
        _srcset(webp),
        fallback[0].url,
        _srcset(fallback),
        size,
        alt,
        _class(css_class),
        _lazy(lazy),
    )


def _class(css_class):
    return format_html(' class="{}"', css_class) if css_class else ""


def _lazy(lazy):
    return mark_safe(' loading="lazy" decoding="async"') if lazy else ""


def _srcset(renditions):
    return format_html_join(", ", "{} {}x", ((r.url, i + 1) for i, r in enumerate(renditions)))


def _make_on_save(sender, instance, **kwargs):
    for field in image_fields(sender):
        field_file = getattr(instance, field.attname)
        if not field_file:
            continue
        try:
            for kind in field.renditions:
                make_renditions(field_file, DISPLAY_WIDTHS[kind], check_age=True)
        except (OSError, ValueError, Image.DecompressionBombError):
            # The page falls back to the original; saving the model must not fail.
            logger.warning("Could not make renditions of %s", field_file.name, exc_info=True)


def image_fields(model):
    """The model's upload fields that declare renditions (NormalizedImageField(renditions=...))."""
    return [f for f in model._meta.concrete_fields if getattr(f, "renditions", ())]


def connect_signals():
    """Renditions on save for every model with such a field, in any app."""
    for model in apps.get_models():
        if image_fields(model):
            post_save.connect(
                _make_on_save, sender=model, dispatch_uid=f"renditions-{model._meta.label}"
            )
