"""Papers and the people who wrote them.

models: Person (with merging), Publication (set_authors and its batched form
set_authors_of, the one way to write its authors), Authorship (ordered, with
its marks), MarkMeaning (what marks mean site-wide), PreviousSlug; names
(printed names, marks, owner matching, legends); templatetags.authors (the one
author list and marks footnote); views and templates: /research/, tag pages,
paper pages, .bib; feeds, sitemaps, metadata (citation_* tags, JSON-LD),
citation (venue kind); BibTeX export (bibtex), BibTeX import (bibtex_import,
admin_import), arXiv import (arxiv), identifiers (arXiv IDs, DOIs).
"""
