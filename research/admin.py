from adminsortable2.admin import SortableAdminBase, SortableInlineAdminMixin
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.db.models import Count
from django.utils.html import format_html
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget
from taggit.models import TaggedItem

from core.editing import SafeEditAdmin, register_history

from .admin_import import ImportAdminMixin
from .models import Authorship, Person, Publication

# A paper's tags are versioned with it (PublicationAdmin.history_follow).
register_history(TaggedItem)


@admin.register(Person)
class PersonAdmin(SafeEditAdmin):
    list_display = ["name", "is_owner", "homepage", "paper_count"]
    list_filter = ["is_owner"]
    search_fields = ["name", "aliases"]
    # Explicit: the paper-count annotation groups the query, which drops Meta.ordering,
    # and the authors autocomplete would list people in no particular order.
    ordering = ["name", "pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_paper_count=Count("authorships"))

    @admin.display(description="papers", ordering="_paper_count")
    def paper_count(self, obj):
        return obj._paper_count


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
    fields = ["person", "equal_contribution", "printed_name"]
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


@admin.register(Publication)
class PublicationAdmin(ImportAdminMixin, SortableAdminBase, SafeEditAdmin):
    class Media:
        css = {"all": ["admin/css/editor.css"]}

    inlines = [AuthorshipInline]
    history_follow = ["tagged_items"]
    formfield_overrides = {MarkdownxField: {"widget": AdminMarkdownxWidget}}
    list_display = ["title", "date", "venue", "highlighted", "status", "tag_list"]
    list_editable = ["highlighted"]
    list_filter = ["highlighted", "tags", "status"]
    search_fields = ["title", "venue", "authorships__person__name", "authorships__printed_name"]
    date_hierarchy = "date"
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["thumbnail_preview", "created", "updated"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "date", "status", "highlighted"]}),
        ("Where it appeared", {"fields": ["venue", "venue_short", "kind", "url", "doi"]}),
        ("Summary", {"fields": ["tldr", "abstract"]}),
        ("Image", {"fields": ["thumbnail", "thumbnail_preview"]}),
        ("Links", {"fields": ["code_url", "website_url", "pdf", "pdf_url"]}),
        ("Tags", {"fields": ["tags"]}),
        ("History", {"fields": ["created", "updated"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tags")

    @admin.display(description="tags")
    def tag_list(self, obj):
        return ", ".join(sorted(tag.name for tag in obj.tags.all()))

    @admin.display(description="Current thumbnail")
    def thumbnail_preview(self, obj):
        if not obj.thumbnail:
            return "No thumbnail yet."
        return format_html(
            '<img src="{}" alt="" style="max-width:240px;max-height:160px">', obj.thumbnail.url
        )
