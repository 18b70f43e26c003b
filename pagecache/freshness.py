"""One timestamp for "the public site last changed", for validators and caches.

Signals on every content model (each app declares its own, core.registry) bump
it, so ETag/Last-Modified and cache keys derived from it change on the next
request after any admin edit, including deletions and tag or author changes.
Reading it is one small query per request. Code that writes with
QuerySet.update() or bulk_create() (no signals) must call mark_changed() itself.
"""

import contextlib
import contextvars
import datetime
import functools
import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import condition

from core.registry import public_models

from .models import ContentVersion

# Inside changes_marked_once(): a list that signals append to instead of writing.
_deferred = contextvars.ContextVar("pagecache_deferred_changes", default=None)


def mark_changed(**kwargs):
    pending = _deferred.get()
    if pending is not None:
        pending.append(True)
        return
    now = timezone.now()
    if not ContentVersion.objects.filter(pk=ContentVersion.SINGLETON_PK).update(changed=now):
        ContentVersion.objects.update_or_create(
            pk=ContentVersion.SINGLETON_PK, defaults={"changed": now}
        )


@contextlib.contextmanager
def changes_marked_once():
    """Saves inside the block bump the timestamp once, at its end, not once per row.

    For bulk writes such as an import (thousands of rows in one transaction):
    put it inside the transaction, so the mark commits or rolls back with them.
    """
    pending = []
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
    if pending:
        mark_changed()


def last_changed(request=None):
    """When public content last changed, or None on a database never edited.

    One plain SELECT, memoised on the request: this runs on every cache hit,
    where the ORM's query building was most of the cost (bench/FINDINGS.md).
    """
    if request is not None and hasattr(request, "_last_changed"):
        return request._last_changed
    db = connections[DEFAULT_DB_ALIAS]
    with db.cursor() as cursor:
        cursor.execute(*_version_query(db.vendor))
        row = cursor.fetchone()
    changed = _as_datetime(row[0]) if row else None
    if request is not None:
        request._last_changed = changed
    return changed


@functools.cache
def _version_query(vendor):
    """The SQL and parameters, built once per database vendor (quoting differs)."""
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    meta = ContentVersion._meta
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    column = quote(meta.get_field("changed").column)
    sql = f"SELECT {column} FROM {table} WHERE {pk} = %s"  # noqa: S608 (quoted model names)
    return sql, [ContentVersion.SINGLETON_PK]


def _as_datetime(value):
    # SQLite returns text; SQLite and MySQL return naive UTC when USE_TZ is on.
    if isinstance(value, str):
        value = parse_datetime(value)
    if settings.USE_TZ and timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.timezone.utc)
    return value


def connect_signals():
    for model in public_models():
        uid = f"freshness-{model._meta.label}"
        post_save.connect(mark_changed, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(mark_changed, sender=model, dispatch_uid=uid + "-delete")
    m2m_changed.connect(mark_changed, dispatch_uid="freshness-m2m")


def page_digest(request, changed):
    """Names one version of one page for one kind of visitor.

    The page cache's key and every ETag derive from it. Signed-in visitors
    (who may see drafts) get other validators than anonymous ones.
    """
    signed_in = settings.SESSION_COOKIE_NAME in request.COOKIES
    stamp = changed.isoformat() if changed else "-"
    key = f"{stamp}|{page_url(request)}|{signed_in}"
    return hashlib.sha256(key.encode()).hexdigest()


def uses_query(*names):
    """Declare the query parameters a public view reads (none: `@uses_query()`).

    The page cache and the validators then name the page by those parameters
    only, normalised (last value, spaces collapsed, empty ones dropped, sorted):
    `?utm_source=x` or any other parameter the view ignores gives the same page
    and the same cache entry, so random query strings cannot force renders. A
    view that declares nothing is named by its whole query string.
    """

    def decorate(view):
        view.page_query_params = tuple(names)
        return view

    return decorate


def page_url(request):
    """The absolute URL that names this page: its path and the query it uses."""
    query = request.META.get("QUERY_STRING", "")
    if not query:
        return request.build_absolute_uri(request.path)
    names = _query_params(request.path_info)
    if names is None:
        return request.build_absolute_uri()
    given = []
    for name in sorted(names):
        value = " ".join(request.GET.get(name, "").split())
        if value:
            given.append((name, value))
    base = request.build_absolute_uri(request.path)
    return f"{base}?{urlencode(given)}" if given else base


@functools.lru_cache(maxsize=4096)
def _query_params(path):
    """The parameters the view at path declared with uses_query(), or None."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return getattr(match.func, "page_query_params", None)


def etag_for(digest):
    return f'W/"{digest[:32]}"'


def content_etag(request, *args, **kwargs):
    """Changes with the content, the URL, and whether the visitor may see drafts."""
    return etag_for(page_digest(request, last_changed(request)))


def content_last_modified(request, *args, **kwargs):
    return last_changed(request)


# Decorate a public view with this to answer conditional GETs with 304.
conditional_on_content = condition(etag_func=content_etag, last_modified_func=content_last_modified)
