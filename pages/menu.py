"""The site menu: the entries apps offer (core/menu.py), in the owner's order.

Published pages marked "show in the menu" are entries too. The owner orders,
renames and hides them all in the admin (Menu, drag and drop); entries the owner
has not placed yet follow, in the order of INSTALLED_APPS.

The menu is worked out once per content version (the pagecache timestamp) in
each process: two queries when the content changed, none otherwise.
"""

from dataclasses import dataclass

from django.apps import apps
from django.urls import reverse

from core.menu import MenuEntry, entries_with_content, registered_entries

__all__ = ["MenuEntry", "MenuLink", "ordered_links", "site_menu"]

PAGE_PREFIX = "page:"


@dataclass(frozen=True)
class MenuLink:
    key: str
    label: str
    url_name: str
    kwargs: tuple = ()

    @property
    def href(self):
        return reverse(self.url_name, kwargs=dict(self.kwargs))


def ordered_links(*, only_shown=True):
    """[(MenuLink, MenuItem or None, is_shown)] in the owner's order.

    Pages come from their menu rows (a page shown in the menu always has one),
    so the whole menu is two queries.
    """
    MenuItem = apps.get_model("pages", "MenuItem")
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
        if page is None or not page.show_in_menu or not page.is_published:
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
