from django.shortcuts import get_object_or_404, render

from pagecache.freshness import conditional_on_content

from .models import Page


@conditional_on_content
def page_detail(request, slug):
    pages = Page.objects.all() if request.user.is_staff else Page.objects.published()
    page = get_object_or_404(pages, slug=slug)
    return render(request, "pages/page.html", {"page": page})
