"""When the public site last changed, as a whole and model by model, for validators and caches.

Signals on every content model (each app declares its own, core.registry) bump
two stamps in pagecache.models.ContentVersion: the site-wide one, so
ETag/Last-Modified and cache keys derived from it change on the next request
after any admin edit, including deletions and tag or author changes; and the
changed model's own, so what shows only a few models is kept until one of
those changes rather than until anything does: the profile with its links and
homepage sections (Profile.shown), the menu (pages/menu.py), what the author
marks mean, the menu's and the CV's "has content" answers (core/exists.py).
A cold render after an edit of one paper then reads none of those again.

Reading is one small query per request, all stamps at once, memoised on the
request: last_changed() gives the site-wide one, changed_of() a string naming
the versions of some models, for the keys of such memos. A memo reads the
versions before what they guard (the page cache reads them first thing), so
what it reads is at least that new and it never keeps old data under a new
stamp; two processes at once at worst read again. Writing is one
statement per signal, an upsert of the rows concerned (two server processes
may save at once; a row appears on its model's first change). Code that
writes with QuerySet.update() or bulk_create() (no signals) must call
mark_changed() itself, which bumps every stamp.
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

SITE = ContentVersion.SITE
# A model whose row does not exist yet (never changed since this table has had rows per model).
NEVER = "-"

# Inside changes_marked_once(): a list that signals append to instead of writing.
_deferred = contextvars.ContextVar("pagecache_deferred_changes", default=None)


@functools.cache
def tracked_labels():
    """The labels that have a stamp of their own: every declared content model, and
    the many-to-many tables Django makes for them (a change of one is an m2m_changed)."""
    labels = []
    for model in public_models():
        labels.append(model._meta.label)
        for field in model._meta.local_many_to_many:
            through = getattr(field.remote_field, "through", None)
            if through is not None and through._meta.auto_created:
                labels.append(through._meta.label)
    return frozenset(labels)


def _label(model):
    """A model class's (or instance's) label, the concrete model's for a proxy; None for None."""
    if model is None:
        return None
    return model._meta.concrete_model._meta.label


def changed_labels(sender, signal=None, instance=None, model=None, **kwargs):
    """The stamps a signal bumps besides the site-wide one.

    The sender for a save or delete. For m2m_changed the sender is the table
    between the two models: both models change too (paper.tags.add() changes
    what a paper and a tag show), so the instance's model and the other one
    (`model`) are bumped with it. Models that are not declared content have no
    stamp of their own.
    """
    found = {_label(sender)}
    if signal is m2m_changed:
        found |= {_label(type(instance)) if instance is not None else None, _label(model)}
    return tracked_labels() & found


def mark_changed(sender=None, **kwargs):
    """Bump the site-wide stamp and the changed model's (a signal receiver).

    Called without a sender (bulk writes, which send no signals): every stamp.
    """
    labels = None if sender is None else changed_labels(sender, **kwargs)
    pending = _deferred.get()
    if pending is not None:
        pending.append(labels)
        return
    _bump(tracked_labels() if labels is None else labels)


def _bump(labels):
    """Set the site-wide row and those of labels to now, creating missing ones, atomically.

    One INSERT ... ON CONFLICT DO UPDATE (ON DUPLICATE KEY on MySQL): no read
    first, so two processes saving at once can neither lose a bump nor both
    try to create a row.
    """
    now = timezone.now()
    rows = [ContentVersion(model=label, changed=now) for label in sorted({SITE, *labels})]
    features = connections[DEFAULT_DB_ALIAS].features
    ContentVersion.objects.bulk_create(
        rows,
        update_conflicts=True,
        update_fields=["changed"],
        unique_fields=["model"] if features.supports_update_conflicts_with_target else None,
    )


@contextlib.contextmanager
def changes_marked_once():
    """Saves inside the block bump the stamps once, at its end, not once per row.

    For bulk writes such as an import (thousands of rows in one transaction):
    put it inside the transaction, so the mark commits or rolls back with them.
    The end bumps every stamp: whatever the block wrote without signals is covered.
    """
    pending = []
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
    if pending:
        mark_changed()


def versions(request=None):
    """{label: stamp as the database gives it} of every row, site-wide one included.

    One plain SELECT, memoised on the request: this runs on every cache hit,
    where the ORM's query building was most of the cost (bench/FINDINGS.md).
    Without a request, it is read afresh.
    """
    if request is not None:
        found = getattr(request, "_content_versions", None)
        if found is not None:
            return found
    db = connections[DEFAULT_DB_ALIAS]
    with db.cursor() as cursor:
        cursor.execute(*_queries(db.vendor)["every"])
        found = dict(cursor.fetchall())
    if request is not None:
        request._content_versions = found
    return found


def last_changed(request=None):
    """When public content last changed, or None on a database never edited.

    Reads the site-wide row alone unless versions() already ran: a page cache
    hit needs nothing else, and reading every row cost a quarter of a hit. A
    miss reads all rows afterwards (one more query); an edit in between makes
    that page newer than its key says, never older.
    """
    if request is not None and hasattr(request, "_last_changed"):
        return request._last_changed
    found = getattr(request, "_content_versions", None) if request is not None else None
    if found is not None:
        raw = found.get(SITE)
    else:
        db = connections[DEFAULT_DB_ALIAS]
        with db.cursor() as cursor:
            cursor.execute(*_queries(db.vendor)["site"])
            row = cursor.fetchone()
        raw = row[0] if row else None
    changed = _as_datetime(raw) if raw is not None else None
    if request is not None:
        request._last_changed = changed
    return changed


def changed_of(request, *models):
    """A string that changes whenever one of these models (classes or labels) changes.

    For the keys of what is kept between requests. A model without a stamp of
    its own (not declared content) counts as the whole site; one never changed
    gives the same string until its first change. Memoised on the request with
    versions(), so it costs no query after the page cache's.
    """
    found = versions(request)
    tracked = tracked_labels()
    parts = []
    for model in models:
        label = model if isinstance(model, str) else _label(model)
        if label not in tracked:
            label = SITE
        parts.append(str(found.get(label, NEVER)))
    return "|".join(parts)


@functools.cache
def _queries(vendor):
    """The SQL of every stamp and of the site-wide one alone, built once per
    database vendor (quoting differs)."""
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    meta = ContentVersion._meta
    table = quote(meta.db_table)
    model, changed = (quote(meta.get_field(name).column) for name in ("model", "changed"))
    every = f"SELECT {model}, {changed} FROM {table}"  # noqa: S608 (quoted model names)
    site = f"SELECT {changed} FROM {table} WHERE {model} = %s"  # noqa: S608
    return {"every": (every, []), "site": (site, [SITE])}


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
