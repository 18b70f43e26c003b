from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from taggit.models import Tag

from core.links import site_root
from pagecache.freshness import conditional_on_content

from .bibtex import bibtex_document, publication_bibtex
from .metadata import paper_metadata
from .models import PreviousSlug, Publication


def _listing(request, template, papers, **context):
    papers = list(papers)
    context.update(papers=papers)
    return render(request, template, context)


@conditional_on_content
def index(request):
    papers = Publication.objects.published().for_archive()
    return _listing(request, "research/index.html", papers)


@conditional_on_content
def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    papers = list(Publication.objects.published().with_tag(tag.slug).for_archive())
    if not papers:
        # A tag only drafts (or nothing) carry is not public.
        raise Http404("No published papers carry this tag.")
    return _listing(request, "research/tag.html", papers, tag=tag)


def _find_paper(request, slug, *, links=False):
    """(paper, None) for a visible paper, or (None, paper) when slug is its old address."""
    papers = Publication.objects.for_archive() if links else Publication.objects.for_listing()
    papers = papers.visible_to(request.user)
    paper = papers.filter(slug=slug).first()
    if paper is not None:
        return paper, None
    old = get_object_or_404(PreviousSlug.objects.select_related("publication"), slug=slug)
    if not old.publication.is_published and not Publication.can_see_drafts(request.user):
        raise Http404
    return None, old.publication


@conditional_on_content
def publication_detail(request, slug):
    paper, moved = _find_paper(request, slug, links=True)
    if moved:
        return redirect(moved, permanent=True)
    root = site_root(request)
    return render(
        request,
        "research/publication_detail.html",
        {
            "paper": paper,
            "meta": paper_metadata(paper, root),
            "bibtex": publication_bibtex(paper, base_url=root),
        },
    )


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
