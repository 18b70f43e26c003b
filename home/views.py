from django.shortcuts import render
from django.template.loader import render_to_string

from news.models import NewsItem
from pagecache.freshness import uses_query
from profiles.models import HomeSection, Profile
from research.listing import listing_context
from research.models import MarkMeaning, Publication


def about_parts(profile, sections, links):
    """The parts of the homepage that show only the profile, its sections and links,
    as HTML: the header with the photo, the bio with the links, active research."""
    by_key = {section.key: section for section in sections}
    parts = {}
    for part in ("header", "bio", "active_research"):
        context = {"part": part, "profile": profile, "section": by_key.get(part), "links": links}
        parts[part] = render_to_string("home/_about.html", context)
    return parts


@uses_query()
def home(request):
    profile = Profile.shown(request)
    sections = profile.home_sections()
    links = profile.visible_links()
    shown = {section.key: section for section in sections}
    listing = {}
    if HomeSection.Key.HIGHLIGHTED_RESEARCH in shown:
        highlighted = Publication.objects.published().highlighted()
        meanings = MarkMeaning.objects.meanings_of(request)
        listing = listing_context(
            highlighted, archive=False, profile=profile, meanings=meanings, constant="highlighted"
        )
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
            "links": links,
            # Rendered once per version of the profile, its sections and links.
            "about": profile.keep("home-about", lambda: about_parts(profile, sections, links)),
            "news": news,
            **listing,
        },
    )
