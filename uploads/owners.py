"""Which content record a stored file belongs to, and so who may download it.

A file belongs to the record whose file field holds its name; a rendition
(renditions/<original stem>-<width>w.<ext>) to the record holding its original.
A record is public unless it says otherwise with `is_published` (a draft paper).
Files of drafts, and files no record holds any more (replaced or deleted
uploads), are for editors allowed to view that kind of record; images pasted
into Markdown (MARKDOWNX_MEDIA_PATH) are not tracked and stay public.
"""

import re

from django.conf import settings
from django.db import models

from core.registry import public_models

_RENDITION = re.compile(r"^renditions/(?P<stem>.+)-\d+w\.(?:webp|jpg|png)$")


def _file_fields():
    for model in public_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                yield model, field


def owners(name):
    """The records whose file fields hold this stored name (or its rendition's original)."""
    rendition = _RENDITION.match(name)
    found = []
    for model, field in _file_fields():
        if rendition:
            lookup = {f"{field.name}__startswith": rendition["stem"] + "."}
        else:
            lookup = {field.name: name}
        found += list(model._default_manager.filter(**lookup))
    return found


def is_public_record(record):
    return getattr(record, "is_published", True)


def may_download(user, name):
    """True when this user may have the stored file `name`."""
    if name.startswith(settings.MARKDOWNX_MEDIA_PATH):
        return True
    records = owners(name)
    if any(is_public_record(record) for record in records):
        return True
    # Drafts and orphaned files: editors who may view that kind of record.
    kinds = {type(r) for r in records} or {model for model, _ in _file_fields()}
    return bool(user and user.is_active) and any(
        user.has_perm(f"{m._meta.app_label}.view_{m._meta.model_name}") for m in kinds
    )
