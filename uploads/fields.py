"""Model fields and validators that refuse bad uploads with a form error.

- NormalizedImageField: a model ImageField whose uploads are checked and
  re-encoded by uploads.images.normalize_image before they are stored. Its
  `renditions` names the layout sizes (uploads.renditions.DISPLAY_WIDTHS) the
  image is shown at; the uploads app makes those renditions on every save.
- validate_pdf: PDF uploads are PDFs by content, complete, and size-capped.
"""

import os

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.deconstruct import deconstructible

from .images import normalize_image

IMAGE_ACCEPT = "image/jpeg,image/png,image/webp"


def pdf_max_bytes():
    return getattr(settings, "PDF_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)


class NormalizedImageFormField(forms.ImageField):
    """Refuses anything normalize_image refuses, with its message."""

    # normalize_image checks the extension against the content itself.
    default_validators = []

    def __init__(self, *args, max_size, **kwargs):
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

    def __init__(self, *args, max_size, renditions=(), **kwargs):
        self.max_size = tuple(max_size)
        # Not part of the schema, so not in deconstruct(): no migration when it changes.
        self.renditions = tuple(renditions)
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
