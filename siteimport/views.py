"""The editor's "Import a whole site" page: upload a zip of the repository, check, import.

The first step unpacks the zip into a private temporary folder and shows what
importing would do (a dry run of the same writer the command uses); the
confirmation imports from that folder, which is then deleted. Only one pending
upload per editor is kept, in their session.
"""

import secrets
import shutil
import tempfile
import time
from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from .archive import unpack
from .data import SiteImportError
from .readers import LAYOUTS, READERS, read_site
from .writer import import_site

SESSION_KEY = "siteimport_pending"
# What an import saves: the profile, links, papers and the people on them.
NEEDED_PERMISSIONS = (
    "profile.change_profile",
    "profile.add_sociallink",
    "research.add_publication",
    "research.change_publication",
    "research.add_person",
    "research.change_person",
)


class SiteZipForm(forms.Form):
    archive = forms.FileField(
        label="Zip of the site's repository",
        help_text="On GitHub: Code → Download ZIP. al-folio, Hugo Blox and academicpages sites.",
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )
    layout = forms.ChoiceField(
        label="Made with",
        required=False,
        choices=[("", "Detect from the files"), *[(k, READERS[k].label) for k in LAYOUTS]],
    )


def _pending_folder(token):
    return Path(tempfile.gettempdir()) / f"siteimport-{token}"


def _forget_abandoned(max_age=24 * 3600):
    """Uploads previewed but never confirmed are removed after a day."""
    for folder in Path(tempfile.gettempdir()).glob("siteimport-*"):
        try:
            if time.time() - folder.stat().st_mtime > max_age:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


def _discard(request):
    token = request.session.pop(SESSION_KEY, None)
    if token:
        shutil.rmtree(_pending_folder(token["token"]), ignore_errors=True)


def _render(request, template, context):
    return TemplateResponse(
        request,
        f"siteimport/{template}",
        {**admin.site.each_context(request), "title": "Import a whole site", **context},
    )


def import_site_view(request):
    if not all(request.user.has_perm(p) for p in NEEDED_PERMISSIONS):
        raise PermissionDenied
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request)
    form = SiteZipForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _render(request, "import_site.html", {"form": form})
    _discard(request)
    _forget_abandoned()
    token = secrets.token_hex(16)
    folder = _pending_folder(token)
    folder.mkdir(mode=0o700)
    layout = form.cleaned_data["layout"] or None
    try:
        unpack(form.cleaned_data["archive"], folder)
        report = import_site(read_site(folder, layout), dry_run=True)
    except SiteImportError as error:
        shutil.rmtree(folder, ignore_errors=True)
        form.add_error("archive", f"{error} Nothing was saved.")
        return _render(request, "import_site.html", {"form": form})
    request.session[SESSION_KEY] = {"token": token, "layout": layout}
    return _render(request, "import_site_preview.html", {"report": report, "token": token})


def _confirm(request):
    pending = request.session.get(SESSION_KEY)
    if not pending or request.POST.get("token") != pending["token"]:
        messages.error(request, "That upload is no longer waiting: upload the zip again.")
        return redirect(reverse("siteimport:import"))
    folder = _pending_folder(pending["token"])
    try:
        report = import_site(read_site(folder, pending["layout"]), user=request.user)
    except SiteImportError as error:
        messages.error(request, f"{error} Nothing was saved.")
        return redirect(reverse("siteimport:import"))
    finally:
        _discard(request)
    return _render(request, "import_site_preview.html", {"report": report, "done": True})
