from django.contrib import admin
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from core.editing import SafeEditAdmin

from .models import Talk


@admin.register(Talk)
class TalkAdmin(SafeEditAdmin):
    class Media:
        css = {"all": ["admin/css/editor.css"]}

    formfield_overrides = {MarkdownxField: {"widget": AdminMarkdownxWidget}}
    list_display = ["title", "event", "date", "kind", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "event", "location", "publication__title"]
    date_hierarchy = "date"
    autocomplete_fields = ["publication"]
    readonly_fields = ["created", "updated"]
    fieldsets = [
        (None, {"fields": ["title", "event", "location", "date", "kind", "status"]}),
        ("About the talk", {"fields": ["abstract", "publication"]}),
        ("Links", {"fields": ["slides", "slides_url", "video_url", "event_url"]}),
        ("History", {"fields": ["created", "updated"], "classes": ["collapse"]}),
    ]
