import reversion
from adminsortable2.admin import SortableAdminBase, SortableInlineAdminMixin
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils.html import format_html
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget
from taggit.models import TaggedItem

from core.editing import SafeEditAdmin, register_history

from .admin_import import ImportAdminMixin
from .models import Authorship, MarkMeaning, PaperLink, Person, Publication

# A paper's tags are versioned with it (PublicationAdmin.history_follow).
register_history(TaggedItem)


class LikelyDuplicatesFilter(admin.SimpleListFilter):
    title = "likely duplicates"
    parameter_name = "duplicates"

    def lookups(self, request, model_admin):
        return [("yes", "Same family name, compatible given names")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(pk__in=Person.objects.likely_duplicates())
        return queryset


@admin.register(Person)
class PersonAdmin(SafeEditAdmin):
    list_display = ["name", "is_owner", "homepage", "paper_count"]
    list_filter = [LikelyDuplicatesFilter, "is_owner"]
    search_fields = ["name", "aliases"]
    actions = ["merge_people"]
    # Explicit: the paper-count annotation groups the query, which drops Meta.ordering,
    # and the authors autocomplete would list people in no particular order.
    ordering = ["name", "pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_paper_count=Count("authorships"))

    @admin.display(description="papers", ordering="_paper_count")
    def paper_count(self, obj):
        return obj._paper_count

    @admin.action(description="Merge selected people into one", permissions=["change", "delete"])
    def merge_people(self, request, queryset):
        people = list(queryset.order_by("-is_owner", "-_paper_count", "name", "pk"))
        if len(people) < 2:
            self.message_user(request, "Select two or more people to merge.", messages.WARNING)
            return None
        keep_pk = request.POST.get("keep", "")
        keep = next((p for p in people if str(p.pk) == keep_pk), None)
        if "confirm" in request.POST and keep is not None:
            others = [p for p in people if p != keep]
            try:
                self._merge(request, keep, others)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                names = ", ".join(p.name for p in others)
                self.message_user(
                    request,
                    f"Merged {names} into {keep.name}: their papers are now {keep.name}'s, "
                    "and their names are aliases.",
                    messages.SUCCESS,
                )
                return None
        return TemplateResponse(
            request,
            "admin/research/person/merge.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": "Merge people",
                "people": [(p, p._paper_count) for p in people],
                "keep": keep or people[0],
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )

    def _merge(self, request, keep, others):
        papers = list(Publication.objects.filter(authorships__person__in=others).distinct())
        # The people merged away are deleted: snapshot them so they can be recovered.
        self._snapshot(request, others)
        keep.merge(others)
        # The change list runs actions inside a revision: record the result there.
        if reversion.is_active():
            reversion.set_comment(f"Merged {', '.join(p.name for p in others)} into {keep.name}.")
            reversion.add_to_revision(keep)
            for paper in papers:
                reversion.add_to_revision(paper)


@admin.register(MarkMeaning)
class MarkMeaningAdmin(SafeEditAdmin):
    list_display = ["mark", "meaning"]
    list_display_links = ["mark"]


class _AuthorAutocomplete(AutocompleteSelect):
    """The person box of an author row, labelled from one query for the whole page.

    Django's autocomplete looks up each row's selected person on its own: 40
    queries for a paper with 40 authors.
    """

    labels = None  # {str(person pk): label}, shared by every row's copy

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy.labels = self.labels
        return copy

    def optgroups(self, name, value, attr=None):
        empty = self.choices.field.empty_values
        selected = {str(v) for v in value if str(v) not in empty}
        if self.labels is None or not selected <= self.labels.keys():
            return super().optgroups(name, value, attr)  # e.g. a person added in this form
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        for pk in selected:
            options.append(self.create_option(name, pk, self.labels[pk], selected, len(options)))
        return [(None, options, 0)]


class AuthorshipInline(SortableInlineAdminMixin, admin.TabularInline):
    model = Authorship
    fields = ["person", "marks", "printed_name"]
    autocomplete_fields = ["person"]
    extra = 0
    min_num = 1
    verbose_name = "author"
    verbose_name_plural = "authors (drag to reorder)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "person":
            widget = _AuthorAutocomplete(db_field, self.admin_site, using=kwargs.get("using"))
            match = request.resolver_match
            paper = match.kwargs.get("object_id") if match else None
            if paper and str(paper).isdigit():
                people = Person.objects.filter(authorships__publication=paper)
                widget.labels = {str(person.pk): str(person) for person in people}
            kwargs["widget"] = widget
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class PaperLinkInline(SortableInlineAdminMixin, admin.TabularInline):
    model = PaperLink
    fields = ["label", "url", "file"]
    extra = 0
    verbose_name = "link"
    verbose_name_plural = "more links (slides, video, poster, …; drag to reorder)"


class _PaperChangeList(ChangeList):
    """A search or filter through authors or tags picks the papers by id.

    Django drops the duplicate rows such a join makes with SELECT DISTINCT over
    whole rows, abstracts and all, after joining every authorship: ~25 ms a query
    at 1,000 papers with 15 authors each, and the list runs four (the count, the
    page, the date range and the years of the date drill-down). The matching ids
    are read once instead, deduplicated alone, and the list picks its papers by
    id. (Not a subquery, `pk IN (SELECT DISTINCT ...)` or a correlated EXISTS:
    with a few rows' statistics PostgreSQL ran either once per paper, minutes at
    1,000 papers.)
    """

    def get_queryset(self, request, exclude_parameters=None):
        qs = super().get_queryset(request, exclude_parameters)
        if not qs.query.distinct or qs.query.distinct_fields:
            return qs
        ids = list(qs.order_by().values_list("pk", flat=True).distinct())
        papers = self.root_queryset.filter(pk__in=ids)
        papers = papers.order_by(*qs.query.order_by)
        papers.query.select_related = qs.query.select_related
        return papers


@admin.register(Publication)
class PublicationAdmin(ImportAdminMixin, SortableAdminBase, SafeEditAdmin):
    class Media:
        css = {"all": ["admin/css/editor.css"]}

    inlines = [AuthorshipInline, PaperLinkInline]
    history_follow = ["tagged_items"]
    formfield_overrides = {MarkdownxField: {"widget": AdminMarkdownxWidget}}
    list_display = ["title", "date", "venue", "highlighted", "status", "tags_shown"]
    list_editable = ["highlighted"]
    list_filter = ["highlighted", "tags", "status"]
    search_fields = ["title", "venue", "authorships__person__name", "authorships__printed_name"]
    date_hierarchy = "date"
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["thumbnail_preview", "created", "updated"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "date", "date_label", "status", "highlighted"]}),
        ("Authors", {"fields": ["et_al", "authors_are_editors"]}),
        (
            "Where it appeared",
            {
                "fields": [
                    "venue",
                    "venue_short",
                    "kind",
                    "additional_info",
                    "url",
                    "doi",
                    "citation_key",
                ]
            },
        ),
        ("Award", {"fields": ["award_name", "award"]}),
        ("Summary", {"fields": ["tldr", "abstract"]}),
        ("Image", {"fields": ["thumbnail", "thumbnail_preview"]}),
        ("Links", {"fields": ["code_url", "website_url", "pdf", "pdf_url"]}),
        ("Tags", {"fields": ["tags"]}),
        ("Author marks", {"fields": ["legend"], "classes": ["collapse"]}),
        ("History", {"fields": ["created", "updated"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_tags()

    def get_changelist(self, request, **kwargs):
        return _PaperChangeList

    @admin.display(description="tags")
    def tags_shown(self, obj):
        return ", ".join(sorted(tag.name for tag in obj.tag_list))

    @admin.display(description="Current thumbnail")
    def thumbnail_preview(self, obj):
        if not obj.thumbnail:
            return "No thumbnail yet."
        return format_html(
            '<img src="{}" alt="" style="max-width:240px;max-height:160px">', obj.thumbnail.url
        )
