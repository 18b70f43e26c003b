"""Shared by every app, depending on none of them.

markup (the one Markdown/HTML function), links (absolute URLs), validators,
editing (the admin base class: history, recovery, edit conflicts), security
(login throttling, CSP, request size), registry (which models are content),
views (robots.txt and the editor-only wrapper for markdownx's endpoints).
"""
