from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from taggit.models import Tag

from core import compiled
from core.jinja import render_fragment
from core.links import site_root
from pagecache.freshness import conditional_on_content, uses_query
from profiles.models import Profile

from .bibtex import bibtex_document, publication_bibtex
from .listing import cached_fragments, entries, listing_context, page_options, render_listing
from .metadata import paper_metadata
from .models import MarkMeaning, Person, PreviousSlug, Publication
from .search import PaperFilterForm, query_terms


def _listing(request, template, papers, terms=(), profile=None, items=None, **context):
    profile = profile or Profile.shown(request)
    # Read even when no paper has marks: the page's queries stay the same in number.
    meanings = MarkMeaning.objects.meanings_of(request)
    context.update(
        listing_context(
            papers, archive=True, profile=profile, meanings=meanings, terms=terms, items=items
        )
    )
    context["papers"] = papers  # for the citation totals, read only when they are shown
    # Also stands in for the context processor's lazy copy: one query, not two.
    context["site_profile"] = profile
    return render_listing(request, template, context)


@uses_query(*PaperFilterForm.FIELDS)
@conditional_on_content
def index(request):
    profile = Profile.shown(request)
    published = Publication.objects.published()
    everything = entries(published, archive=True, profile=profile, constant="published")
    form = PaperFilterForm(request.GET, everything)
    filters = form.filters()
    if filters:
        terms = query_terms(filters.get("q", ""))
        items = entries(form.apply(published), archive=True, profile=profile, terms=terms)
    else:
        items = everything
    return _listing(
        request,
        "research/index.html",
        published,
        profile=profile,
        items=items,
        form=form,
        filtered=bool(filters),
    )


@uses_query()
@conditional_on_content
def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    papers = Publication.objects.published().with_tag(tag.slug)
    if not papers.exists():
        # A tag only drafts (or nothing) carry is not public.
        raise Http404("No published papers carry this tag.")
    return _listing(request, "research/tag.html", papers, tag=tag)


@uses_query()
@conditional_on_content
def coauthor(request, slug):
    """The papers the owner wrote with one person (linked when the profile says so)."""
    person = get_object_or_404(Person, slug=slug, is_owner=False)
    papers = Publication.objects.published().with_coauthor(person)
    if not papers.exists():
        raise Http404("No published papers with this person.")
    return _listing(request, "research/coauthor.html", papers, person=person)


def _find_paper(request, slug, *, related=True):
    """(paper, None) for a visible paper, or (None, paper) when slug is its old address.

    related=False loads the paper alone, without its authors and tags.
    """
    drafts = Publication.can_see_drafts(request.user)
    if related:
        papers = Publication.objects.for_listing().visible_to(request.user)
        # The slug is unique: no ordering to build (first() would order by Meta.ordering).
        paper = next(iter(papers.filter(slug=slug).order_by()[:1]), None)
    else:
        # Every cold paper page asks this first: its SQL is built once (core.compiled).
        paper = compiled.first(("paper-by-slug", drafts), _paper_by_slug(drafts), slug)
    if paper is not None:
        return paper, None
    old = get_object_or_404(PreviousSlug.objects.select_related("publication"), slug=slug)
    if not old.publication.is_published and not drafts:
        raise Http404
    return None, old.publication


def _paper_by_slug(drafts):
    papers = Publication.objects.all() if drafts else Publication.objects.published()
    return lambda slug: papers.filter(slug=slug)


@uses_query()
@conditional_on_content
def publication_detail(request, slug):
    # The paper alone: what the page shows of it is most often cached already.
    paper, moved = _find_paper(request, slug, related=False)
    if moved:
        return redirect(moved, permanent=True)
    root = site_root(request)
    profile = Profile.shown(request)
    meanings = MarkMeaning.objects.meanings_of(request)

    def render_parts(papers):
        full = Publication.objects.for_archive().get(pk=paper.pk)
        context = {
            "paper": full,
            "meta": paper_metadata(full, root),
            "bibtex": publication_bibtex(full, base_url=root),
            "site_profile": profile,
            "mark_meanings": meanings,
        }
        return {
            paper.pk: {
                "meta": render_to_string("research/_paper_meta.html", context),
                "body": render_fragment("research/_paper_body.html", context),
            }
        }

    # Everything but the page around it is rendered once per version of the paper
    # (and of what else it shows: the profile's settings, what the marks mean).
    name = f"paper-page|{root}|{page_options(profile, meanings)}"
    parts = cached_fragments(name, [paper], render_parts)[paper.pk]
    return render(
        request,
        "research/publication_detail.html",
        {"paper": paper, "parts": parts, "site_profile": profile},
    )


@uses_query()
@conditional_on_content
def publication_bibtex_file(request, slug):
    paper, moved = _find_paper(request, slug)
    if moved:
        return redirect(reverse("research:bibtex", kwargs={"slug": moved.slug}), permanent=True)
    response = HttpResponse(
        publication_bibtex(paper, base_url=site_root(request)),
        content_type="text/plain; charset=utf-8",
    )
    # Shown in the browser; saved as a .bib file when the reader saves it.
    response["Content-Disposition"] = f'inline; filename="{paper.slug}.bib"'
    return response


@uses_query()
@conditional_on_content
def papers_bibtex_file(request):
    """Every published paper as one .bib, the same text as `manage.py export_bibtex`."""
    papers = Publication.objects.published().for_archive()
    response = HttpResponse(
        bibtex_document(papers, full=True, base_url=site_root(request)),
        content_type="text/plain; charset=utf-8",
    )
    response["Content-Disposition"] = 'inline; filename="papers.bib"'
    return response
