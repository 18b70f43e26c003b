"""The upload endpoints: markdownx's image upload with our checks, and serving uploads.

- SafeImageUploadView: markdownx's image upload endpoint, with the same content
  checks as every image field. Only someone allowed to change (or add) the
  object whose editor page the upload comes from may upload, and at most
  settings.MARKDOWN_UPLOADS_PER_HOUR images an hour: the file is public at once.
- serve_media: Django's static file view with download-safe headers.
"""

import posixpath
import re
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.cache import cache
from django.http import Http404, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.http import content_disposition_header
from django.views.static import serve
from markdownx.exceptions import MarkdownxImageUploadError
from markdownx.forms import ImageForm
from markdownx.views import ImageUploadView

from core.forms import storage_error_message

from .images import MARKDOWN_IMAGE_MAX_SIZE, normalize_image
from .owners import may_download


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

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except OSError as error:
            return _refusal(storage_error_message(error), 507)

    def post(self, request, *args, **kwargs):
        if not may_upload_for(request):
            return _refusal(
                "You may upload images only while editing something you are allowed to change.",
                403,
            )
        if over_upload_quota(request.user):
            return _refusal(
                f"You uploaded {settings.MARKDOWN_UPLOADS_PER_HOUR} images in the last hour, "
                "the most this site accepts: try again later.",
                429,
            )
        return super().post(request, *args, **kwargs)


def may_upload_for(request):
    """True when the editor page sending the upload (its Referer) is one the user may save.

    markdownx's widget posts the image without saying which object is being
    edited; the admin page it is on does (same-origin Referer, which
    SECURE_REFERRER_POLICY keeps).
    """
    referer = urlsplit(request.headers.get("Referer", ""))
    if referer.netloc and referer.netloc != request.get_host():
        return False
    try:
        match = resolve(referer.path)
    except Resolver404:
        return False
    if match.namespace != admin.site.name:
        return False
    for model, model_admin in admin.site._registry.items():
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        if match.url_name == prefix + "add":
            return model_admin.has_add_permission(request)
        if match.url_name == prefix + "change":
            obj = model_admin.get_object(request, unquote(match.kwargs["object_id"]))
            return obj is not None and model_admin.has_change_permission(request, obj)
    return False


def over_upload_quota(user):
    """Counts this upload; True when it is over the user's hourly allowance."""
    key = f"markdown-uploads:{user.pk}:{int(time.time() // 3600)}"
    cache.add(key, 0, 3600)
    try:
        count = cache.incr(key)
    except ValueError:  # no cache at the moment: nothing to count with
        return False
    return count > settings.MARKDOWN_UPLOADS_PER_HOUR


def _refusal(message, status):
    return JsonResponse({"image": [message]}, status=status)


# Served as themselves; anything else is offered as a download.
INLINE_MEDIA_TYPES = {"image/jpeg", "image/png", "image/webp", "application/pdf"}


def serve_media(request, path, document_root=None):
    """Uploads served by Django (development, small sites) with safe headers.

    Files of drafts (and files no record holds any more) are 404 except for
    editors (uploads.owners). Renditions, named after their original's content
    hash, are cached by browsers for good (`immutable`).
    """
    if not may_download(request.user, path):
        raise Http404("No such file.")
    response = serve(request, path, document_root=document_root or settings.MEDIA_ROOT)
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip()
    if content_type not in INLINE_MEDIA_TYPES:
        response.headers["Content-Type"] = "application/octet-stream"
        response.headers["Content-Disposition"] = "attachment"
    if content_type == "application/pdf":
        # The browser's PDF viewer does not run under a sandboxing policy.
        response._csp_exempt = True
        # Saved under the name it was uploaded with (the last part of its address).
        response.headers["Content-Disposition"] = content_disposition_header(
            False, posixpath.basename(path)
        )
    else:
        response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["X-Content-Type-Options"] = "nosniff"
    if _HASHED_RENDITION.match(path) and response.status_code == 200:
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


# renditions/<folder>/<32 hex content hash>/<name>-<width>w.<ext>
_HASHED_RENDITION = re.compile(r"^renditions/.+/[0-9a-f]{32}/[^/]+-\d+w\.(?:webp|jpg|png)$")
