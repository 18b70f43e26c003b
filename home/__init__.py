"""The homepage and the demo site.

views.home composes the about page from the profile (profiles) and the
highlighted papers (research); seeding/loadseed fill an empty site with the
demo page (seed/about.json, made from the al-folio about page in shared/seed).
It depends on the content apps; none of them depends on it.
"""
