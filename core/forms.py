"""Uploads are written while the form is validated, so a storage failure is a form error.

Django writes files only when the model is saved, after validation, so a full
or read-only disk ends as "Server Error (500)" with the editor's work lost.
StoresUploadsForm writes each new upload at the end of validation instead: if
that fails, the field gets an error saying why (no paths) and the form comes
back with everything else the editor typed; the later model save finds the
file already stored.
"""

import errno

from django import forms
from django.db import models

_REASONS = {
    errno.ENOSPC: "the server's disk is full",
    errno.EDQUOT: "the server's storage quota is used up",
    errno.EROFS: "the server's storage is read-only",
    errno.EACCES: "the server is not allowed to write to its storage",
    errno.EPERM: "the server is not allowed to write to its storage",
    errno.EIO: "the server's disk reported an error",
}


def storage_error_message(error):
    """What the editor is told when a file could not be written (never the path)."""
    why = _REASONS.get(getattr(error, "errno", None), "the server could not write it")
    return (
        f"The file could not be stored: {why}. Nothing was saved; try again later, "
        "or tell whoever runs the site."
    )


class StoresUploadsForm(forms.ModelForm):
    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return  # nothing will be saved: store nothing
        for field in self.instance._meta.concrete_fields:
            if not isinstance(field, models.FileField) or field.name not in self.cleaned_data:
                continue
            file = getattr(self.instance, field.attname)
            if not file or file._committed:
                continue
            try:
                field.pre_save(self.instance, self.instance._state.adding)
            except OSError as error:
                self.add_error(field.name, storage_error_message(error))
