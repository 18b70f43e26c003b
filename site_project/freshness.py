"""One timestamp for "the public site last changed", for validators and caches.

Signals on every model that public pages show bump it, so ETag/Last-Modified and
cache keys derived from it change on the next request after any admin edit,
including deletions and tag or author changes. Reading it is one small query.
Code that writes with QuerySet.update() or bulk_create() (no signals) must call
mark_changed() itself.
"""

import hashlib

from django.apps import apps
from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.views.decorators.http import condition

CONTENT_MODELS = [
    "profile.Profile",
    "profile.SocialLink",
    "research.Person",
    "research.Publication",
    "research.Authorship",
    "research.PreviousSlug",
    "research.PaperLink",
    "taggit.Tag",
    "taggit.TaggedItem",
]


def mark_changed(**kwargs):
    ContentVersion = apps.get_model("profile", "ContentVersion")
    now = timezone.now()
    if not ContentVersion.objects.filter(pk=ContentVersion.SINGLETON_PK).update(changed=now):
        ContentVersion.objects.update_or_create(
            pk=ContentVersion.SINGLETON_PK, defaults={"changed": now}
        )


def last_changed():
    """When public content last changed, or None on a database never edited."""
    ContentVersion = apps.get_model("profile", "ContentVersion")
    return (
        ContentVersion.objects.filter(pk=ContentVersion.SINGLETON_PK)
        .values_list("changed", flat=True)
        .first()
    )


def connect_signals():
    for label in CONTENT_MODELS:
        model = apps.get_model(label)
        uid = f"freshness-{label}"
        post_save.connect(mark_changed, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(mark_changed, sender=model, dispatch_uid=uid + "-delete")
    m2m_changed.connect(mark_changed, dispatch_uid="freshness-m2m")


def _request_last_changed(request):
    # condition() asks for both validators; read the timestamp once per request.
    if not hasattr(request, "_last_changed"):
        request._last_changed = last_changed()
    return request._last_changed


def content_etag(request, *args, **kwargs):
    """Changes with the content, the URL, and whether the visitor may see drafts."""
    changed = _request_last_changed(request)
    signed_in = settings.SESSION_COOKIE_NAME in request.COOKIES
    key = f"{changed.isoformat() if changed else '-'}|{request.get_full_path()}|{signed_in}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def content_last_modified(request, *args, **kwargs):
    return _request_last_changed(request)


# Decorate a public view with this to answer conditional GETs with 304.
conditional_on_content = condition(etag_func=content_etag, last_modified_func=content_last_modified)
