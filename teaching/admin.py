from adminsortable2.admin import SortableAdminBase, SortableInlineAdminMixin
from django.contrib import admin
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from core.editing import SafeEditAdmin

from .models import Course, CourseLink


class CourseLinkInline(SortableInlineAdminMixin, admin.TabularInline):
    model = CourseLink
    fields = ["label", "url"]
    extra = 0
    verbose_name_plural = "links (drag to reorder)"


@admin.register(Course)
class CourseAdmin(SortableAdminBase, SafeEditAdmin):
    class Media:
        css = {"all": ["admin/css/editor.css"]}

    inlines = [CourseLinkInline]
    formfield_overrides = {MarkdownxField: {"widget": AdminMarkdownxWidget}}
    list_display = ["course", "role", "institution", "term", "status"]
    list_filter = ["role", "status", "year"]
    search_fields = ["course", "institution", "term", "description"]
    readonly_fields = ["created", "updated"]
    fieldsets = [
        (None, {"fields": ["course", "role", "institution", "term", "year", "status"]}),
        (None, {"fields": ["description"]}),
        ("History", {"fields": ["created", "updated"], "classes": ["collapse"]}),
    ]
