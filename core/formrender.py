"""Django's form renderer, with its plainest widget templates written in Python.

A page of the admin renders hundreds of widgets: the change list's "highlighted"
checkbox, hidden id and action checkbox on each of its 100 rows, and a paper's
form seven per author row. Each goes through the template engine (a template
for the widget, one for <input>, one for its attributes), about 0.2 ms apiece:
most of the time of those pages.

FastRenderer gives exactly the HTML the templates give (tests/core/test_formrender.py
compares the two) for <input> widgets, <select> and its options and empty error
lists (every field of every row has one). The admin's related-widget box (the
add/change links by an author's name) is rendered once per field and filled in
for each row. Everything else, or any of these whose template was overridden or
changed, is rendered with the templates.
"""

from pathlib import Path

import django.contrib.admin
from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import get_language

_DIR = "django/forms/widgets/"
# Django's own templates that the Python below replaces, as their source reads.
_ATTRS = (
    "{% for name, value in widget.attrs.items %}{% if value is not False %} {{ name }}"
    "{% if value is not True %}=\"{{ value|stringformat:'s' }}\"{% endif %}{% endif %}"
    "{% endfor %}"
)
_INPUT = (
    '<input type="{{ widget.type }}" name="{{ widget.name }}"{% if widget.value != None %}'
    " value=\"{{ widget.value|stringformat:'s' }}\"{% endif %}"
    '{% include "django/forms/widgets/attrs.html" %}>\n'
)
_INCLUDES_INPUT = '{% include "django/forms/widgets/input.html" %}\n'
_SELECT = (
    '<select name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>'
    "{% for group_name, group_choices, group_index in widget.optgroups %}{% if group_name %}\n"
    '  <optgroup label="{{ group_name }}">{% endif %}{% for option in group_choices %}\n'
    "  {% include option.template_name with widget=option %}{% endfor %}{% if group_name %}\n"
    "  </optgroup>{% endif %}{% endfor %}\n</select>\n"
)
_OPTION = (
    "<option value=\"{{ widget.value|stringformat:'s' }}\""
    '{% include "django/forms/widgets/attrs.html" %}>{{ widget.label }}</option>\n'
)
_OPTION_NAME = _DIR + "select_option.html"
_ERRORS = "django/forms/errors/list/"
_ERRORS_UL = (
    '{% if errors %}<ul class="{{ error_class }}"{% if errors.field_id %} '
    'id="{{ errors.field_id }}_error"{% endif %}>{% for error in errors %}<li>{{ error }}</li>'
    "{% endfor %}</ul>{% endif %}"
)
_INCLUDES_ERRORS_UL = '{% include "django/forms/errors/list/ul.html" %}'
# The admin's box around a foreign key's widget, with its add/change/view links:
# on a form, the same for every row but for the field's name and its widget.
_WRAPPER = "admin/widgets/related_widget_wrapper.html"
_WRAPPER_FILE = Path(django.contrib.admin.__file__).parent / "templates" / _WRAPPER
_ROW_PARTS = {"name": "\ue000name\ue000", "rendered_widget": "\ue000widget\ue000"}
_PLACEHOLDERS = {
    "name": _ROW_PARTS["name"],
    "rendered_widget": mark_safe(_ROW_PARTS["rendered_widget"]),  # noqa: S308 (a constant)
}
# How `{{ value }}` prints outside a string: localized, as in a form's template.
_CONTEXT = Context(autoescape=True)


class _Fallback(Exception):
    """Something the templates would treat in a way the Python does not copy."""


def _printed(value):
    """{{ value }}"""
    if isinstance(value, str):
        return conditional_escape(value)
    if callable(value):
        raise _Fallback  # a template would call it
    return render_value_in_context(value, _CONTEXT)


def _formatted(value):
    """{{ value|stringformat:'s' }}"""
    if callable(value):
        raise _Fallback
    # The filter is "%s" % value, and keeps a safe string safe.
    text = str(value) if isinstance(value, tuple) else "%s" % (value,)  # noqa: UP031
    if isinstance(value, SafeData):
        text = mark_safe(text)  # noqa: S308 (it was safe already)
    return conditional_escape(text)


def _frozen(value):
    """value, hashable (limit_choices_to is a dict, most often empty), or TypeError."""
    if isinstance(value, dict):
        return (dict, tuple(sorted((k, _frozen(v)) for k, v in value.items())))
    hash(value)
    return value


def _attrs(attrs):
    if not isinstance(attrs, dict) or "items" in attrs:
        raise _Fallback
    html = []
    for name, value in attrs.items():
        if value is not False:
            html.append(" " + _printed(name))
            if value is not True:
                html.append('="' + _formatted(value) + '"')
    return "".join(html)


def _no_errors(context):
    """An empty error list (every field of every row has one): nothing."""
    if context["errors"]:
        raise _Fallback
    return ""


def _input(context):
    widget = context["widget"]
    value = widget["value"]
    html = f'<input type="{_printed(widget["type"])}" name="{_printed(widget["name"])}"'
    if value is not None:
        html += f' value="{_formatted(value)}"'
    return html + _attrs(widget["attrs"]) + ">"


def _option(option):
    if option.get("template_name") != _OPTION_NAME:
        raise _Fallback
    return (
        f'<option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
        f"{_printed(option['label'])}</option>\n"
    )


def _select(context):
    widget = context["widget"]
    html = [f'<select name="{_printed(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            html.append(f'\n  <optgroup label="{_printed(group_name)}">')
        for option in group_choices:
            html.append("\n  " + _option(option))
        if group_name:
            html.append("\n  </optgroup>")
    html.append("\n</select>")
    return "".join(html)


class FastRenderer(DjangoTemplates):
    def __init__(self):
        super().__init__()
        self._python = {}  # template name: its Python version, or None
        self._wrappers = {}  # the same field's wrapper: its HTML, with placeholders

    def render(self, template_name, context, request=None):
        if template_name == _WRAPPER and request is None:
            return self._render_wrapper(context)
        python = self._python.get(template_name, False)
        if python is False:
            python = self._python[template_name] = self._python_for(template_name)
        if python is not None and request is None:
            try:
                return SafeString(python(context))
            except (_Fallback, KeyError, TypeError, ValueError):
                pass
        return super().render(template_name, context, request)

    def _python_for(self, template_name):
        if template_name in (_ERRORS + "ul.html", _ERRORS + "default.html"):
            known = self._reads(_ERRORS + "ul.html", _ERRORS_UL) and (
                template_name.endswith("ul.html") or self._reads(template_name, _INCLUDES_ERRORS_UL)
            )
            return _no_errors if known else None
        if not template_name.startswith(_DIR):
            return None
        if not self._reads(_DIR + "attrs.html", _ATTRS):
            return None
        if template_name == _DIR + "select.html":
            known = self._reads(template_name, _SELECT) and self._reads(_OPTION_NAME, _OPTION)
            return _select if known else None
        if template_name == _DIR + "input.html" or self._reads(template_name, _INCLUDES_INPUT):
            return _input if self._reads(_DIR + "input.html", _INPUT) else None
        return None

    def _render_wrapper(self, context):
        """The wrapper template rendered once per field, then filled in for each row."""
        rows = {name: _printed(context.get(name, "")) for name in _ROW_PARTS}
        try:
            others = sorted((k, _frozen(v)) for k, v in context.items() if k not in _ROW_PARTS)
            key = (get_language(), tuple(others))
            html = self._wrappers.get(key)
        except TypeError:  # e.g. limit_choices_to is a Q: render each row
            return super().render(_WRAPPER, context)
        if html is None:
            if Path(self.get_template(_WRAPPER).origin.name) != _WRAPPER_FILE:
                return super().render(_WRAPPER, context)
            if len(self._wrappers) > 200:
                self._wrappers.clear()
            html = super().render(_WRAPPER, {**context, **_PLACEHOLDERS})
            self._wrappers[key] = html
        for name, placeholder in _ROW_PARTS.items():
            html = html.replace(placeholder, rows[name])
        return SafeString(html)

    def _reads(self, template_name, source):
        try:
            return self.get_template(template_name).template.source == source
        except Exception:  # noqa: BLE001 - no such template, another backend: use templates
            return False
