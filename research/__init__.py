"""Papers and the people who wrote them.

models: Person, Publication, Authorship (ordered), PreviousSlug; views and
templates: /research/, tag pages, paper pages, .bib; feeds, sitemaps, metadata
(citation_* tags, JSON-LD), citation (venue kind); BibTeX export (bibtex),
BibTeX import (bibtex_import, admin_import), arXiv import (arxiv), identifiers
(arXiv IDs, DOIs).
"""
