from django.shortcuts import render

from news.models import NewsItem
from pagecache.freshness import last_changed, uses_query
from profiles.models import HomeSection, Profile
from research.listing import listing_context
from research.models import MarkMeaning, Publication


@uses_query()
def home(request):
    profile = Profile.load()
    sections = profile.home_sections()
    shown = {section.key: section for section in sections}
    listing = {}
    if HomeSection.Key.HIGHLIGHTED_RESEARCH in shown:
        highlighted = Publication.objects.published().highlighted()
        meanings = MarkMeaning.objects.meanings_as_of(last_changed(request))
        listing = listing_context(highlighted, archive=False, profile=profile, meanings=meanings)
    news = []
    if HomeSection.Key.NEWS in shown:
        news = list(NewsItem.objects.published()[: shown[HomeSection.Key.NEWS].items])
    return render(
        request,
        "home/home.html",
        {
            "profile": profile,
            # Also stands in for the context processor's lazy copy: one query, not two.
            "site_profile": profile,
            "sections": sections,
            "links": profile.visible_links(),
            "news": news,
            **listing,
        },
    )
