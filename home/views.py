from django.shortcuts import render

from news.models import NewsItem
from profiles.models import HomeSection, Profile
from research.models import Publication


def home(request):
    profile = Profile.load()
    sections = profile.home_sections()
    shown = {section.key: section for section in sections}
    papers = []
    if HomeSection.Key.HIGHLIGHTED_RESEARCH in shown:
        papers = list(Publication.objects.published().highlighted().for_listing())
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
            "papers": papers,
            "news": news,
        },
    )
