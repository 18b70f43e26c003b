from django.utils.functional import SimpleLazyObject

from pagecache.freshness import last_changed

from .menu import site_menu as build_menu


def site_menu(request):
    """The site menu for the header, worked out only if a template shows it."""
    return {"site_menu": SimpleLazyObject(lambda: build_menu(last_changed(request)))}
