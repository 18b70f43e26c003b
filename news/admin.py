from django.contrib import admin
from django.utils.text import Truncator
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from core.editing import SafeEditAdmin

from .models import NewsItem


@admin.register(NewsItem)
class NewsItemAdmin(SafeEditAdmin):
    class Media:
        css = {"all": ["admin/css/editor.css"]}

    formfield_overrides = {MarkdownxField: {"widget": AdminMarkdownxWidget}}
    list_display = ["date", "short_text", "title", "status"]
    list_display_links = ["date", "short_text"]
    list_filter = ["status"]
    search_fields = ["text", "title", "body"]
    date_hierarchy = "date"
    readonly_fields = ["created", "updated"]
    fieldsets = [
        (None, {"fields": ["date", "text", "status"]}),
        ("A page of its own (optional)", {"fields": ["title", "slug", "body"]}),
        ("History", {"fields": ["created", "updated"], "classes": ["collapse"]}),
    ]

    @admin.display(description="text")
    def short_text(self, obj):
        return Truncator(obj.text).chars(80)
