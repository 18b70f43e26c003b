from django.http import Http404
from django.shortcuts import get_object_or_404, render

from pagecache.freshness import conditional_on_content

from .models import NewsItem


@conditional_on_content
def index(request):
    return render(request, "news/index.html", {"news": list(NewsItem.objects.published())})


@conditional_on_content
def detail(request, slug):
    items = NewsItem.objects.all() if request.user.is_staff else NewsItem.objects.published()
    item = get_object_or_404(items, slug=slug)
    if not item.has_page:
        raise Http404("This news item has no page of its own.")
    return render(request, "news/detail.html", {"item": item})
