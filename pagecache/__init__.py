"""The page cache: the "content last changed" timestamp, its signals, and the middleware.

models.ContentVersion holds the timestamp; freshness bumps it on every edit of a
declared content model (core.registry) and turns it into validators (ETag,
Last-Modified) for conditional GETs; middleware answers anonymous requests for
public pages from Django's cache, keyed on the same timestamp.
"""
