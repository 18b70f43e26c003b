"""Emptying every cache: Django's caches and what this process keeps between requests
(the list entries, the menu, the profile shown, the menu's and CV's "has content"
answers and the marks' meanings of the latest content versions)."""

from django.core.cache import caches


def empty_caches():
    import pages.menu
    from core.exists import forget_answers
    from profiles import models as profiles
    from research import models
    from research.listing import process_fragments

    for cache in caches.all():
        cache.clear()
    process_fragments.clear()
    pages.menu.forget()
    forget_answers()
    profiles._shown_profile = (object(), None)
    models._MEANINGS_CACHE.clear()
