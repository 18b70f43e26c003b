from django.utils.functional import SimpleLazyObject

from .models import Profile


def site_profile(request):
    """The owner's profile for the page header and title, loaded only if used."""
    return {"site_profile": SimpleLazyObject(lambda: Profile.shown(request))}
