"""Emptying every cache: Django's caches and what this process keeps between requests
(the list entries, the menu and the marks' meanings of the latest content version)."""

from django.core.cache import caches


def empty_caches():
    import pages.menu
    from research import models
    from research.listing import process_fragments

    for cache in caches.all():
        cache.clear()
    process_fragments.clear()
    pages.menu._latest = (object(), [])
    models._MEANINGS_CACHE.clear()
