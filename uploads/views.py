"""The upload endpoints: markdownx's image upload with our checks, and serving uploads.

- SafeImageUploadView: markdownx's image upload endpoint, with the same content
  checks as every image field.
- serve_media: Django's static file view with download-safe headers.
"""

from django.conf import settings
from django.views.static import serve
from markdownx.exceptions import MarkdownxImageUploadError
from markdownx.forms import ImageForm
from markdownx.views import ImageUploadView

from .images import MARKDOWN_IMAGE_MAX_SIZE, normalize_image


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
