"""The menu entries apps offer: the registry behind the site menu.

An app offers a menu entry with `menu_entries` on its AppConfig, a list of
MenuEntry. An entry is shown while it has content: `model` names a model whose
`objects.published()` must not be empty, or `has_content` is a callable (or its
dotted path) answering that; an entry with neither is always shown (about,
research). A `has_content` that takes an argument is given the request (or
None), so it can keep its answer under the content versions of what it reads
(core.exists, pagecache.freshness.changed_of). The pages app keeps the owner's
order of them (pages.models.MenuItem) and builds the menu (pages.menu).
"""

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.module_loading import import_string

from .exists import exist

PAGE_PREFIX = "page:"


@dataclass(frozen=True)
class MenuEntry:
    key: str
    label: str
    url_name: str
    model: str = ""
    has_content: Callable | str | None = None

    def content_check(self):
        """A callable answering "has content?", or None when model or nothing decides."""
        if self.model or self.has_content is None:
            return None
        if isinstance(self.has_content, str):
            return import_string(self.has_content)
        return self.has_content


@functools.cache
def _takes_request(check):
    return bool(inspect.signature(check).parameters)


def entries_with_content(entries, request=None, stamp=None):
    """The keys of the entries that have content, with at most one query for all model checks.

    `request` goes to the `has_content` checks that take it; with `stamp`
    (the request's content versions, see core.exists) the model checks'
    answers are kept, and none is asked again until its model changes.
    """
    shown, models = set(), {}
    for entry in entries:
        if entry.model:
            models[entry.key] = entry.model
            continue
        check = entry.content_check()
        if check is None or (check(request) if _takes_request(check) else check()):
            shown.add(entry.key)
    if models:

        def build():
            return [apps.get_model(m)._default_manager.published() for m in models.values()]

        answers = exist(("menu", tuple(models.items())), build, stamp)
        shown.update(key for key, answer in zip(models, answers, strict=True) if answer)
    return shown


@dataclass(frozen=True)
class MenuLink:
    key: str
    label: str
    url_name: str
    kwargs: tuple = ()

    @property
    def href(self):
        return _href(self.url_name, self.kwargs, get_script_prefix(), get_urlconf())


@functools.lru_cache(maxsize=256)
def _href(url_name, kwargs, prefix, urlconf):
    # The menu is on every page: once per process, not once per link and render.
    return reverse(url_name, kwargs=dict(kwargs), urlconf=urlconf)


def registered_entries():
    """{key: MenuEntry} from every installed app, in INSTALLED_APPS order."""
    entries = {}
    for config in apps.get_app_configs():
        for entry in getattr(config, "menu_entries", ()):
            entries[entry.key] = entry
    return entries
