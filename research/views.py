from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from .models import PreviousSlug, Publication


def publication_detail(request, slug):
    papers = Publication.objects.with_authors().prefetch_related("tags")
    if not request.user.is_staff:
        papers = papers.published()
    paper = papers.filter(slug=slug).first()
    if paper is None:
        old = get_object_or_404(PreviousSlug.objects.select_related("publication"), slug=slug)
        if not old.publication.is_published and not request.user.is_staff:
            raise Http404
        return redirect(old.publication, permanent=True)
    return render(request, "research/publication_detail.html", {"paper": paper})
