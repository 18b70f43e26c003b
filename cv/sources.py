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


_EXISTS = {}


def register_exists(kind, function):
    """Register function(section) -> bool: whether the source has items (a cheap query)."""
    _EXISTS[kind] = function


def items_for(section):
    source = _SOURCES.get(section.kind)
    return list(source(section)) if source else []


def has_items(section):
    check = _EXISTS.get(section.kind)
    return check(section) if check else bool(items_for(section))


def _papers(section):
    from research.models import Publication

    queryset = Publication.objects.published()
    if section.papers == CVSection.Papers.HIGHLIGHTED:
        queryset = queryset.highlighted()
    return queryset


register_exists(CVSection.Kind.PAPERS, lambda section: _papers(section).exists())


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


def _talks():
    Talk = _model("talks", "Talk")
    return Talk.objects.published() if Talk else None


def _courses():
    Course = _model("teaching", "Course")
    return Course.objects.published() if Course else None


register_exists(CVSection.Kind.TALKS, lambda section: bool(_talks() and _talks().exists()))
register_exists(CVSection.Kind.TEACHING, lambda section: bool(_courses() and _courses().exists()))


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
