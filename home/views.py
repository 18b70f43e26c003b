from django.shortcuts import render

from pagecache.freshness import uses_query
from profiles.models import Profile
from research.listing import listing_context
from research.models import Publication


@uses_query()
def home(request):
    profile = Profile.load()
    papers = Publication.objects.published().highlighted()
    return render(
        request,
        "home/home.html",
        {
            "profile": profile,
            # Also stands in for the context processor's lazy copy: one query, not two.
            "site_profile": profile,
            "links": profile.visible_links(),
            **listing_context(papers, archive=False, profile=profile),
        },
    )
