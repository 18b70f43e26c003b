from django.core.exceptions import ValidationError
from django.db import models
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
        self.pk = self.SINGLETON_PK
        super().save(*args, **kwargs)

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
