"""{% chrome "head" | "header" | "footer" %}: what every page has around its content.

The links in <head>, the header with the menu and the footer are the same on
every page but for the menu entry of the page itself, and rendering them
through templates (templates/_chrome/) was half of base.html on each cold
render. They are kept (core.memo) under the language, the URL prefix and the
page's own menu entry, and rendered again when what they show changes: the
menu's links, the owner's name, the year.
"""

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from core.memo import memo

register = template.Library()

PARTS = ("head", "header", "footer")


@register.simple_tag(takes_context=True)
def chrome(context, part):
    if part not in PARTS:
        raise template.TemplateSyntaxError(f"chrome: one of {', '.join(PARTS)}, not {part!r}")
    request = context.get("request")
    links = list(context.get("site_menu") or ())
    profile = context.get("site_profile")
    menu = tuple((str(link.label), link.href) for link in links)
    path = getattr(request, "path", None)
    current = path if any(href == path for _, href in menu) else None
    name = getattr(profile, "name", "") or ""
    year = timezone.localdate().year if part == "footer" else None

    def render():
        shown = {"site_menu": links, "site_profile": profile, "current": current, "year": year}
        return SafeString(render_to_string(f"_chrome/{part}.html", shown).strip())

    return memo.get(
        ("chrome", part, get_language(), get_script_prefix(), current), [menu, name, year], render
    )
