"""/cv/, /cv.pdf and /cv.json: one CV (cv.document) in three forms."""

import json

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify

from core.links import site_root
from pagecache.freshness import conditional_on_content
from profiles.models import Profile

from .document import build_cv, has_content
from .pdf import cv_pdf
from .resume import json_resume


def _cv_or_404(request, profile=None, require_sections=False):
    profile = profile or Profile.shown(request)
    cv = build_cv(profile)
    if cv.is_empty and (require_sections or not has_content(request)):
        raise Http404("There is no CV yet.")
    return cv


@conditional_on_content
def cv_page(request):
    cv = _cv_or_404(request)
    return render(
        request, "cv/cv.html", {"cv": cv, "profile": cv.profile, "site_profile": cv.profile}
    )


@conditional_on_content
def cv_pdf_file(request):
    profile = Profile.shown(request)
    if profile.cv:
        # An uploaded PDF replaces the generated one, at the same address. Opened
        # from the storage: the profile's own file object is shared by requests.
        pdf = profile.cv.storage.open(profile.cv.name, "rb")
        response = FileResponse(pdf, content_type="application/pdf")
    else:
        cv = _cv_or_404(request, profile, require_sections=True)
        response = HttpResponse(cv_pdf(cv, site_root(request)), content_type="application/pdf")
    # Saved under the owner's name: "mikita-balesni-cv.pdf".
    name = slugify(profile.name)
    response["Content-Disposition"] = f'inline; filename="{name + "-" if name else ""}cv.pdf"'
    return response


@conditional_on_content
def cv_json_file(request):
    cv = _cv_or_404(request, require_sections=True)
    resume = json_resume(cv, site_root(request))
    return HttpResponse(
        json.dumps(resume, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
