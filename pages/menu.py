"""The site menu: the sections apps offer, and the order the owner gives them.

An app offers a menu entry with `menu_entries` on its AppConfig, a list of
MenuEntry. An entry is shown while it has content: `model` names a model whose
`objects.published()` must not be empty, or `has_content` is a callable (or its
dotted path) answering that; an entry with neither is always shown (about,
research). Published pages marked "show in the menu" are entries too. The owner
orders and hides them all in the admin (Menu, drag and drop); entries the owner
has not placed yet follow, in the order of INSTALLED_APPS, then pages.

The menu is worked out once per content version (the pagecache timestamp) in
each process: two queries when the content changed, none otherwise.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db import connection
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

    def content_check(self):
        """A callable answering "has content?", or None when model or nothing decides."""
        if self.model or self.has_content is None:
            return None
        if isinstance(self.has_content, str):
            return import_string(self.has_content)
        return self.has_content


def entries_with_content(entries):
    """The keys of the entries that have content, with one query for all model checks."""
    shown, checks = set(), {}
    for entry in entries:
        if entry.model:
            published = apps.get_model(entry.model)._default_manager.published()
            checks[entry.key] = published.values("pk")[:1]
        elif entry.content_check() is None or entry.content_check()():
            shown.add(entry.key)
    if checks:
        parts, params = [], []
        for queryset in checks.values():
            sql, query_params = queryset.query.sql_with_params()
            parts.append(f"EXISTS({sql})")
            params.extend(query_params)
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(parts), params)  # noqa: S608 (ORM-built SQL)
            answers = cursor.fetchone()
        shown.update(key for key, answer in zip(checks, answers, strict=True) if answer)
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


def ordered_links(*, only_shown=True):
    """[(MenuLink, MenuItem or None, is_shown)] in the owner's order.

    Pages come from their menu rows (a page shown in the menu always has one),
    so the whole menu is two queries.
    """
    from .models import MenuItem, Status

    entries = registered_entries()
    items = list(MenuItem.objects.select_related("page"))
    placed = {item.key: item for item in items}
    with_content = entries_with_content(entries.values())
    rows = []
    for default_index, entry in enumerate(entries.values()):
        item = placed.get(entry.key)
        shown = (item is None or item.visible) and entry.key in with_content
        label = item.label if item is not None and item.label else entry.label
        order = (0, item.position, 0) if item is not None else (1, default_index, 0)
        rows.append((order, MenuLink(entry.key, label, entry.url_name), item, shown))
    for item in items:
        page = item.page
        if page is None or not page.show_in_menu or page.status != Status.PUBLISHED:
            continue
        link = MenuLink(item.key, item.label or page.title, "pages:detail", (("slug", page.slug),))
        rows.append(((0, item.position, item.pk), link, item, item.visible))
    rows.sort(key=lambda row: row[0])
    return [(link, item, shown) for _, link, item, shown in rows if shown or not only_shown]


# (content version, links): the menu of the newest version this process has seen.
_latest = (object(), [])


def site_menu(version):
    """The public menu as MenuLinks, worked out once per content version and process.

    Kept in the process, not the cache: the page cache's entries stay one per page.
    """
    global _latest
    seen, links = _latest
    if seen != version:
        links = [link for link, _, _ in ordered_links()]
        _latest = (version, links)
    return links
