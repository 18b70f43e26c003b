"""The paper inbox in the editor: review, accept or dismiss what the sync found.

The list shows the waiting suggestions (authors matched to people, the owner
recognised, venue, date, identifiers, sources) with the last check's result, the
sources' health and a "Check for new papers" button; a suggestion's own page
shows everything, with the field-by-field diff for updates, and the Accept and
Dismiss buttons.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from research.models import Person, Publication, comparable

from . import background
from .accepting import AcceptError, accept, dismiss
from .models import CitationCount, DismissedWork, SourceStatus, Suggestion, SyncRun


def author_matches(names, people):
    """[(name, person or None)] for printed names, using Person.objects.by_name()."""
    return [(name, people.get(comparable(name))) for name in names]


class StatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return Suggestion.Status.choices + [("all", "All")]

    def choices(self, changelist):
        # "Waiting" is the default view, so the filter's first entry is not "All".
        for value, label in self.lookup_choices:
            yield {
                "selected": (self.value() or Suggestion.Status.WAITING) == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        value = self.value() or Suggestion.Status.WAITING
        return queryset if value == "all" else queryset.filter(status=value)


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "author_list", "venue", "date", "identifiers", "source_list"]
    list_display_links = ["title"]
    list_filter = [StatusFilter, "kind"]
    search_fields = ["title", "venue", "doi", "arxiv_id"]
    actions = ["accept_as_drafts", "accept_and_publish", "dismiss_selected"]
    change_list_template = "admin/inbox/suggestion/change_list.html"
    review_template = "admin/inbox/suggestion/review.html"

    def has_add_permission(self, request):
        return False

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        people = Person.objects.by_name()  # once per page, for every row's authors
        for suggestion in changelist.result_list:
            suggestion.people_index = people
        return changelist

    @admin.display(description="authors")
    def author_list(self, obj):
        people = getattr(obj, "people_index", None) or Person.objects.by_name()
        return format_html_join(
            ", ",
            "{}",
            (
                (
                    format_html("<b>{}</b> (you)", name)
                    if person and person.is_owner
                    else name
                    if person
                    else format_html("{} <small>(new person)</small>", name),
                )
                for name, person in author_matches(obj.authors, people)
            ),
        )

    @admin.display(description="identifiers")
    def identifiers(self, obj):
        parts = []
        if obj.doi:
            parts.append(format_html("DOI {}", obj.doi))
        if obj.arxiv_id:
            parts.append(format_html("arXiv {}", obj.arxiv_id))
        return format_html_join(mark_safe("<br>"), "{}", ((p,) for p in parts))  # noqa: S308

    @admin.display(description="sources")
    def source_list(self, obj):
        return ", ".join(obj.sources)

    # -- the list page: last run, source health, the button -----------------------

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "title": "Paper inbox",
            **(extra_context or {}),
            "can_check": self.has_change_permission(request),
            "last_run": SyncRun.objects.first(),
            "running": SyncRun.objects.running().exists(),
            "source_statuses": SourceStatus.objects.all(),
            "citation_totals": CitationCount.objects.aggregate(n=Count("pk")),
        }
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        return [
            path(
                "check/",
                self.admin_site.admin_view(self.check_view),
                name="inbox_suggestion_check",
            ),
            path(
                "<int:pk>/review/",
                self.admin_site.admin_view(self.review_view),
                name="inbox_suggestion_review",
            ),
            *super().get_urls(),
        ]

    def check_view(self, request):
        """Start a sync in the background (POST only) and go back to the list."""
        if request.method != "POST":
            return redirect("admin:inbox_suggestion_changelist")
        if not self.has_change_permission(request):
            raise PermissionDenied
        try:
            background.start(trigger="editor")
        except background.AlreadyRunning as error:
            messages.warning(request, str(error))
        else:
            messages.success(
                request,
                "Checking for new papers. This takes a minute or two; reload this page to "
                "see what was found.",
            )
        return redirect("admin:inbox_suggestion_changelist")

    # -- one suggestion -----------------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return redirect("admin:inbox_suggestion_review", pk=object_id)

    def review_view(self, request, pk):
        suggestion = get_object_or_404(Suggestion, pk=pk)
        if not self.has_view_permission(request, suggestion):
            raise PermissionDenied
        if request.method == "POST":
            if not self.has_change_permission(request, suggestion):
                raise PermissionDenied
            return self._act(request, suggestion)
        people = Person.objects.by_name()
        changes = [
            (name, Suggestion.UPDATABLE_FIELDS.get(name, name), old, new)
            for name, (old, new) in suggestion.changes.items()
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": suggestion.title,
            "suggestion": suggestion,
            "authors": author_matches(suggestion.authors, people),
            "changes": changes,
            "statuses": Publication.Status.choices,
        }
        return TemplateResponse(request, self.review_template, context)

    def _act(self, request, suggestion):
        action = request.POST.get("action")
        if action == "dismiss":
            dismiss(suggestion, user=request.user)
            self.log_change(request, suggestion, "Dismissed.")
            messages.success(request, f"Dismissed “{suggestion.title}”: it will not come back.")
            return redirect("admin:inbox_suggestion_changelist")
        if action != "accept":
            messages.error(request, "Choose Accept or Dismiss.")
            return redirect("admin:inbox_suggestion_review", pk=suggestion.pk)
        status = request.POST.get("publish_status", Publication.Status.DRAFT)
        if status not in Publication.Status.values:
            status = Publication.Status.DRAFT
        fields = request.POST.getlist("fields") if suggestion.kind == "update" else None
        try:
            paper = accept(suggestion, user=request.user, status=status, fields=fields)
        except AcceptError as error:
            messages.error(request, str(error))
            return redirect("admin:inbox_suggestion_review", pk=suggestion.pk)
        self.log_change(request, suggestion, f"Accepted as “{paper.title}”.")
        messages.success(
            request,
            format_html(
                'Saved “{}”. <a href="{}">Open the paper</a> to check and complete it.',
                paper.title,
                reverse("admin:research_publication_change", args=[paper.pk]),
            ),
        )
        return redirect("admin:inbox_suggestion_changelist")

    # -- bulk actions ---------------------------------------------------------------

    def _accept_many(self, request, queryset, status):
        done, failed = 0, []
        for suggestion in queryset.filter(status=Suggestion.Status.WAITING):
            try:
                accept(suggestion, user=request.user, status=status)
                done += 1
            except AcceptError as error:
                failed.append(str(error))
        if done:
            messages.success(request, f"Accepted {done} suggestion{'s' if done != 1 else ''}.")
        for message in failed:
            messages.error(request, message)

    @admin.action(description="Accept selected as drafts", permissions=["change"])
    def accept_as_drafts(self, request, queryset):
        self._accept_many(request, queryset, Publication.Status.DRAFT)

    @admin.action(description="Accept and publish selected", permissions=["change"])
    def accept_and_publish(self, request, queryset):
        self._accept_many(request, queryset, Publication.Status.PUBLISHED)

    @admin.action(description="Dismiss selected", permissions=["change"])
    def dismiss_selected(self, request, queryset):
        count = 0
        for suggestion in queryset.filter(status=Suggestion.Status.WAITING):
            dismiss(suggestion, user=request.user)
            count += 1
        messages.success(request, f"Dismissed {count} suggestion{'s' if count != 1 else ''}.")


@admin.register(DismissedWork)
class DismissedWorkAdmin(admin.ModelAdmin):
    """Deleting a row here lets that work be suggested again."""

    list_display = ["title", "key", "created"]
    search_fields = ["title", "key"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CitationCount)
class CitationCountAdmin(admin.ModelAdmin):
    list_display = ["publication", "source", "count", "fetched"]
    list_filter = ["source"]
    search_fields = ["publication__title"]
    readonly_fields = ["publication", "source", "count", "fetched"]

    def has_add_permission(self, request):
        return False
