"""The site menu: the sections apps offer (core.menu), in the order the owner gives them.

Published pages marked "show in the menu" are entries too. The owner orders and
hides them all in the admin (Menu, drag and drop); entries the owner has not
placed yet follow, in the order of INSTALLED_APPS, then pages
(MenuItemQuerySet.ordered_links).

What the menu reads is kept in each process under the content versions of
what it comes from (pagecache.freshness), so a cold render after an edit of
a paper, a talk or a news item reads none of it again:

- the menu rows with their pages, under the versions of pages.MenuItem and
  pages.Page (one query when one of those changed);
- whether each section has content (news, talks, teaching, the CV), asked by
  core.menu.entries_with_content, whose answers core.exists keeps under the
  versions of the models each question reads: a new published news item
  shows its entry on the next request, an edit of a paper asks nothing.

The links are then worked out again only when one of those two changed.
"""

import functools

from core.menu import entries_with_content, registered_entries
from pagecache.freshness import changed_of

from .models import MenuItem, Page, arranged_links

# (versions of the menu rows, rows): the newest this process has read.
_items = (object(), ())
# ((versions of the rows, keys of sections with content), links): the latest menu.
_latest = (object(), [])


def menu_items(request):
    """The menu rows with their pages, read again only when rows or pages changed."""
    global _items
    version = changed_of(request, MenuItem, Page)
    seen, items = _items
    if seen != version:
        items = tuple(MenuItem.objects.select_related("page"))
        _items = (version, items)
    return version, items


def site_menu(request):
    """The public menu as MenuLinks, for this request's content versions.

    Kept in the process, not the cache: the page cache's entries stay one per page.
    The rows and links are shared between requests: read them, never change them.
    """
    global _latest
    entries = registered_entries()
    version, items = menu_items(request)
    with_content = entries_with_content(
        entries.values(), request, functools.partial(changed_of, request)
    )
    key = (version, frozenset(with_content))
    seen, links = _latest
    if seen != key:
        links = [link for link, _, _ in arranged_links(entries, items, key[1])]
        _latest = (key, links)
    return links


def forget():
    """Drop what this process keeps (tests that start from an empty cache)."""
    global _items, _latest
    _items = (object(), ())
    _latest = (object(), [])
