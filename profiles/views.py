from django.shortcuts import render

from research.listing import listing_context
from research.models import Publication

from .models import Profile


def home(request):
    profile = Profile.load()
    papers = Publication.objects.published().highlighted()
    return render(
        request,
        "profiles/home.html",
        {
            "profile": profile,
            # Also stands in for the context processor's lazy copy: one query, not two.
            "site_profile": profile,
            "links": profile.visible_links(),
            **listing_context(papers, archive=False, profile=profile),
        },
    )
