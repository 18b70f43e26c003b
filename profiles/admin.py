from adminsortable2.admin import SortableAdminBase, SortableInlineAdminMixin
from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from core.editing import SafeEditAdmin

from .models import HomeSection, Profile, SocialLink


class SocialLinkInline(SortableInlineAdminMixin, admin.TabularInline):
    model = SocialLink
    fields = ["label", "url", "kind", "visible"]
    extra = 0


class HomeSectionInline(SortableInlineAdminMixin, admin.TabularInline):
    """The homepage's sections: drag to reorder, rename the heading, untick to hide."""

    model = HomeSection
    fields = ["key", "heading", "visible", "items"]
    readonly_fields = ["key"]
    extra = 0
    verbose_name_plural = "homepage sections (drag to reorder)"

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Profile)
class ProfileAdmin(SortableAdminBase, SafeEditAdmin):
    """There is one profile: the list goes straight to it, and it cannot be deleted."""

    class Media:
        css = {"all": ["admin/css/editor.css"]}

    inlines = [SocialLinkInline, HomeSectionInline]
    formfield_overrides = {MarkdownxField: {"widget": AdminMarkdownxWidget}}
    readonly_fields = ["photo_preview"]
    fieldsets = [
        (None, {"fields": ["name", "subtitle"]}),
        ("Photo", {"fields": ["photo", "photo_preview", "photo_circular", "photo_alignment"]}),
        ("About", {"fields": ["bio", "active_research", "cv"]}),
        (
            "Research identifiers",
            {
                "description": "Where “Check for new papers” looks for your works. "
                "Those with a public page are also shown with your links.",
                "fields": [
                    "orcid",
                    "openalex_id",
                    "dblp_pid",
                    "semantic_scholar_id",
                    "arxiv_query",
                ],
            },
        ),
        (
            "Citation counts",
            {"fields": ["show_citations", "citation_source", "show_citation_totals"]},
        ),
        ("Lists of papers", {"fields": ["max_author_limit"]}),
        ("Paper lists", {"fields": ["link_coauthors"]}),
    ]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not Profile.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        profile = Profile.objects.first()
        if profile is None:
            return redirect(reverse("admin:profile_profile_add"))
        return redirect(reverse("admin:profile_profile_change", args=[profile.pk]))

    @admin.display(description="Current photo")
    def photo_preview(self, obj):
        if not obj.photo:
            return "No photo yet."
        return format_html(
            '<img src="{}" alt="" style="max-width:160px;max-height:160px;{}">',
            obj.photo.url,
            "border-radius:50%" if obj.photo_circular else "",
        )
