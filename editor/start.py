"""What the editor's start page (the admin index) shows, and the hook to add to it.

- Actions: the buttons at the top ("Edit profile", "Add paper", ...). An action
  names an admin URL, or an app whose first admin model it adds to; it is left
  out when that URL or app does not exist or the editor lacks the permission,
  so "Add news" appears as soon as a news app is installed.
- Notices: lines other apps put there ("3 new papers in the inbox"):
  register_notice(function), where function(request) returns Notice objects.
- Drafts waiting: every content model (core.registry) with a draft status.
- Recent changes: the latest versions in the history (django-reversion), which
  records every admin save, import and bulk action, with who made it.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from reversion.models import Version

from core.registry import public_models

DRAFT = "draft"
DRAFTS_SHOWN = 20
RECENT_SHOWN = 12


@dataclass(frozen=True)
class Action:
    label: str
    url_name: str = ""  # an admin URL name, e.g. "admin:research_publication_add"
    app_label: str = ""  # or: add to the first admin model of this app
    permission: str = ""  # "app.codename"; empty: anyone with admin access
    primary: bool = False


@dataclass(frozen=True)
class Notice:
    text: str
    url: str = ""


ACTIONS = [
    Action(
        _("Edit profile"), "admin:profile_profile_changelist", permission="profile.change_profile"
    ),
    Action(
        _("Add paper"),
        "admin:research_publication_add",
        permission="research.add_publication",
        primary=True,
    ),
    Action(
        _("Import BibTeX"), "admin:research_import_bibtex", permission="research.add_publication"
    ),
    Action(_("Add from arXiv"), "admin:research_add_arxiv", permission="research.add_publication"),
    Action(_("Add news"), app_label="news"),
    Action(_("Edit CV"), "admin:cv_cvsection_changelist", permission="cv.view_cvsection"),
]
_NOTICES = []


def register_action(action):
    """Add a button to the start page (after the built-in ones)."""
    ACTIONS.append(action)


def register_notice(function):
    """function(request) -> iterable of Notice, shown under "Waiting for you"."""
    _NOTICES.append(function)
    return function


def _app_add_url(site, app_label, request):
    for model, model_admin in site._registry.items():
        if model._meta.app_label == app_label and model_admin.has_add_permission(request):
            return reverse(f"admin:{app_label}_{model._meta.model_name}_add")
    return ""


def actions(site, request):
    """[(label, url, primary)] for the buttons this editor may use."""
    found = []
    for action in ACTIONS:
        if action.permission and not request.user.has_perm(action.permission):
            continue
        if action.app_label:
            url = _app_add_url(site, action.app_label, request)
        else:
            try:
                url = reverse(action.url_name)
            except NoReverseMatch:
                url = ""
        if url:
            found.append((action.label, url, action.primary))
    return found


def notices(request):
    return [notice for function in _NOTICES for notice in function(request)]


def _status_field(model):
    try:
        field = model._meta.get_field("status")
    except Exception:  # noqa: BLE001 (FieldDoesNotExist: a model without drafts)
        return None
    return field if DRAFT in {value for value, _ in field.choices or ()} else None


def drafts(site, request):
    """[(object, kind, change URL)] of drafts in content models, newest edits first."""
    rows = []
    for model in public_models():
        if model not in site._registry or _status_field(model) is None:
            continue
        if not request.user.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}"):
            continue
        queryset = model._default_manager.filter(status=DRAFT)
        if any(f.name == "updated" for f in model._meta.fields):
            queryset = queryset.order_by("-updated")
        for obj in queryset[:DRAFTS_SHOWN]:
            rows.append((obj, model._meta.verbose_name, _admin_url(model, obj.pk)))
    return rows[:DRAFTS_SHOWN]


def _admin_url(model, object_id):
    return reverse(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[object_id]
    )


def recent_changes(site):
    """The latest saved versions of things edited in the admin, newest first:
    [(version, verbose name, change URL, or "" once the object is deleted)].

    Versions of inlines (authors, links, tags) are left out: they are saved with
    the item they belong to, which is listed.
    """
    types = ContentType.objects.get_for_models(*site._registry).values()
    versions = list(
        Version.objects.filter(content_type__in=types)
        .select_related("revision__user", "content_type")
        .order_by("-revision__date_created", "-pk")[:RECENT_SHOWN]
    )
    by_model = {}
    for version in versions:
        by_model.setdefault(version.content_type.model_class(), set()).add(version.object_id)
    existing = {
        model: {
            str(pk) for pk in model._default_manager.filter(pk__in=ids).values_list("pk", flat=True)
        }
        for model, ids in by_model.items()
    }
    rows = []
    for version in versions:
        model = version.content_type.model_class()
        alive = version.object_id in existing[model]
        url = _admin_url(model, version.object_id) if alive else ""
        rows.append((version, model._meta.verbose_name, url))
    return rows
