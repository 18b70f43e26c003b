"""The Jinja2 environment of the per-paper fragments (templates/jinja2/).

A list entry, a paper page's body and a feed item are rendered a thousand at
a time on the first /research/ of a process, where Django's templates cost
about half a millisecond each (research/listing.py). These few templates are
Jinja2, through Django's own backend (settings.TEMPLATES, the engine named
"jinja2"); every page around them stays a Django template.

They print exactly what the Django templates they replaced printed:

- every value printed is escaped as Django's conditional_escape would (`finalize`),
  so escaping is Django's (&#x27; for an apostrophe, not MarkupSafe's &#39;),
  and SafeString (Django's) and Markup (Jinja's) both pass as they are;
- a template's last newline is kept, as Django keeps it;
- `_()` and `ngettext()` are Django's gettext and ngettext (Jinja's i18n
  extension), so the active language applies. Write `{{ _("Text") }}`, or
  `{% set name = _("Text") %}` for an argument: `make messages` reads these
  files as Django templates and finds constants written so.

What the Django templates got from template tags are plain functions here,
the same ones the tags call: an app lists them on its AppConfig,

    class ResearchConfig(AppConfig):
        jinja_globals = {"author_list": "research.templatetags.authors.author_list"}

and a function that needs the template's context (the request, the profile)
is marked with jinja2.pass_context; it reads the context with .get(), as a
Django tag does. core.jinja itself adds `url` (reverse) and the `date` filter.
"""

from html import escape as escape_html

import jinja2
from django.apps import apps
from django.template import engines
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext, ngettext


def environment(**options):
    options.setdefault("keep_trailing_newline", True)
    options.setdefault("extensions", []).append("jinja2.ext.i18n")
    options.pop("autoescape", None)  # always on: these are HTML
    env = jinja2.Environment(autoescape=True, finalize=escape, **options)
    # Old-style gettext: translations are escaped when printed, as by {% translate %}.
    env.install_gettext_callables(gettext, ngettext, newstyle=False)
    env.globals["url"] = url
    env.filters["date"] = date
    for config in apps.get_app_configs():
        for name, path in getattr(config, "jinja_globals", {}).items():
            env.globals[name] = import_string(path)
    return env


def escape(value):
    """Django's conditional_escape(value): escaped text Jinja prints as it is.

    The standard library's html.escape is what Django's escape() calls, without
    its lazy-text wrapper: this runs for every value a fragment prints.
    """
    if hasattr(value, "__html__"):
        return value
    return SafeString(escape_html(str(value)))


def render_fragment(name, context):
    """The fragment templates/jinja2/<name> rendered with context (a dict), safe to print."""
    return mark_safe(engines["jinja2"].get_template(name).render(context))  # noqa: S308 (escaped)


def url(name, *args, **kwargs):
    """{% url name arg %}: reverse(name, args=args, kwargs=kwargs)."""
    return reverse(name, args=args or None, kwargs=kwargs or None)


def date(value, arg=None):
    """Django's |date: local time first, as Django's templates convert it."""
    return date_filter(template_localtime(value), arg)
