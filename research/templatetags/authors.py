"""The one way pages show a paper's authors and what their marks mean.

{% author_list paper %} prints the authors in order, the owner in bold, each
with the marks the paper prints after the name; with limit=N (the profile's
"authors shown in lists") a long list ends in "and N more", a <details> that
opens the rest without JavaScript. {% marks_footnote paper %} prints the
footnote for exactly the marks one paper uses. A list of papers makes its
Footnote once with {% page_marks papers as marks %}: {% paper_legend paper
marks %} under each entry says what that paper means by a mark the papers
disagree about, and {% marks_footnote marks %} lists each mark they all agree
on once (a list given to marks_footnote directly gets only the agreed marks).
"""

from django import template
from django.utils.functional import SimpleLazyObject
from django.utils.html import escape, format_html

from pagecache.freshness import last_changed

from ..models import Footnote, MarkMeaning

register = template.Library()


@register.filter
def author_html(authorship, link=False):
    """One author: the name as printed and the marks; bold for the owner, linked if asked."""
    text = authorship.name + authorship.marks
    html = format_html("<b>{}</b>", text) if authorship.is_owner else escape(text)
    if link and authorship.person.homepage:
        html = format_html('<a href="{}">{}</a>', authorship.person.homepage, html)
    return html


@register.inclusion_tag("research/_authors.html")
def author_list(paper, link=False, limit=None):
    shown, hidden = paper.visible_authors(limit)
    return {
        "paper": paper,
        "shown": shown,
        "hidden": hidden,
        "link": link,
        # Where the owner follows after skipped names, an ellipsis marks the gap.
        "gap": limit if hidden and len(shown) > limit else None,
    }


def _meanings(context):
    meanings = context.get("mark_meanings")  # a feed reads them once for all items
    request = context.get("request")
    if meanings is None and request is not None:
        meanings = SimpleLazyObject(
            lambda: MarkMeaning.objects.meanings_as_of(last_changed(request))
        )
    return meanings


@register.simple_tag(takes_context=True)
def page_marks(context, papers):
    """The Footnote of a list of papers, made once for its entries and its footnote."""
    return MarkMeaning.objects.footnote(papers, _meanings(context))


@register.inclusion_tag("research/_paper_legend.html")
def paper_legend(paper, footnote=None):
    """Under one entry: what it means by marks the page's other papers mean differently."""
    return {"lines": footnote.for_paper(paper) if isinstance(footnote, Footnote) else []}


@register.inclusion_tag("research/_footnote.html", takes_context=True)
def marks_footnote(context, papers):
    if isinstance(papers, Footnote):  # made by page_marks for a list
        return {"footnote": papers.marks, "notes": []}
    if hasattr(papers, "authors"):  # one paper: its legend's other notes too
        return {
            "footnote": MarkMeaning.objects.footnote([papers], _meanings(context)).marks,
            "notes": papers.legend_notes,
        }
    return {"footnote": MarkMeaning.objects.footnote(papers, _meanings(context)).marks, "notes": []}
