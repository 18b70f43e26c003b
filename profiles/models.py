import html
import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from markdownx.models import MarkdownxField

from core import author_ids as ids
from core.markup import render_markdown
from core.validators import validate_link_url
from pagecache.freshness import changed_of
from uploads.fields import NormalizedImageField, UnguessableFileField, validate_pdf
from uploads.images import PHOTO_MAX_SIZE

# Up to the first full stop, question or exclamation mark that ends a sentence.
_FIRST_SENTENCE = re.compile(r".+?[.!?](?=\s|$)")
# (versions of what it shows, language), profile: Profile.shown()'s newest.
_shown_profile = (object(), None)


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
    cv = UnguessableFileField(
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
    max_author_limit = models.PositiveSmallIntegerField(
        "authors shown in lists",
        null=True,
        blank=True,
        help_text="In lists of papers, show at most this many authors (plus you), then “and N "
        "more”, which opens the rest. Empty: show all. Paper pages always show all.",
    )
    link_coauthors = models.BooleanField(
        "link co-authors to their pages",
        default=False,
        help_text="Author names in your paper lists link to a page of the papers "
        "you wrote with that person (/research/with/<name>/).",
    )
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "profile"
        verbose_name_plural = "profile"

    def __str__(self):
        return self.name or "Profile"

    def save(self, *args, **kwargs):
        if self._shown is not None:
            raise TypeError("The profile of Profile.shown() is shared: edit Profile.load()'s.")
        self.pk = self.SINGLETON_PK
        super().save(*args, **kwargs)
        HomeSection.objects.add_missing(self)

    @classmethod
    def load(cls):
        """The profile, or an unsaved blank one on a fresh install."""
        return cls.objects.filter(pk=cls.SINGLETON_PK).first() or cls(name="")

    # On the profile shown() hands out: {name: what keep() read under it}.
    _shown = None

    @classmethod
    def shown(cls, request):
        """The profile as the public pages show it, shared by the requests of this process.

        load()'s profile, read again only when the profile, its links or its
        homepage sections changed (their content versions, pagecache.freshness),
        so a cold render after an edit of a paper reads none of them. Its
        home_sections(), visible_links() and description are worked out once
        too, when first asked, and so is what callers keep() on it.
        Read-only: it is the same object in every request (and thread) that
        shares those versions, so nothing may set an attribute on it or save it
        (save() refuses); edit the one load() gives.
        """
        global _shown_profile
        key = (changed_of(request, Profile, SocialLink, HomeSection), get_language())
        seen, profile = _shown_profile
        if seen != key:
            profile = cls.load()
            profile._shown = {}
            _shown_profile = (key, profile)
        return profile

    def keep(self, name, read):
        """read(), only once for shown()'s profile (read() each time for any other).

        For what depends only on the profile, its links and its sections (and
        the language), such as the homepage's parts: kept as long as it is.
        """
        if self._shown is None:
            return read()
        if name not in self._shown:
            self._shown[name] = read()
        return self._shown[name]

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
    def description(self):
        """The pages' meta description: the subtitle, else the bio's first sentence."""
        return self.keep("description", self._description)

    def _description(self):
        if self.subtitle:
            return self.subtitle
        text = " ".join(html.unescape(strip_tags(self.bio_html)).split())
        first = _FIRST_SENTENCE.match(text)
        return Truncator(first.group(0) if first else text).chars(160)

    @property
    def active_research_html(self):
        return render_markdown(self.active_research)

    def home_sections(self):
        """The homepage's sections in the owner's order, hidden ones left out."""
        return list(self.keep("home_sections", self._home_sections))

    def _home_sections(self):
        saved = {s.key: s for s in self.sections.all()} if self.pk else {}
        sections = [saved.get(key) or HomeSection.default(key) for key in HomeSection.Key.values]
        return [s for s in sorted(sections, key=lambda s: s.position) if s.visible]

    def visible_links(self):
        """Links shown on the homepage, in the owner's order."""
        return list(self.keep("visible_links", self._visible_links))

    def _visible_links(self):
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


class HomeSectionQuerySet(models.QuerySet):
    def add_missing(self, profile):
        """Give the profile a row for every section it lacks, with the usual heading."""
        have = set(self.filter(profile=profile).values_list("key", flat=True))
        for key in HomeSection.Key.values:
            if key not in have:
                section = HomeSection.default(key)
                section.profile = profile
                section.save()


class HomeSection(models.Model):
    """One section of the homepage: its place, heading, and whether it is shown."""

    class Key(models.TextChoices):
        BIO = "bio", "Bio and links"
        NEWS = "news", "News"
        ACTIVE_RESEARCH = "active_research", "Active research"
        HIGHLIGHTED_RESEARCH = "highlighted_research", "Highlighted research"

    # key: (heading, shown, position). The seed page is exactly these. Headings
    # are saved in the site's language (DJANGO_LANGUAGE_CODE) when the row is made.
    DEFAULTS = {
        Key.BIO: ("", True, 1),
        Key.NEWS: (_("News"), False, 2),
        Key.ACTIVE_RESEARCH: (_("Active research"), True, 3),
        Key.HIGHLIGHTED_RESEARCH: (_("Highlighted Research"), True, 4),
    }

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField("section", max_length=30, choices=Key.choices)
    heading = models.CharField(
        max_length=100, blank=True, help_text="Leave empty for no heading (the usual for the bio)."
    )
    visible = models.BooleanField("shown", default=True)
    items = models.PositiveSmallIntegerField(
        "items shown",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text="News only: how many of the latest items the homepage lists.",
    )
    position = models.PositiveIntegerField(default=0, db_index=True)

    objects = HomeSectionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "homepage section"
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "key"],
                name="one_home_section_per_key",
                violation_error_message="The homepage has this section already.",
            )
        ]

    def __str__(self):
        return self.get_key_display()

    @classmethod
    def default(cls, key):
        heading, visible, position = cls.DEFAULTS[key]
        return cls(key=key, heading=str(heading), visible=visible, position=position)

    @property
    def anchor(self):
        """The heading's id; the seed's own ids are kept for links into the page."""
        return self.key.replace("_", "-")
