from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError

from . import throttle


class EditorLoginForm(AdminAuthenticationForm):
    """The admin login form, also throttled per account (see accounts.throttle)."""

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if username and not throttle.is_known_device(self.request, username):
            wait = throttle.wait_seconds(username)
            if wait:
                raise ValidationError(
                    "Too many failed logins for this account. Try again in %(wait)s.",
                    code="account_throttled",
                    params={"wait": _duration(wait)},
                )
        try:
            return super().clean()
        except ValidationError:
            if username:
                throttle.record_failure(username)
            raise


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=32,
        help_text="The 6-digit code your authenticator app shows, or one of your recovery codes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "inputmode": "text"}
        ),
    )


def _duration(seconds):
    if seconds < 90:
        return f"{seconds} seconds"
    return f"{round(seconds / 60)} minutes"
