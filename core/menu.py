"""The menu entries apps offer: the registry behind the site menu.

An app offers a menu entry with `menu_entries` on its AppConfig, a list of
MenuEntry. An entry is shown while it has content: `model` names a model whose
`objects.published()` must not be empty, or `has_content` is a callable (or its
dotted path) answering that; an entry with neither is always shown (about,
research). The pages app keeps the owner's order of them (pages.models.MenuItem)
and builds the menu (pages.menu).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.urls import reverse
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


def entries_with_content(entries):
    """The keys of the entries that have content, with one query for all model checks."""
    shown, models = set(), {}
    for entry in entries:
        if entry.model:
            models[entry.key] = entry.model
        elif entry.content_check() is None or entry.content_check()():
            shown.add(entry.key)
    if models:

        def build():
            return [apps.get_model(m)._default_manager.published() for m in models.values()]

        answers = exist(("menu", tuple(models.items())), build)
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
        return reverse(self.url_name, kwargs=dict(self.kwargs))


def registered_entries():
    """{key: MenuEntry} from every installed app, in INSTALLED_APPS order."""
    entries = {}
    for config in apps.get_app_configs():
        for entry in getattr(config, "menu_entries", ()):
            entries[entry.key] = entry
    return entries
