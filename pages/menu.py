"""The site menu: the sections apps offer (core.menu), in the order the owner gives them.

Published pages marked "show in the menu" are entries too. The owner orders and
hides them all in the admin (Menu, drag and drop); entries the owner has not
placed yet follow, in the order of INSTALLED_APPS, then pages
(MenuItemQuerySet.ordered_links).

The menu is worked out once per content version (the pagecache timestamp) in
each process: two queries when the content changed, none otherwise.
"""

from .models import MenuItem

# (content version, links): the menu of the newest version this process has seen.
_latest = (object(), [])


def site_menu(version):
    """The public menu as MenuLinks, worked out once per content version and process.

    Kept in the process, not the cache: the page cache's entries stay one per page.
    """
    global _latest
    seen, links = _latest
    if seen != version:
        links = [link for link, _, _ in MenuItem.objects.ordered_links()]
        _latest = (version, links)
    return links
