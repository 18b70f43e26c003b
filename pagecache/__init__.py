"""The page cache: the "content last changed" stamps, their signals, and the middleware.

models.ContentVersion holds the stamps, one site-wide and one per declared
content model (core.registry); freshness bumps them on every edit and turns the
site-wide one into validators (ETag, Last-Modified) for conditional GETs, the
per-model ones into keys for what pages keep between requests (the profile,
the menu); middleware answers anonymous requests for public pages from
Django's cache, keyed on the site-wide stamp.
"""
