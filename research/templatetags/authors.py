"""The one way pages show a paper's authors and what their marks mean.

{% author_list paper %} prints the authors in order, the owner in bold, each
with the marks the paper prints after the name; with limit=N (the profile's
"authors shown in lists") a long list ends in "and N more", a <details> that
opens the rest without JavaScript; link=True links names to homepages,
coauthors=True to co-author pages. {% marks_footnote paper %} prints the
footnote for exactly the marks one paper uses. A list of papers gets its
Footnote from research.listing (which also puts, under an entry, what that
paper means by a mark the papers disagree about), and {% marks_footnote
marks_on_page %} lists each mark they all agree on once (a list given to
marks_footnote directly gets only the agreed marks).

The per-paper fragments (Jinja2, core.jinja) call the same functions:
author_list(paper, ...) and marks_footnote(paper), which is footnote_html()
here and renders the same research/_footnote.html.
"""

from html import escape as escape_html

from django import template
from django.template.loader import get_template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext
from jinja2 import pass_context

from core.links import slug_url

from ..models import Footnote, MarkMeaning

register = template.Library()


@register.filter
def author_html(authorship, link=False):
    """One author: the name as printed and the marks; bold for the owner, linked if asked.

    link: True links to the author's homepage; "coauthor" links each co-author
    to the page of the papers the owner wrote with them. Escaped as format_html()
    would, with the standard library's html.escape (Django's escape() is the
    same function behind a lazy-text wrapper that cost more than the escaping,
    fifteen thousand times on a long list).
    """
    html = escape_html(authorship.name + authorship.marks)
    if authorship.is_owner:
        html = f"<b>{html}</b>"
    person = authorship.person
    if link == "coauthor":
        if not person.is_owner and person.slug:
            url = slug_url("research:coauthor", person.slug)
            html = f'<a href="{escape_html(url)}">{html}</a>'
    elif link and person.homepage:
        html = f'<a href="{escape_html(person.homepage)}">{html}</a>'
    return SafeString(html)


@register.simple_tag
def author_list(paper, link=False, limit=None, coauthors=False):
    """The paper's authors as one paragraph (a <div> when some are behind "and N more").

    coauthors: link names to co-author pages (the profile's "link co-authors").
    Built here rather than in a template: lists of a thousand papers show
    fifteen thousand names, and a template loop per name was most of their cost.
    """
    if coauthors:
        link = "coauthor"
    shown, hidden = paper.visible_authors(limit)
    names = [author_html(author, link) for author in shown]
    if hidden and len(shown) > limit:
        # The owner follows after skipped names: an ellipsis marks the gap.
        names[limit] = "… " + names[limit]
    html = ", ".join(names)
    if hidden:
        summary = ngettext("and %(count)d more", "and %(count)d more", len(hidden)) % {
            "count": len(hidden)
        }
        rest = mark_safe(", ".join(author_html(author, link) for author in hidden))  # noqa: S308
        html += format_html(
            ', <details class="more-authors"><summary>{}</summary><span>: {}</span></details>',
            summary,
            rest,
        )
    if paper.et_al:
        html += " " + escape(gettext("et al."))
    if paper.authors_are_editors:
        html += " " + escape(gettext("(eds.)"))
    tag = "div" if hidden else "p"
    return mark_safe(f'<{tag} class="authors">{html}</{tag}>')  # noqa: S308 (escaped names)


def _meanings(context):
    meanings = context.get("mark_meanings")  # a feed reads them once for all items
    request = context.get("request")
    if meanings is None and request is not None:
        meanings = MarkMeaning.objects.meanings_for(request)
    return meanings


@register.inclusion_tag("research/_footnote.html", takes_context=True)
def marks_footnote(context, papers):
    if isinstance(papers, Footnote):  # made for a list (research.listing.listing_context)
        return {"footnote": papers.marks, "notes": []}
    if hasattr(papers, "authors"):  # one paper: its legend's other notes too
        return {
            "footnote": MarkMeaning.objects.footnote([papers], _meanings(context)).marks,
            "notes": papers.legend_notes,
        }
    return {"footnote": MarkMeaning.objects.footnote(papers, _meanings(context)).marks, "notes": []}


@pass_context
def footnote_html(context, papers):
    """{% marks_footnote papers %} for the Jinja fragments: the same footnote, as HTML."""
    template = get_template("research/_footnote.html", using="django")
    return template.render(marks_footnote(context, papers))
