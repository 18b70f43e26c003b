"""Where the CV's sections of kind "papers", "talks" and "teaching" get their items.

A source is a function taking the section and returning a list of
cv.items.Item. Papers come from research; talks and teaching from their own
apps when they are installed (register_source() is the hook they, or this
module, use), and show nothing otherwise, so the CV works without them.
"""

from .items import Item
from .models import CVSection

_SOURCES = {}


def register_source(kind, function=None):
    """Register function(section) -> [Item] as the source of a section kind."""

    def decorate(function):
        _SOURCES[kind] = function
        return function

    return decorate(function) if function is not None else decorate


_CONTENT = {}


def register_content(kind, function):
    """Register function(section) -> QuerySet: what the source would list for such a
    section, as a query whose emptiness says whether it has items (None: the app
    behind it is not installed)."""
    _CONTENT[kind] = function


def items_for(section):
    source = _SOURCES.get(section.kind)
    return list(source(section)) if source else []


def content_queryset(section):
    check = _CONTENT.get(section.kind)
    return check(section) if check else None


def _papers(section):
    from research.models import Publication

    queryset = Publication.objects.published()
    if section.papers == CVSection.Papers.HIGHLIGHTED:
        queryset = queryset.highlighted()
    return queryset


register_content(CVSection.Kind.PAPERS, _papers)


@register_source(CVSection.Kind.PAPERS)
def papers(section):
    return [
        Item(
            title=paper.title,
            organisation=paper.venue,
            start=str(paper.date.year),
            url=paper.url or paper.get_absolute_url(),
            details_html=paper.tldr_html if paper.tldr else "",
            paper=paper,
        )
        for paper in _papers(section).for_listing()
    ]


def _model(app_label, name):
    """The model of another app, or None when that app is not installed."""
    from django.apps import apps

    try:
        return apps.get_model(app_label, name)
    except LookupError:
        return None


def _talks(section=None):
    Talk = _model("talks", "Talk")
    return Talk.objects.published() if Talk else None


def _courses(section=None):
    Course = _model("teaching", "Course")
    return Course.objects.published() if Course else None


register_content(CVSection.Kind.TALKS, _talks)
register_content(CVSection.Kind.TEACHING, _courses)


@register_source(CVSection.Kind.TALKS)
def talks(section):
    queryset = _talks()
    if queryset is None:
        return []
    return [
        Item(
            title=talk.title,
            organisation=f"{talk.get_kind_display()}, {talk.event}",
            location=talk.location,
            start=talk.date.isoformat()[:7],
            url=talk.event_url or talk.slides_link or "",
            details=talk.abstract,
            details_html="",  # the CV lists talks; their abstracts stay on /talks/
        )
        for talk in queryset.order_by("-date", "-pk")
    ]


@register_source(CVSection.Kind.TEACHING)
def teaching(section):
    queryset = _courses()
    if queryset is None:
        return []
    return [
        Item(
            title=course.course,
            organisation=", ".join(p for p in (course.get_role_display(), course.institution) if p),
            start=str(course.year),
            period_text=course.term,
            details=course.description,
            details_html=course.description_html if course.description else "",
        )
        for course in queryset.order_by("-year", "course", "pk")
    ]
