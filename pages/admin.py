from adminsortable2.admin import SortableAdminMixin
from django.contrib import admin
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from core.editing import SafeEditAdmin
from core.menu import entries_with_content, registered_entries

from .models import MenuItem, Page


@admin.register(Page)
class PageAdmin(SafeEditAdmin):
    class Media:
        css = {"all": ["admin/css/editor.css"]}

    formfield_overrides = {MarkdownxField: {"widget": AdminMarkdownxWidget}}
    list_display = ["title", "slug", "status", "show_in_menu", "updated"]
    list_filter = ["status", "show_in_menu"]
    search_fields = ["title", "slug", "body"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["title", "slug", "status", "show_in_menu"]}),
        (None, {"fields": ["body"]}),
    ]


@admin.register(MenuItem)
class MenuItemAdmin(SortableAdminMixin, SafeEditAdmin):
    """The site menu: drag entries into order, rename or hide them.

    Rows appear by themselves for every section apps offer and every page shown
    in the menu; a section without content (no published news, say) is not
    shown to visitors until it has some.
    """

    list_display = ["name", "label", "visible", "on_the_site"]
    list_display_links = ["name"]
    list_editable = ["label", "visible"]
    search_fields = ["label", "key", "page__title"]
    fields = ["label", "visible"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # A page's row goes when the page is deleted; sections are hidden, not deleted.
        return (
            obj is not None
            and obj.page_id is not None
            and super().has_delete_permission(request, obj)
        )

    def get_queryset(self, request):
        keys = [link.key for link, _, _ in MenuItem.objects.ordered_links(only_shown=False)]
        return super().get_queryset(request).filter(key__in=keys).select_related("page")

    def changelist_view(self, request, extra_context=None):
        MenuItem.objects.sync()
        return super().changelist_view(request, extra_context)

    @admin.display(description="entry")
    def name(self, obj):
        if obj.page_id:
            return f"Page: {obj.page.title}"
        entry = registered_entries().get(obj.key)
        return str(entry.label) if entry else obj.key

    @admin.display(description="visitors see it", boolean=True)
    def on_the_site(self, obj):
        entry = registered_entries().get(obj.key)
        return obj.visible and (entry is None or entry.key in entries_with_content([entry]))
