"""The site menu: the sections apps offer, and the order the owner gives them.

An app offers a menu entry with `menu_entries` on its AppConfig, a list of
MenuEntry. An entry is shown while it has content: `model` names a model whose
`objects.published()` must not be empty, or `has_content` is a callable (or its
dotted path) answering that; an entry with neither is always shown (about,
research). Published pages marked "show in the menu" are entries too. The owner
orders and hides them all in the admin (Menu, drag and drop); entries the owner
has not placed yet follow, in the order of INSTALLED_APPS, then pages.

The menu is worked out once per content version (pagecache timestamp) and kept
in the cache: a page costs one query for it at most, however many entries.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.core.cache import cache
from django.urls import reverse
from django.utils.module_loading import import_string

PAGE_PREFIX = "page:"


@dataclass(frozen=True)
class MenuEntry:
    key: str
    label: str
    url_name: str
    model: str = ""
    has_content: Callable | str | None = None

    def is_shown(self):
        if self.model:
            return apps.get_model(self.model).objects.published().exists()
        if self.has_content is not None:
            check = self.has_content
            if isinstance(check, str):
                check = import_string(check)
            return bool(check())
        return True


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


def candidates():
    """Every possible menu link as (key, default label, url_name, kwargs), default order."""
    from .models import Page

    links = [(e.key, e.label, e.url_name, ()) for e in registered_entries().values()]
    for page in Page.objects.published().in_menu().only("pk", "title", "slug"):
        links.append(
            (f"{PAGE_PREFIX}{page.pk}", page.title, "pages:detail", (("slug", page.slug),))
        )
    return links


def ordered_links(*, only_shown=True):
    """[(MenuLink, MenuItem or None, is_shown)] in the owner's order."""
    from .models import MenuItem

    entries = registered_entries()
    items = {item.key: item for item in MenuItem.objects.all()}
    rows = []
    for default_index, (key, label, url_name, kwargs) in enumerate(candidates()):
        item = items.get(key)
        entry = entries.get(key)
        shown = (item is None or item.visible) and (entry is None or entry.is_shown())
        if only_shown and not shown:
            continue
        link = MenuLink(key, (item.label if item and item.label else label), url_name, kwargs)
        order = (0, item.position, default_index) if item else (1, default_index, 0)
        rows.append((order, link, item, shown))
    rows.sort(key=lambda row: row[0])
    return [(link, item, shown) for _, link, item, shown in rows]


def site_menu(version):
    """The public menu as MenuLinks, cached for this content version."""
    key = f"site-menu:{version.isoformat() if version else '-'}"
    links = cache.get(key)
    if links is None:
        links = [link for link, _, _ in ordered_links()]
        cache.set(key, links, 24 * 3600)
    return links
