from django.utils.functional import SimpleLazyObject

from .menu import site_menu as build_menu


def site_menu(request):
    """The site menu for the header, worked out only if a template shows it."""
    return {"site_menu": SimpleLazyObject(lambda: build_menu(request))}
