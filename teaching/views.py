from django.shortcuts import render

from pagecache.freshness import conditional_on_content

from .models import Course


@conditional_on_content
def index(request):
    courses = list(Course.objects.published().for_listing())
    return render(request, "teaching/index.html", {"courses": courses})
