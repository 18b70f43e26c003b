from adminsortable2.admin import SortableAdminMixin, SortableStackedInline
from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from core.editing import SafeEditAdmin

from .models import CVEntry, CVSection


class CVEntryInline(SortableStackedInline):
    model = CVEntry
    fields = [
        "title",
        "organisation",
        "location",
        ("start", "end", "ongoing"),
        "url",
        "details",
    ]
    formfield_overrides = {MarkdownxField: {"widget": AdminMarkdownxWidget}}
    extra = 0
    verbose_name_plural = _("entries (drag to reorder)")


@admin.register(CVSection)
class CVSectionAdmin(SortableAdminMixin, SafeEditAdmin):
    """Sections are ordered by dragging them in the list; entries inside each section."""

    class Media:
        css = {"all": ["admin/css/editor.css"]}

    inlines = [CVEntryInline]
    formfield_overrides = {MarkdownxField: {"widget": AdminMarkdownxWidget}}
    list_display = ["heading", "kind", "status", "entry_count"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "body", "entries__title", "entries__organisation"]
    # Explicit: the entry-count annotation groups the query, which drops Meta.ordering.
    ordering = ["position", "pk"]
    fieldsets = [
        (None, {"fields": ["kind", "title", "status"]}),
        (None, {"fields": ["body"]}),
        (_("Papers section"), {"fields": ["papers"]}),
    ]

    def get_inlines(self, request, obj):
        # Papers, talks and teaching come from their own apps: no entries to type.
        if obj is not None and obj.from_database:
            return []
        return self.inlines

    @admin.display(description=_("heading"), ordering="title")
    def heading(self, obj):
        return obj.heading

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_entry_count=Count("entries"))

    @admin.display(description=_("entries"), ordering="_entry_count")
    def entry_count(self, obj):
        return "—" if obj.from_database else obj._entry_count
