"""The publication admin's "Import BibTeX" and "Add from arXiv" pages.

PublicationAdmin mixes ImportAdminMixin in; the pages are thin: forms check the
input, research.bibtex_import and research.arxiv do the work.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from . import arxiv
from .bibtex_import import BibtexError, parse_bibtex, run_import
from .identifiers import parse_arxiv_id
from .models import Publication

# The preview sends the text back in a form field, which Django caps at 2.5 MB encoded.
MAX_BIB_BYTES = 1024 * 1024


class BibtexImportForm(forms.Form):
    bibtex = forms.CharField(
        label="Paste BibTeX",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 16, "cols": 100, "spellcheck": "false"}),
    )
    file = forms.FileField(
        label="or upload a .bib file",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".bib,.bibtex,.txt,text/plain"}),
    )
    highlight_selected = forms.BooleanField(
        label="Highlight papers marked selected={true}",
        required=False,
        initial=True,
        help_text="Untick to leave highlighting as it is on the site.",
    )

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload:
            if upload.size > MAX_BIB_BYTES:
                raise forms.ValidationError("The file is larger than 1 MB; import it in parts.")
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError(
                    "The file is not text in UTF-8. Choose a .bib file."
                ) from None
        else:
            text = cleaned.get("bibtex", "")
            if len(text.encode()) > MAX_BIB_BYTES:
                raise forms.ValidationError("The text is longer than 1 MB; import it in parts.")
        if not text.strip():
            raise forms.ValidationError("Paste BibTeX entries or choose a .bib file.")
        try:
            cleaned["parsed"] = parse_bibtex(
                text, highlight_selected=cleaned.get("highlight_selected", False)
            )
        except BibtexError as error:
            raise forms.ValidationError(str(error)) from None
        cleaned["text"] = text
        return cleaned


class ArxivForm(forms.Form):
    arxiv = forms.CharField(
        label="arXiv ID or link",
        max_length=300,
        help_text="For example 2309.12288, 2309.12288v2, hep-th/9901001 or "
        "https://arxiv.org/abs/2309.12288.",
        widget=forms.TextInput(attrs={"size": 50, "autofocus": True}),
    )

    def clean_arxiv(self):
        try:
            arxiv_id, version = parse_arxiv_id(self.cleaned_data["arxiv"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None
        self.cleaned_data["arxiv_id"] = arxiv_id
        return arxiv_id + version


class ImportAdminMixin:
    """Adds the import pages, their URLs and their buttons to a ModelAdmin for Publication."""

    @property
    def change_list_template(self):
        # Named outright, because admin bases such as django-reversion's VersionAdmin
        # name a change list of their own; that one becomes this one's parent.
        return "admin/research/publication/change_list.html"

    def changelist_view(self, request, extra_context=None):
        parent = super().change_list_template or "admin/change_list.html"
        context = {
            **(extra_context or {}),
            "import_parent_template": parent,
            "has_import_permission": self.has_import_permission(request),
        }
        return super().changelist_view(request, context)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import-bibtex/", view(self.import_bibtex_view), name="research_import_bibtex"),
            path("add-from-arxiv/", view(self.add_from_arxiv_view), name="research_add_arxiv"),
            *super().get_urls(),
        ]

    def has_import_permission(self, request):
        # Imports add and change papers, and add the authors nobody has entered yet.
        return (
            self.has_add_permission(request)
            and self.has_change_permission(request)
            and request.user.has_perm("research.add_person")
        )

    def _check_import_permission(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied

    def _render(self, request, template, title, context):
        return TemplateResponse(
            request,
            f"admin/research/publication/{template}",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": title,
                "has_view_permission": self.has_view_permission(request),
                **context,
            },
        )

    def import_bibtex_view(self, request):
        self._check_import_permission(request)
        if request.method != "POST":
            form = BibtexImportForm()
            return self._render(request, "import_bibtex.html", "Import BibTeX", {"form": form})
        form = BibtexImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, "import_bibtex.html", "Import BibTeX", {"form": form})
        parsed = form.cleaned_data["parsed"]
        if "confirm" not in request.POST:
            report = run_import(parsed, dry_run=True)
            return self._render(
                request,
                "import_bibtex_preview.html",
                "Import BibTeX: check before importing",
                {
                    "report": report,
                    "text": form.cleaned_data["text"],
                    "highlight_selected": form.cleaned_data["highlight_selected"],
                    "to_save": len(report.created) + len(report.updated),
                },
            )
        report = run_import(parsed)
        messages.success(request, f"BibTeX imported: {report.summary()}.")
        for outcome in report.skipped:
            where = f"line {outcome.line}" if outcome.line else "?"
            messages.warning(
                request, f"Skipped {where}, entry “{outcome.key}”: {'; '.join(outcome.messages)}"
            )
        return redirect("admin:research_publication_changelist")

    def add_from_arxiv_view(self, request):
        self._check_import_permission(request)
        form = ArxivForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            existing = Publication.objects.matching(arxiv_id=form.cleaned_data["arxiv_id"])
            if existing:
                messages.warning(request, f"This arXiv paper is already on the site: “{existing}”.")
                return redirect("admin:research_publication_change", existing.pk)
            try:
                draft = arxiv.create_draft(arxiv.fetch_entry(form.cleaned_data["arxiv"]))
            except arxiv.ArxivError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    f"Draft created from arXiv {form.cleaned_data['arxiv_id']}. Check the "
                    "authors and details, set the status to Published, and save.",
                )
                return redirect(reverse("admin:research_publication_change", args=[draft.pk]))
        return self._render(
            request, "add_from_arxiv.html", "Add a paper from arXiv", {"form": form}
        )
