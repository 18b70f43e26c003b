from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from markdownx.models import MarkdownxField

from core.markup import render_markdown
from core.validators import validate_link_url
from uploads.fields import NormalizedImageField, validate_pdf
from uploads.images import PHOTO_MAX_SIZE


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
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "profile"
        verbose_name_plural = "profile"

    def __str__(self):
        return self.name or "Profile"

    def save(self, *args, **kwargs):
        self.pk = self.SINGLETON_PK
        super().save(*args, **kwargs)
        HomeSection.objects.add_missing(self)

    @classmethod
    def load(cls):
        """The profile, or an unsaved blank one on a fresh install."""
        return cls.objects.filter(pk=cls.SINGLETON_PK).first() or cls(name="")

    @property
    def bio_html(self):
        return render_markdown(self.bio)

    @property
    def active_research_html(self):
        return render_markdown(self.active_research)

    def home_sections(self):
        """The homepage's sections in the owner's order, hidden ones left out."""
        saved = {s.key: s for s in self.sections.all()} if self.pk else {}
        sections = [saved.get(key) or HomeSection.default(key) for key in HomeSection.Key.values]
        return [s for s in sorted(sections, key=lambda s: s.position) if s.visible]

    def visible_links(self):
        """Links shown on the homepage, in the owner's order."""
        if self.pk is None:
            return []
        return [link for link in self.links.all() if link.visible and link.href]


class SocialLink(models.Model):
    class Kind(models.TextChoices):
        EMAIL = "email", "Email"
        GOOGLE_SCHOLAR = "google-scholar", "Google Scholar"
        GITHUB = "github", "GitHub"
        TWITTER = "twitter", "Twitter / X"
        FACEBOOK = "facebook", "Facebook"
        LINKEDIN = "linkedin", "LinkedIn"
        ORCID = "orcid", "ORCID"
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
