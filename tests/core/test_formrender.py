"""The site's form renderer writes what Django's templates write, only faster.

core.formrender.FastRenderer renders plain <input> and <select> widgets and empty
error lists in Python, and fills the admin's related-widget box in per row;
every page and widget here is rendered both ways and must be the same, byte for
byte.
"""

import datetime
import re

import pytest
from django import forms
from django.forms.renderers import BaseRenderer, DjangoTemplates
from django.forms.utils import ErrorList
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from core.formrender import FastRenderer
from research.models import Publication

FAST, TEMPLATES = FastRenderer(), DjangoTemplates()
ODD = "a<b & \"c\" 'd' é"


class Everything(forms.Form):
    text = forms.CharField(max_length=10, help_text="help")
    optional = forms.CharField(required=False, widget=forms.TextInput(attrs={"class": ODD}))
    number = forms.DecimalField()
    date = forms.DateField(widget=forms.DateInput(attrs={"disabled": True, "hidden": False}))
    flag = forms.BooleanField(required=False)
    check_value = forms.CharField(widget=forms.CheckboxInput)
    hidden = forms.CharField(widget=forms.HiddenInput)
    password = forms.CharField(widget=forms.PasswordInput(render_value=True))
    email = forms.EmailField()
    url = forms.URLField()
    choice = forms.ChoiceField(
        choices=[
            ("", "---"),
            (1, gettext_lazy("One")),
            ("Group <1>", [("a", "A & a"), ("b", mark_safe("<b>B</b>"))]),
            (ODD, ODD),
        ]
    )
    many = forms.MultipleChoiceField(choices=[(1, 1), (2, 2.5), (3, None)])
    maybe = forms.NullBooleanField()
    radio = forms.ChoiceField(choices=[("x", "X")], widget=forms.RadioSelect)
    area = forms.CharField(widget=forms.Textarea)


VALUES = [
    {},
    {
        "text": ODD,
        "optional": mark_safe("<i>safe</i>"),
        "number": "3.50",
        "date": "2024-02-29",
        "flag": "on",
        "check_value": "yes",
        "hidden": ODD,
        "password": ODD,
        "email": "x@example.org",
        "url": "https://example.org/?a=1&b=2",
        "choice": "b",
        "many": ["1", "3"],
        "maybe": "true",
        "radio": "x",
        "area": ODD,
    },
]


def rendered(form, renderer):
    form.renderer = renderer
    html = [str(field) for field in form] + [str(field.errors) for field in form]
    return html + [str(form.non_field_errors()), form.render()]


@pytest.mark.parametrize("data", VALUES)
@pytest.mark.parametrize("bound", [False, True], ids=["unbound", "bound"])
@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_widget_renders_as_the_templates_render_it(data, bound, language, monkeypatch):
    with override(language):
        initial = {} if bound else {**data, "date": datetime.date(2024, 2, 29), "number": 3.5}
        make = (lambda: Everything(data)) if bound else (lambda: Everything(initial=initial))
        expected = rendered(make(), TEMPLATES)
        by_templates = []
        render = BaseRenderer.render

        def spy(renderer, template_name, context, request=None):
            by_templates.append(template_name)
            return render(renderer, template_name, context, request)

        monkeypatch.setattr(BaseRenderer, "render", spy)
        assert rendered(make(), FAST) == expected
    # What Python writes never went through the templates.
    assert not {name for name in by_templates if name.endswith(PYTHON)}
    assert "django/forms/widgets/textarea.html" in by_templates  # left to its template


PYTHON = tuple(
    f"widgets/{name}.html"
    for name in ["text", "number", "date", "checkbox", "hidden", "password", "email", "url"]
    + ["select", "input"]
)


def test_error_lists_render_as_the_templates_render_them():
    for errors in [ErrorList(), ErrorList(["<bad>", "worse"]), ErrorList(["x"], field_id="id_x")]:
        assert errors.render(renderer=FAST) == errors.render(renderer=TEMPLATES)
        assert errors.render("django/forms/errors/list/ul.html", renderer=FAST) == (
            errors.render("django/forms/errors/list/ul.html", renderer=TEMPLATES)
        )


def test_an_unknown_attribute_value_is_left_to_the_templates():
    widget = forms.TextInput(attrs={"data-x": lambda: "called"})
    assert widget.render("n", "v", renderer=FAST) == widget.render("n", "v", renderer=TEMPLATES)
    assert "called" in widget.render("n", "v", renderer=FAST)


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


@pytest.mark.parametrize(
    "url",
    [
        "/admin/research/publication/",
        "/admin/research/publication/?q=balesni",
        "paper",
        "/admin/research/publication/add/",
        "/admin/research/person/",
        "/admin/research/person/add/",
    ],
)
def test_admin_pages_are_the_same_with_the_templates(seeded, editor_client, settings, url):
    if url == "paper":
        paper = Publication.objects.get(slug="reversal-curse")
        url = f"/admin/research/publication/{paper.pk}/change/"
    settings.FORM_RENDERER = "core.formrender.FastRenderer"
    fast = _page(editor_client, url)
    if url.startswith("/admin/research/publication/") and url.endswith(("/change/", "/add/")):
        assert fast.count('class="related-widget-wrapper"') >= 2
    settings.FORM_RENDERER = "django.forms.renderers.DjangoTemplates"
    assert fast == _page(editor_client, url)
