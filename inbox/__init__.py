"""The paper inbox: new papers and citation counts from the owner's research profiles.

http (one careful httpx client), sources (ORCID, OpenAlex, DBLP, Semantic
Scholar, arXiv, Crossref and how to read each answer), identity (what makes two
records one work), sync (merge, file suggestions, store counts; what
`manage.py sync_papers` and the editor's button run), accepting (Accept and
Dismiss), background (the button's thread), citations (which count a page
shows; totals), admin (the inbox), templatetags.inbox ({% cited_by %},
{% waiting_suggestions %}). It depends on research and profiles.
"""
