from django.shortcuts import render

from core.links import site_root
from pagecache.freshness import conditional_on_content
from profiles.models import Profile
from research.metadata import json_for_script

from .models import Talk


@conditional_on_content
def index(request):
    talks = Talk.objects.published().for_listing()
    groups = talks.by_year()
    profile = Profile.shown(request)
    root = site_root(request)
    events = [talk.json_ld(root, performer=profile.name) for _, group in groups for talk in group]
    json_ld = {"@context": "https://schema.org", "@graph": events} if events else None
    return render(
        request,
        "talks/index.html",
        {
            "groups": groups,
            "site_profile": profile,
            "json_ld": json_for_script(json_ld) if json_ld else "",
        },
    )
