"""Admin behaviour that keeps the owner's work: history, recovery, edit conflicts.

SafeEditAdmin is a ModelAdmin base class that
- versions every save made in the admin, with its inlines (django-reversion):
  each object's "History" lists versions and can revert to any of them;
- snapshots an object just before the admin deletes it, so "Recover deleted …"
  can bring it back with its inlines even if it was never edited in the admin;
- refuses to overwrite changes someone else saved after the editor opened the
  form (models with an `updated` auto_now field), with a message that says what
  happened and how to go on.
"""

import reversion
from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from reversion import revisions as reversion_revisions
from reversion.admin import VersionAdmin

CONFLICT_FIELD = "conflict_token"


def _token(value):
    return value.isoformat() if value else ""


class ConflictCheckForm(forms.ModelForm):
    """Carries the `updated` time the form was opened with, and checks it on save."""

    conflict_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields[CONFLICT_FIELD].initial = _token(getattr(self.instance, "updated", None))

    def clean(self):
        cleaned_data = super().clean()
        opened_at = self.data.get(self.add_prefix(CONFLICT_FIELD), "")
        if self.instance.pk is None or not opened_at:
            return cleaned_data
        saved_at = (
            type(self.instance)
            ._default_manager.filter(pk=self.instance.pk)
            .values_list("updated", flat=True)
            .first()
        )
        if saved_at is not None and _token(saved_at) != opened_at:
            # Submitting again (deliberately) replaces the other version.
            self.data = self.data.copy()
            self.data[self.add_prefix(CONFLICT_FIELD)] = _token(saved_at)
            when = date_format(timezone.localtime(saved_at), "DATETIME_FORMAT")
            raise forms.ValidationError(
                f"Someone else saved this {self.instance._meta.verbose_name} on {when}, "
                "after you opened this page. Your changes have NOT been saved, and theirs "
                "are untouched. Open the page in a new tab to see their version; then either "
                "click Save again here to replace it with yours, or reload to keep theirs.",
                code="edit_conflict",
            )
        return cleaned_data


class SafeEditAdmin(VersionAdmin):
    form = ConflictCheckForm
    history_latest_first = True
    # Extra relations saved with each version besides the inlines (e.g. tags).
    history_follow = ()

    def reversion_register(self, model, **kwargs):
        if model is self.model and self.history_follow:
            kwargs["follow"] = tuple(kwargs.get("follow", ())) + tuple(self.history_follow)
        super().reversion_register(model, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and issubclass(self.form, ConflictCheckForm):
            fieldsets.append((None, {"fields": [CONFLICT_FIELD], "classes": ["hidden"]}))
        return fieldsets

    def delete_model(self, request, obj):
        self._snapshot(request, [obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        self._snapshot(request, list(queryset))
        super().delete_queryset(request, queryset)

    def _snapshot(self, request, objects):
        """A saved version of each object as it is now, so it can be recovered.

        It must be a revision of its own: inside the revision the request or the
        change list already opened, reversion would drop the versions of objects
        that no longer exist when that revision ends. reversion keeps its open
        revisions in a context variable; it is emptied for this block only.
        """
        outer = reversion_revisions._stack.set([])
        try:
            with reversion.create_revision():
                reversion.set_user(request.user)
                reversion.set_comment("Deleted (this version can be recovered).")
                for obj in objects:
                    reversion.add_to_revision(obj)
        finally:
            reversion_revisions._stack.reset(outer)


def register_history(model, **kwargs):
    """Version a model that is saved along with an admin-edited one."""
    if not reversion.is_registered(model):
        reversion.register(model, **kwargs)
