from django.shortcuts import render

from profiles.models import Profile
from research.models import Publication


def home(request):
    profile = Profile.load()
    papers = list(Publication.objects.published().highlighted().for_listing())
    return render(
        request,
        "home/home.html",
        {
            "profile": profile,
            # Also stands in for the context processor's lazy copy: one query, not two.
            "site_profile": profile,
            "links": profile.visible_links(),
            "papers": papers,
            "show_equal_contribution_note": any(p.has_equal_contributors for p in papers),
        },
    )
