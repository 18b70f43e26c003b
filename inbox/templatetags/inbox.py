"""Template tags of the paper inbox: the waiting count and the "cited by" line.

{% waiting_suggestions as n %} gives the number of suggestions waiting in the
inbox (for the editor's start page). The per-paper fragments (Jinja2,
core.jinja) include inbox/cited_by.html, which prints "cited by 123 ·
OpenAlex, 2026-11-30" from cited_by(paper) when the profile shows citation
counts, and nothing otherwise; {% citation_totals papers %} prints the totals
line when the profile asks for it. The counts of every paper on the page are
read in one query (inbox.citations.counts_for), and not at all when the
profile hides them.
"""

from django import template
from django.utils.formats import number_format
from jinja2 import pass_context

from .. import citations
from ..models import Suggestion

register = template.Library()


@register.simple_tag
def waiting_suggestions():
    return Suggestion.objects.waiting().count()


def _profile(context):
    return context.get("site_profile")


@pass_context
def cited_by(context, paper):
    """{"count": the CitationCount to show or None, "number": it formatted}."""
    profile = _profile(context)
    count = None
    if profile is not None and profile.show_citations:
        counts = citations.counts_for(context.get("request"), paper, context.get("papers") or ())
        count = citations.preferred(counts, profile.citation_source)
    return {
        "count": count,
        "number": number_format(count.count, force_grouping=True) if count else "",
    }


@register.inclusion_tag("inbox/citation_totals.html", takes_context=True)
def citation_totals(context, papers):
    profile = _profile(context)
    found = None
    if profile is not None and profile.show_citations and profile.show_citation_totals:
        found = citations.totals(context.get("request"), papers, profile.citation_source)
    return {"totals": found}
