import re
import unicodedata

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils.text import slugify
from markdownx.models import MarkdownxField
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItem

from core.markup import render_markdown
from core.validators import validate_web_url
from uploads.fields import NormalizedImageField, validate_pdf
from uploads.images import THUMBNAIL_MAX_SIZE

from .identifiers import parse_arxiv_id

# Addresses under /research/ that are not papers (feeds, tag pages, the whole .bib).
RESERVED_SLUGS = {"feed", "tags", "papers"}


def comparable(text):
    """Text reduced for matching: no accents, case, punctuation or extra spaces.

    "Jérémy  Scheurer" and "jeremy scheurer" compare equal; so do two titles that
    differ only in capitalisation, braces or dashes.
    """
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", plain).split())


class PersonQuerySet(models.QuerySet):
    def by_name(self):
        """Each person under their comparable name and aliases (a name wins over an alias)."""
        people = list(self)
        index = {comparable(alias): p for p in people for alias in p.alias_list}
        index.update((comparable(p.name), p) for p in people)
        index.pop("", None)
        return index

    def match_or_create(self, name, index):
        """(person, created) for a printed name; `index` (from by_name()) is kept current."""
        key = comparable(name)
        if key in index:
            return index[key], False
        person = Person(name=name)
        person.full_clean(validate_constraints=False)
        person.save()
        index[key] = person
        return person, True


class Person(models.Model):
    name = models.CharField(max_length=200)
    homepage = models.URLField(blank=True, max_length=500, validators=[validate_web_url])
    is_owner = models.BooleanField(
        "site owner",
        default=False,
        help_text="The person this site is about: shown in bold in author lists.",
    )
    aliases = models.TextField(
        blank=True,
        help_text="Other spellings of this name, one per line (e.g. “Tomek Korbak”), "
        "used to recognise this person when papers are imported.",
    )
    updated = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(
                fields=["is_owner"],
                condition=Q(is_owner=True),
                name="one_site_owner",
                violation_error_message=(
                    "Another person is already the site owner. Only one person can be "
                    "the owner: untick “site owner” on that person first."
                ),
            )
        ]

    def __str__(self):
        return self.name

    @property
    def alias_list(self):
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]


class PublicationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Publication.Status.PUBLISHED)

    def highlighted(self):
        return self.filter(highlighted=True)

    def with_authors(self):
        """Authors in order with their people, in one extra query."""
        return self.prefetch_related(
            Prefetch(
                "authorships",
                queryset=Authorship.objects.select_related("person").order_by("position", "pk"),
            )
        )

    def for_listing(self):
        """Everything a list of papers shows, in a fixed number of queries."""
        return self.with_authors().prefetch_related("tags")

    def matching(self, *, doi="", arxiv_id="", title=""):
        """The paper these identifiers describe: same DOI, else arXiv ID, else title.

        Titles are compared ignoring case, accents, braces and punctuation.
        """
        if doi:
            paper = self.filter(doi__iexact=doi.strip()).first()
            if paper:
                return paper
        if arxiv_id:
            # The containment test is loose (2309.1228 is inside 2309.12288): confirm exactly.
            candidates = self.filter(Q(url__icontains=arxiv_id) | Q(pdf_url__icontains=arxiv_id))
            for paper in candidates:
                if paper.arxiv_id.lower() == arxiv_id.lower():
                    return paper
        key = comparable(title)
        if key:
            for pk, other in self.values_list("pk", "title"):
                if comparable(other) == key:
                    return self.get(pk=pk)
        return None

    def with_tag(self, slug):
        return self.filter(tags__slug=slug)

    def tags(self):
        """The tags these papers carry, each once, by name."""
        return Tag.objects.filter(publication__in=self).distinct().order_by("name")


class Publication(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft (hidden)"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=300)
    slug = models.SlugField(
        max_length=120,
        unique=True,
        blank=True,
        help_text="The paper's address on this site; filled from the title when left empty.",
    )
    date = models.DateField(
        help_text="When the paper appeared. If only the month is known, use the 1st."
    )
    url = models.URLField(
        "primary link",
        max_length=500,
        blank=True,
        validators=[validate_web_url],
        help_text="The paper's main page, e.g. its arXiv abstract page.",
    )
    venue = models.CharField(max_length=300, blank=True, help_text="e.g. “ICLR 2024”.")
    venue_short = models.CharField(
        "short venue", max_length=50, blank=True, help_text="An abbreviation such as “ICLR”."
    )
    tldr = MarkdownxField("tl;dr", blank=True, help_text="One or two sentences, Markdown.")
    abstract = MarkdownxField(blank=True, help_text="Markdown.")
    thumbnail = NormalizedImageField(
        upload_to="thumbnails/",
        max_size=THUMBNAIL_MAX_SIZE,
        renditions=["thumbnail", "figure"],
        blank=True,
        width_field="thumbnail_width",
        height_field="thumbnail_height",
    )
    thumbnail_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    thumbnail_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    code_url = models.URLField(
        "code link", max_length=500, blank=True, validators=[validate_web_url]
    )
    website_url = models.URLField(
        "project page", max_length=500, blank=True, validators=[validate_web_url]
    )
    pdf = models.FileField("PDF file", upload_to="papers/", blank=True, validators=[validate_pdf])
    pdf_url = models.URLField(
        "PDF link",
        max_length=500,
        blank=True,
        validators=[validate_web_url],
        help_text="Used when no PDF file is uploaded.",
    )
    doi = models.CharField("DOI", max_length=200, blank=True, db_index=True)
    highlighted = models.BooleanField(
        default=False, db_index=True, help_text="Show this paper on the homepage."
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PUBLISHED, db_index=True
    )
    people = models.ManyToManyField(Person, through="Authorship", related_name="publications")
    tags = TaggableManager(blank=True)
    # Lets version history (django-reversion) save and restore a paper's tags.
    tagged_items = GenericRelation(TaggedItem, related_query_name="publication")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-created", "-pk"]
        indexes = [models.Index(fields=["status", "-date"], name="publication_listing")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self._unique_slug()
        old_slug = getattr(self, "_stored_slug", None)
        if old_slug is None and self.pk:
            old_slug = Publication.objects.filter(pk=self.pk).values_list("slug", flat=True).first()
        super().save(*args, **kwargs)
        if old_slug != self.slug:
            if old_slug:
                # Keep the old address working: it redirects to the new one.
                PreviousSlug.objects.update_or_create(slug=old_slug, defaults={"publication": self})
            # The new address is this paper's now, not a redirect to another one.
            PreviousSlug.objects.filter(slug=self.slug).delete()
        self._stored_slug = self.slug

    def get_absolute_url(self):
        return reverse("research:publication", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if self.slug in RESERVED_SLUGS:
            raise ValidationError(
                {"slug": f"“{self.slug}” is used by another page of the site; choose another."}
            )

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # The slug as stored, so save() knows without a query whether it changed.
        instance._stored_slug = instance.__dict__.get("slug")
        return instance

    def _unique_slug(self):
        base = slugify(self.title)[:100].strip("-") or "paper"
        slug, n = base, 2
        while (
            slug in RESERVED_SLUGS
            or Publication.objects.filter(slug=slug).exclude(pk=self.pk).exists()
        ):
            slug, n = f"{base}-{n}", n + 1
        return slug

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    @property
    def authors(self):
        """Authorships in order (uses the prefetch from with_authors())."""
        return self.authorships.all()

    @property
    def has_equal_contributors(self):
        return any(a.equal_contribution for a in self.authors)

    @property
    def pdf_link(self):
        return self.pdf.url if self.pdf else self.pdf_url

    @property
    def arxiv_id(self):
        # The same reading of IDs as the importers', so matching agrees with pages.
        for link in (self.url, self.pdf_url):
            try:
                return parse_arxiv_id(link)[0]
            except ValueError:
                continue
        return ""

    @property
    def tldr_html(self):
        return render_markdown(self.tldr)

    @property
    def abstract_html(self):
        return render_markdown(self.abstract)


class Authorship(models.Model):
    """One author of one paper, at a position, as printed on that paper."""

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="authorships"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="authorships")
    position = models.PositiveIntegerField(default=0, db_index=True)
    equal_contribution = models.BooleanField(
        default=False, help_text="Marked with * as an equal contributor."
    )
    printed_name = models.CharField(
        "name as printed",
        max_length=200,
        blank=True,
        help_text="How the name appears on this paper, when it differs from the person's name.",
    )

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "person"],
                name="one_authorship_per_person",
                violation_error_message="This person is already an author of this paper.",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return self.printed_name or self.person.name

    @property
    def is_owner(self):
        return self.person.is_owner


class PreviousSlug(models.Model):
    """An address a paper used to have, kept so old links redirect."""

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="previous_slugs"
    )
    slug = models.SlugField(max_length=120, unique=True)

    def __str__(self):
        return self.slug
