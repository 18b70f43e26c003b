"""Run a deterministic set-up (such as `loadseed`) once per test process, replay it after.

The first time, the set-up runs for real inside the test's transaction, and what
it did is recorded: the rows of every table it read or wrote (from its SQL), as
they were before and after, and the files it wrote under MEDIA_ROOT. Later tests
whose database holds the same rows in those tables, with the same settings and an
empty MEDIA_ROOT, get the recorded rows written back (one DELETE and one INSERT
per changed table) and the files copied, instead of running the set-up again;
anything else runs the set-up for real (and records that case too).

The replay is rolled back with the test's transaction like any other write.
Transactional tests (live servers, browser tests) always run the set-up for real.
"""

import collections
import hashlib
import re
import shutil
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import UserSettingsHolder, settings
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections
from django.test.utils import CaptureQueriesContext

_recorded = {}  # (name, settings, rows the set-up depends on) -> _Recording
_tempdir = None
stats = collections.Counter()  # (name, 'replayed' or 'ran') -> how often


class _Recording:
    def __init__(self, changed, media, result):
        self.changed = changed  # {model: rows after}, only the tables the set-up changed
        self.media = media  # a copy of what it wrote under MEDIA_ROOT, or None
        self.result = result


def _models():
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def _columns(model):
    return [f for f in model._meta.local_concrete_fields if not getattr(f, "generated", False)]


def _rows(model, using):
    names = [field.attname for field in _columns(model)]
    return list(model._base_manager.using(using).order_by("pk").values_list(*names))


def _tables_in(queries, models):
    by_table = {model._meta.db_table: model for model in models}
    named = set()
    for query in queries:
        named.update(re.findall(r'"([^"]+)"', query["sql"]))
    return {by_table[name] for name in named if name in by_table}


def _settings_key():
    """The settings as this test has them, but MEDIA_ROOT (each test has its own)."""
    layers, holder = [], settings._wrapped
    while isinstance(holder, UserSettingsHolder):  # a test's overrides, innermost first
        layers.append(holder.__dict__)
        holder = holder.default_settings
    layers.append(holder.__dict__)
    merged = {}
    for layer in reversed(layers):
        merged.update(layer)
        for name in layer.get("_deleted", ()):
            merged.pop(name, None)
    values = sorted(
        (name, repr(value))
        for name, value in merged.items()
        if name.isupper() and name != "MEDIA_ROOT"
    )
    return hashlib.sha256(repr(values).encode()).hexdigest()


def _state_key(models, using):
    """The rows of these tables as the database holds them, in one query per table."""
    connection = connections[using]
    quote = connection.ops.quote_name
    state = []
    with connection.cursor() as cursor:
        for model in models:
            columns = ", ".join(quote(field.column) for field in _columns(model))
            table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
            cursor.execute(f"SELECT {columns} FROM {table} ORDER BY {pk}")  # noqa: S608
            state.append((model._meta.label, tuple(map(tuple, cursor.fetchall()))))
    return tuple(state)


def _media_root():
    return Path(settings.MEDIA_ROOT)


def _media_is_empty():
    root = _media_root()
    return not root.exists() or not any(root.iterdir())


def _copy_of_media():
    global _tempdir
    root = _media_root()
    if not root.exists():
        return None
    if _tempdir is None:
        _tempdir = tempfile.TemporaryDirectory(prefix="test-snapshots-")
    target = Path(tempfile.mkdtemp(dir=_tempdir.name))
    shutil.copytree(root, target, dirs_exist_ok=True)
    return target


def replayed(name, setup, request, *, refetch=None, after_replay=None, using=DEFAULT_DB_ALIAS):
    """setup() for this test, replayed from a recording where that gives the same database.

    refetch(result) turns the first run's result into this test's (for example, model
    instances read again); without it the set-up's result is returned as it was.
    after_replay() runs after a replay, for what must be of this moment (timestamps).
    """
    transactional = "transactional_db" in request.fixturenames or any(
        marker.kwargs.get("transaction") for marker in request.node.iter_markers("django_db")
    )
    if transactional or not _media_is_empty():
        stats[name, "ran"] += 1
        return setup()

    connection = connections[using]
    dependencies = _Dependencies.get(name)
    key = None
    if dependencies is not None:
        key = (name, _settings_key(), _state_key(dependencies, using))
        recording = _recorded.get(key)
        if recording is not None:
            _replay(recording, connection, using)
            stats[name, "replayed"] += 1
            if after_replay is not None:
                after_replay()
            return refetch(recording.result) if refetch else recording.result

    stats[name, "ran"] += 1
    models = _models()
    before = {model: _rows(model, using) for model in models}
    raw_before = dict(zip(models, _state_key(models, using), strict=True))
    with CaptureQueriesContext(connection) as queries:
        result = setup()
    changed = {}
    for model in models:
        after = _rows(model, using)
        if after != before[model]:
            changed[model] = after
    # What the set-up's outcome depends on: every table its SQL names, those it
    # changed, and the tables these point to (content types, read from a cache).
    read = _tables_in(queries.captured_queries, models) | set(changed)
    for model in list(read):
        for field in _columns(model):
            if field.remote_field is not None:
                read.add(field.remote_field.model._meta.concrete_model)
    dependencies = sorted(read, key=lambda model: model._meta.label)
    _Dependencies.set(name, dependencies)
    # The state before the set-up, in the tables it depends on.
    key = (name, _settings_key(), tuple(raw_before[model] for model in dependencies))
    _recorded[key] = _Recording(changed, _copy_of_media(), result)
    return result


class _Dependencies:
    _by_name = {}

    @classmethod
    def get(cls, name):
        return cls._by_name.get(name)

    @classmethod
    def set(cls, name, models):
        # Grows with every real run, so a key always covers what any run depended on.
        known = set(cls._by_name.get(name, ()))
        if not set(models) <= known:
            cls._by_name[name] = sorted(known | set(models), key=lambda m: m._meta.label)
            # Recordings keyed on fewer tables cannot be looked up any more.
            for key in [key for key in _recorded if key[0] == name]:
                del _recorded[key]


def _replay(recording, connection, using):
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model, rows in recording.changed.items():
            columns = _columns(model)
            table = quote(model._meta.db_table)
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (a model's quoted table)
            if rows:
                names = ", ".join(quote(field.column) for field in columns)
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608
                    [
                        [
                            field.get_db_prep_save(value, connection)
                            for field, value in zip(columns, row, strict=True)
                        ]
                        for row in rows
                    ],
                )
        for sql in connection.ops.sequence_reset_sql(no_style(), list(recording.changed)):
            cursor.execute(sql)
    if recording.media is not None:
        shutil.copytree(recording.media, _media_root(), dirs_exist_ok=True)
