"""Upload fields, validators and views that refuse bad files with a form error.

- NormalizedImageField: a model ImageField whose uploads are checked and
  re-encoded by site_project.images.normalize_image before they are stored.
- validate_pdf: PDF uploads are PDFs by content, complete, and size-capped.
- SafeImageUploadView: markdownx's image upload endpoint with the same checks.
- serve_media: Django's static file view with download-safe headers.
"""

import os

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.deconstruct import deconstructible
from django.views.static import serve
from markdownx.exceptions import MarkdownxImageUploadError
from markdownx.forms import ImageForm
from markdownx.views import ImageUploadView

from .images import DEFAULT_MAX_SIZE, MARKDOWN_IMAGE_MAX_SIZE, normalize_image

IMAGE_ACCEPT = "image/jpeg,image/png,image/webp"


def pdf_max_bytes():
    return getattr(settings, "PDF_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)


class NormalizedImageFormField(forms.ImageField):
    """Refuses anything normalize_image refuses, with its message."""

    # normalize_image checks the extension against the content itself.
    default_validators = []

    def __init__(self, *args, max_size=DEFAULT_MAX_SIZE, **kwargs):
        self.max_size = tuple(max_size)
        super().__init__(*args, **kwargs)

    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        # Kept on the upload so the model field stores this very result.
        upload.normalized = normalize_image(upload, self.max_size)
        return upload

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs["accept"] = IMAGE_ACCEPT
        return attrs


class NormalizedImageField(models.ImageField):
    """An ImageField that stores only checked, re-encoded, resized images."""

    def __init__(self, *args, max_size=DEFAULT_MAX_SIZE, **kwargs):
        self.max_size = tuple(max_size)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["max_size"] = self.max_size
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return super().formfield(
            **{"form_class": NormalizedImageFormField, "max_size": self.max_size, **kwargs}
        )

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        if value and not value._committed:
            self._normalized(value)

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        if file and not file._committed:
            normalized = self._normalized(file)
            file.save(normalized.name, normalized, save=False)
        return super().pre_save(model_instance, add)

    def _normalized(self, field_file):
        upload = field_file.file
        normalized = getattr(upload, "normalized", None)
        if normalized is None:
            normalized = normalize_image(upload, self.max_size, name=field_file.name)
            upload.normalized = normalized
        return normalized


@deconstructible
class PdfValidator:
    """A complete PDF (by its content, not its name) no larger than the cap."""

    def __call__(self, value):
        if not value or getattr(value, "_committed", False):
            return  # Already stored: it was checked when it was uploaded.
        name = os.path.basename(getattr(value, "name", "") or "")
        if os.path.splitext(name)[1].lower() != ".pdf":
            raise ValidationError(
                "Upload a PDF file (its name should end in .pdf).", code="not_pdf"
            )
        size = value.size
        if size > pdf_max_bytes():
            raise ValidationError(
                f"This PDF is {size / (1024 * 1024):.1f} MB; the limit is "
                f"{pdf_max_bytes() // (1024 * 1024)} MB.",
                code="file_too_large",
            )
        value.seek(0)
        head = value.read(5)
        value.seek(max(size - 1024, 0))
        tail = value.read()
        value.seek(0)
        if head != b"%PDF-":
            raise ValidationError(
                f"“{name}” is not a PDF document (its content is something else).",
                code="not_pdf",
            )
        if b"%%EOF" not in tail:
            raise ValidationError(
                f"“{name}” is an incomplete PDF (it may have been cut off while copying).",
                code="truncated_pdf",
            )

    def __eq__(self, other):
        return isinstance(other, PdfValidator)


validate_pdf = PdfValidator()


class SafeImageForm(ImageForm):
    """markdownx's upload form, with content checks instead of trusting Content-Type."""

    def clean(self):
        upload = self.cleaned_data.get("image")
        if not upload:
            raise MarkdownxImageUploadError.not_uploaded()
        self.normalized = normalize_image(upload, MARKDOWN_IMAGE_MAX_SIZE)
        return upload

    def save(self, commit=True):
        return self._save(self.normalized, self.normalized.name, commit)


class SafeImageUploadView(ImageUploadView):
    form_class = SafeImageForm


# Served as themselves; anything else is offered as a download.
INLINE_MEDIA_TYPES = {"image/jpeg", "image/png", "image/webp", "application/pdf"}


def serve_media(request, path, document_root=None):
    """Uploads served by Django (development, small sites) with safe headers."""
    response = serve(request, path, document_root=document_root or settings.MEDIA_ROOT)
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip()
    if content_type not in INLINE_MEDIA_TYPES:
        response.headers["Content-Type"] = "application/octet-stream"
        response.headers["Content-Disposition"] = "attachment"
    if content_type == "application/pdf":
        # The browser's PDF viewer does not run under a sandboxing policy.
        response._csp_exempt = True
    else:
        response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
