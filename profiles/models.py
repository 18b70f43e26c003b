from django.core.exceptions import ValidationError
from django.db import models
from markdownx.models import MarkdownxField

from core.markup import render_markdown
from core.validators import validate_link_url
from uploads.fields import NormalizedImageField, validate_pdf
from uploads.images import PHOTO_MAX_SIZE

from . import identifiers as ids


class Profile(models.Model):
    """The site owner's profile: one row, edited in the admin."""

    class Alignment(models.TextChoices):
        LEFT = "left", "Left of the bio"
        RIGHT = "right", "Right of the bio"

    SINGLETON_PK = 1

    name = models.CharField(max_length=200)
    subtitle = models.CharField(
        max_length=300, blank=True, help_text="A short line under your name (optional)."
    )
    photo = NormalizedImageField(
        upload_to="profile/",
        max_size=PHOTO_MAX_SIZE,
        renditions=["photo"],
        blank=True,
        width_field="photo_width",
        height_field="photo_height",
    )
    photo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_circular = models.BooleanField("crop the photo to a circle", default=True)
    photo_alignment = models.CharField(
        max_length=5, choices=Alignment.choices, default=Alignment.RIGHT
    )
    bio = MarkdownxField(blank=True, help_text="Markdown. Shown at the top of the homepage.")
    active_research = MarkdownxField(
        blank=True, help_text="Markdown. Shown under “Active research”; leave empty to hide it."
    )
    cv = models.FileField(
        "CV", upload_to="cv/", blank=True, validators=[validate_pdf], help_text="A PDF of your CV."
    )
    # Research identifiers: where the paper inbox (inbox/) looks for your works.
    orcid = models.CharField(
        "ORCID iD",
        max_length=100,
        blank=True,
        validators=[ids.validate_orcid],
        help_text="e.g. 0000-0002-1825-0097 (a link to your ORCID page works too).",
    )
    openalex_id = models.CharField(
        "OpenAlex author ID",
        max_length=100,
        blank=True,
        validators=[ids.validate_openalex],
        help_text="e.g. A5023888391.",
    )
    dblp_pid = models.CharField(
        "DBLP pid",
        max_length=100,
        blank=True,
        validators=[ids.validate_dblp],
        help_text="e.g. 95/7448-1, from your dblp.org/pid/… address.",
    )
    semantic_scholar_id = models.CharField(
        "Semantic Scholar author ID",
        max_length=100,
        blank=True,
        validators=[ids.validate_semantic_scholar],
    )
    arxiv_query = models.CharField(
        "arXiv author query",
        max_length=300,
        blank=True,
        validators=[ids.validate_arxiv_query],
        help_text="An arXiv API search_query, e.g. au:Korbak_T.",
    )

    class CitationSource(models.TextChoices):
        OPENALEX = "openalex", "OpenAlex"
        SEMANTIC_SCHOLAR = "semantic-scholar", "Semantic Scholar"
        CROSSREF = "crossref", "Crossref"

    show_citations = models.BooleanField(
        "show citation counts",
        default=False,
        help_text="Print “cited by N” under each paper on /research/ and paper pages.",
    )
    citation_source = models.CharField(
        "preferred citation source",
        max_length=20,
        choices=CitationSource.choices,
        default=CitationSource.OPENALEX,
        help_text="Shown when it has a count for the paper; otherwise the next source that has.",
    )
    show_citation_totals = models.BooleanField(
        "show citation totals",
        default=False,
        help_text="Total citations and h-index on /research/, from the stored counts.",
    )
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "profile"
        verbose_name_plural = "profile"

    def __str__(self):
        return self.name or "Profile"

    def save(self, *args, **kwargs):
        self.pk = self.SINGLETON_PK
        super().save(*args, **kwargs)

    @classmethod
    def load(cls):
        """The profile, or an unsaved blank one on a fresh install."""
        return cls.objects.filter(pk=cls.SINGLETON_PK).first() or cls(name="")

    def clean_fields(self, exclude=None):
        # Accept a pasted profile link; keep the bare identifier (before validation).
        self.orcid = ids.normalize_orcid(self.orcid)
        self.openalex_id = ids.normalize_openalex(self.openalex_id)
        self.dblp_pid = ids.normalize_dblp(self.dblp_pid)
        self.semantic_scholar_id = ids.normalize_semantic_scholar(self.semantic_scholar_id)
        self.arxiv_query = self.arxiv_query.strip()
        super().clean_fields(exclude=exclude)

    def identifier_links(self):
        """Social links for the research identifiers that have a public page."""
        Kind = SocialLink.Kind
        pages = [
            (Kind.ORCID, "ORCID", self.orcid, "https://orcid.org/{}"),
            (Kind.DBLP, "DBLP", self.dblp_pid, "https://dblp.org/pid/{}.html"),
            (
                Kind.SEMANTIC_SCHOLAR,
                "Semantic Scholar",
                self.semantic_scholar_id,
                "https://www.semanticscholar.org/author/{}",
            ),
            (Kind.OPENALEX, "OpenAlex", self.openalex_id, "https://openalex.org/authors/{}"),
        ]
        return [
            SocialLink(profile=self, kind=kind, label=label, url=page.format(value))
            for kind, label, value, page in pages
            if value
        ]

    @property
    def bio_html(self):
        return render_markdown(self.bio)

    @property
    def active_research_html(self):
        return render_markdown(self.active_research)

    def visible_links(self):
        """Links shown on the homepage, in the owner's order."""
        if self.pk is None:
            return []
        links = list(self.links.all())
        shown = [link for link in links if link.visible and link.href]
        # An identifier's page is added unless a link of that kind (or to that page) exists.
        own_kinds = {link.kind for link in links}
        own_urls = {link.url.rstrip("/") for link in links}
        shown += [
            link
            for link in self.identifier_links()
            if link.kind not in own_kinds and link.url not in own_urls
        ]
        return shown


class SocialLink(models.Model):
    class Kind(models.TextChoices):
        EMAIL = "email", "Email"
        GOOGLE_SCHOLAR = "google-scholar", "Google Scholar"
        GITHUB = "github", "GitHub"
        TWITTER = "twitter", "Twitter / X"
        FACEBOOK = "facebook", "Facebook"
        LINKEDIN = "linkedin", "LinkedIn"
        ORCID = "orcid", "ORCID"
        DBLP = "dblp", "DBLP"
        SEMANTIC_SCHOLAR = "semantic-scholar", "Semantic Scholar"
        OPENALEX = "openalex", "OpenAlex"
        BLUESKY = "bluesky", "Bluesky"
        MASTODON = "mastodon", "Mastodon"
        WEBSITE = "website", "Website"
        CV = "cv", "CV"
        OTHER = "other", "Other"

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="links")
    label = models.CharField(max_length=100)
    url = models.CharField(
        "URL",
        max_length=500,
        blank=True,
        validators=[validate_link_url],
        help_text="http://, https:// or mailto:. A CV link left empty points at the uploaded CV.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    visible = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0, db_index=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.label

    def clean(self):
        if not self.url and self.kind != self.Kind.CV:
            raise ValidationError({"url": "Enter the link's address."})

    @property
    def href(self):
        """Where the link points; a CV link with no URL points at the uploaded CV."""
        if self.url:
            return self.url
        if self.kind == self.Kind.CV and self.profile.cv:
            return self.profile.cv.url
        return ""
