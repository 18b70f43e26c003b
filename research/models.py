import re
import unicodedata

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from markdownx.models import MarkdownxField
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItem

from core.markup import render_markdown
from core.validators import validate_web_url
from uploads.fields import NormalizedImageField, validate_pdf
from uploads.images import THUMBNAIL_MAX_SIZE

from .citation import guess_kind
from .identifiers import parse_arxiv_id

# Addresses under /research/ that are not papers (feeds, tag pages, the whole .bib).
RESERVED_SLUGS = {"feed", "tags", "papers", "with"}


def comparable(text):
    """Text reduced for matching: no accents, case, punctuation or extra spaces.

    "Jérémy  Scheurer" and "jeremy scheurer" compare equal; so do two titles that
    differ only in capitalisation, braces or dashes.
    """
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", plain).split())


def unique_slug(model, base, instance, reserved=()):
    """base, or base-2, base-3...: the first slug no other row of model has."""
    slug, n = base, 2
    while slug in reserved or model.objects.filter(slug=slug).exclude(pk=instance.pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


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
    slug = models.SlugField(
        max_length=220,
        unique=True,
        null=True,
        blank=True,
        help_text="Address of the page of papers you wrote together "
        "(/research/with/<slug>/); filled from the name when left empty.",
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

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Person, slugify(self.name)[:200].strip("-") or "person", self)
        super().save(*args, **kwargs)

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

    def with_tags(self):
        """Tags as plain lists (Publication.tag_list), in one extra query.

        django-taggit's own prefetch builds a queryset per paper (bench/FINDINGS.md).
        """
        return self.prefetch_related(
            Prefetch(
                "tagged_items",
                queryset=TaggedItem.objects.select_related("tag").order_by("pk"),
                to_attr="_tag_items",
            )
        )

    def for_listing(self):
        """Everything a list of papers shows, in a fixed number of queries."""
        return self.with_authors().with_tags()

    def mark_shown_changed(self):
        """Call after changing what these papers show with update() or bulk_create()."""
        return self.update(shown_changed=timezone.now())

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

    def with_coauthor(self, person):
        """Papers the site owner wrote with person (all of person's papers if no owner)."""
        papers = self.filter(authorships__person=person)
        if Person.objects.filter(is_owner=True).exists():
            papers = papers.filter(
                pk__in=Authorship.objects.filter(person__is_owner=True).values("publication")
            )
        return papers

    def tags(self):
        """The tags these papers carry, each once, by name."""
        return Tag.objects.filter(publication__in=self).distinct().order_by("name")


class Publication(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft (hidden)"
        PUBLISHED = "published", "Published"

    class Kind(models.TextChoices):
        CONFERENCE = "conference", "Conference or workshop paper"
        JOURNAL = "journal", "Journal article"
        PREPRINT = "preprint", "Preprint"
        THESIS = "thesis", "Thesis"
        BOOK = "book", "Book or chapter"
        REPORT = "report", "Report"
        OTHER = "other", "Other"

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
    kind = models.CharField(
        max_length=12,
        choices=Kind.choices,
        blank=True,
        db_index=True,
        help_text="What kind of paper this is (a filter on /research/); "
        "guessed from the venue when left empty.",
    )
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
    # When anything this paper's entry in a list shows last changed: the paper, its
    # authorships, its authors' names and owner flag, its tags (research/signals.py).
    # Names the cached fragment of that entry and tells the search index it is stale.
    # Unlike `updated`, it moves without an edit of the paper itself, so it does not
    # trip the editor's "someone else saved this" check.
    shown_changed = models.DateTimeField(default=timezone.now, editable=False)
    # Title, authors, venue, abstract, tl;dr and tags, accents and case removed
    # (research/search.py), as of `search_indexed`.
    search_document = models.TextField(blank=True, editable=False)
    search_indexed = models.DateTimeField(null=True, blank=True, editable=False)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-created", "-pk"]
        indexes = [models.Index(fields=["status", "-date"], name="publication_listing")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self._unique_slug()
        if not self.kind:
            self.kind = self.guess_kind()
        self.shown_changed = timezone.now()
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
        return unique_slug(Publication, base, self, RESERVED_SLUGS)

    def guess_kind(self):
        return guess_kind(f"{self.venue} {self.venue_short}".strip(), bool(self.arxiv_id))

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    @property
    def authors(self):
        """Authorships in order (uses the prefetch from with_authors())."""
        return self.authorships.all()

    @property
    def tag_list(self):
        """The paper's tags in the order they were added (uses with_tags()' prefetch)."""
        items = getattr(self, "_tag_items", None)
        if items is None:
            items = self.tagged_items.select_related("tag").order_by("pk")
        return [item.tag for item in items]

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
