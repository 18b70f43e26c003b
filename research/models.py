import contextlib
import re
from collections import defaultdict
from dataclasses import dataclass
from itertools import islice

from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.db.models import F, Q
from django.db.models.query import ModelIterable
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from markdownx.models import MarkdownxField
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItem

from core import compiled
from core.links import slug_url
from core.markup import (
    inline_html_to_text,
    math_to_text,
    render_inline_html,
    render_inline_markdown,
    render_markdown,
    render_title,
)
from core.validators import validate_web_url
from pagecache.freshness import changed_of, mark_changed
from uploads.fields import NormalizedImageField, UnguessableFileField, validate_pdf
from uploads.images import THUMBNAIL_MAX_SIZE

from .citation import guess_kind
from .identifiers import parse_arxiv_id
from .names import (
    MARKS,
    NameMatcher,
    comparable,
    compatible_names,
    name_parts,
    order_marks,
    parse_legend,
    same_meaning,
)

# Addresses under /research/ that are not papers (feeds, tag pages, the whole .bib).
RESERVED_SLUGS = {"feed", "tags", "papers", "with"}


def unique_slug(model, base, instance, reserved=()):
    """base, or base-2, base-3...: the first slug no other row of model has."""
    slug, n = base, 2
    while slug in reserved or model.objects.filter(slug=slug).exclude(pk=instance.pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


class PersonQuerySet(models.QuerySet):
    def by_name(self):
        """Each person under their comparable name and aliases.

        A person's own name wins over someone else's alias, except the owner's:
        an alias added to the owner ("K. Oman") beats a person of that name
        made by an earlier import, so re-importing puts the owner on the paper.
        """
        people = list(self)
        index = {comparable(alias): p for p in people for alias in p.alias_list}
        index.update((comparable(p.name), p) for p in people)
        for owner in (p for p in people if p.is_owner):
            index.update((comparable(alias), owner) for alias in owner.alias_list)
            index[comparable(owner.name)] = owner
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

    def owner(self):
        return self.filter(is_owner=True).first()

    def authors_for(self, names, index, *, owner=None, matcher=None):
        """The (person, marks, name as printed) of each printed author, for set_authors().

        `names` are (printed name, marks) pairs in order; `index` comes from
        by_name() and is kept current. The owner is recognised under any
        compatible spelling (`matcher`, e.g. "K. A. Oman" for Kyle A. Oman),
        unless the paper prints the owner's own name, when other spellings
        there are other people. Unknown names become new people; a person
        named twice is kept once. The result's .messages say what was done.
        """
        keys = [comparable(name) for name, _marks in names]
        owner_named = owner is not None and any(index.get(key) == owner for key in keys)
        authors = _Authors()
        for (name, marks), key in zip(names, keys, strict=True):
            person = index.get(key)
            if (
                owner is not None
                and person != owner
                and not owner_named
                and matcher is not None
                and matcher.matches(name)
                and all(p != owner for p, _, _ in authors)
            ):
                person = owner
                authors.messages.append(f"{name} is the site owner ({owner.name})")
            if person is None:
                person, _created = self.match_or_create(name, index)
                authors.messages.append(f"new person: {person.name}")
            if any(p == person for p, _, _ in authors):
                authors.messages.append(f"{name} is listed twice; kept the first")
                continue
            authors.append((person, marks, name))
        return authors

    def duplicate_groups(self):
        """Groups of people who may be one person: same family name, compatible given names.

        Also people whose name is another person's alias. Each group is a list
        of people, in name order.
        """
        people = list(self.order_by("name", "pk"))
        by_family = defaultdict(list)
        for person in people:
            family, _given = name_parts(person.name)
            if family:
                by_family[family].append(person)
        aliases = {comparable(a): p for p in people for a in p.alias_list}
        groups = []
        seen = set()
        for person in people:
            if person.pk in seen:
                continue
            family, _given = name_parts(person.name)
            group = [
                other
                for other in by_family.get(family, [])
                if other == person or compatible_names(person.name, other.name)
            ]
            named = aliases.get(comparable(person.name))
            if named is not None and named not in group:
                group.append(named)
            if len(group) > 1:
                seen.update(p.pk for p in group)
                groups.append(sorted(group, key=lambda p: (p.name, p.pk)))
        return groups

    def likely_duplicates(self):
        """The people of duplicate_groups(), as a queryset."""
        pks = [p.pk for group in self.duplicate_groups() for p in group]
        return self.filter(pk__in=pks)


class _Authors(list):
    """A list of (person, marks, printed name) that also carries notes for the editor."""

    def __init__(self):
        super().__init__()
        self.messages = []


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

    def name_matcher(self):
        """Recognises this person's spellings: name and aliases, initials or not."""
        return NameMatcher([self.name, *self.alias_list])

    def merge(self, others):
        """Fold `others` into this person: their papers, names and links become this one's.

        Each moved authorship keeps the name printed on its paper; the others'
        names and aliases become aliases here; an owner among them makes this
        person the owner. A paper that lists two of the people is a
        ValidationError and nothing changes.
        """
        others = [p for p in others if p.pk != self.pk]
        pks = [self.pk, *(p.pk for p in others)]
        shared = (
            Publication.objects.filter(authorships__person__in=pks)
            .annotate(n=models.Count("authorships"))
            .filter(n__gt=1)
            .order_by("title")
        )
        if shared:
            titles = "; ".join(f"“{paper.title}”" for paper in shared)
            raise ValidationError(
                f"Not merged: these papers list more than one of these people as authors: "
                f"{titles}. Remove the extra author from each paper first."
            )
        with transaction.atomic():
            names = self.alias_list
            for other in others:
                for name in [other.name, *other.alias_list]:
                    if comparable(name) != comparable(self.name) and name not in names:
                        names.append(name)
                for authorship in other.authorships.all():
                    authorship.printed_name = authorship.name
                    if authorship.printed_name == self.name:
                        authorship.printed_name = ""
                    authorship.person = self
                    authorship.save(update_fields=["person", "printed_name"])
                self.homepage = self.homepage or other.homepage
                owner = other.is_owner
                other.delete()
                if owner:
                    self.is_owner = True
            self.aliases = "\n".join(names)
            self.full_clean()
            self.save()
        return self


class PublicationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Publication.Status.PUBLISHED)

    def highlighted(self):
        return self.filter(highlighted=True)

    def visible_to(self, user):
        """Drafts too for editors allowed to view papers; published papers for everyone else."""
        return self if Publication.can_see_drafts(user) else self.published()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._shown_parts = frozenset()

    def _clone(self):
        clone = super()._clone()
        clone._shown_parts = self._shown_parts
        return clone

    def _with_rows(self, part):
        clone = self._chain()
        clone._shown_parts = self._shown_parts | {part}
        if clone._iterable_class is ModelIterable:
            clone._iterable_class = _PapersWithRows
        return clone

    def with_authors(self):
        """Authors in order with their people (Publication.authors), in one extra query.

        As plain rows (AuthorRow, each person one PersonRow however many papers
        name them), not model instances: a thousand papers of fifteen authors
        were 30,000 instances, half the first render of /research/.
        """
        return self._with_rows("authors")

    def with_tags(self):
        """Tags as plain rows (Publication.tag_list), in one extra query."""
        return self._with_rows("tags")

    def for_listing(self):
        """Everything a list of papers shows, in a fixed number of queries.

        The paper page, feeds, BibTeX and search use it too: what it loads
        besides the papers are read-only rows (AuthorRow, TagRow, LinkRow).
        """
        return self.with_authors().with_tags()

    def mark_shown_changed(self):
        """Call after changing what these papers show with update() or bulk_create()."""
        return self.update(shown_changed=timezone.now())

    def for_archive(self):
        """for_listing() plus each paper's extra links (Publication.link_list)."""
        return self.for_listing()._with_rows("links")

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


class _Row:
    """A read-only stand-in for a model instance in paper lists, equal to the
    instance with the same pk (and hashed alike), so code that compares authors
    with people or tags with tags works on rows and instances alike."""

    __slots__ = ()
    model = None  # the model it stands in for

    @property
    def id(self):
        return self.pk

    def __eq__(self, other):
        if isinstance(other, (type(self), self.model)):
            return self.pk == other.pk
        return NotImplemented

    def __hash__(self):
        return hash(self.pk)

    def __str__(self):
        return self.name

    def __repr__(self):
        return f"<{type(self).__name__} {self.pk}: {self.name}>"


class PersonRow(_Row):
    """A person as paper lists show one: no model instance (with_authors())."""

    __slots__ = ("pk", "name", "slug", "is_owner", "homepage")
    model = Person

    def __init__(self, pk, name, slug, is_owner, homepage):
        self.pk, self.name, self.slug = pk, name, slug
        self.is_owner, self.homepage = is_owner, homepage


class AuthorRow:
    """One authorship as Publication.authors gives it after with_authors().

    What an Authorship shows (name as printed, marks, owner, person), read-only.
    """

    __slots__ = ("pk", "person", "position", "marks", "printed_name", "name", "is_owner")

    def __init__(self, pk, person, position, marks, printed_name):
        self.pk, self.person, self.position = pk, person, position
        self.marks, self.printed_name = marks, printed_name
        self.name = printed_name or person.name
        self.is_owner = person.is_owner

    @property
    def person_id(self):
        return self.person.pk

    def __str__(self):
        return self.name

    def __repr__(self):
        return f"<AuthorRow {self.pk}: {self.name}{self.marks}>"


class TagRow(_Row):
    """A tag as Publication.tag_list gives it after with_tags(); equal to its Tag."""

    __slots__ = ("pk", "name", "slug")
    model = Tag

    def __init__(self, pk, name, slug):
        self.pk, self.name, self.slug = pk, name, slug


class LinkRow:
    """An extra link as Publication.link_list gives it after for_archive()."""

    __slots__ = ("pk", "position", "label", "url", "file")

    def __init__(self, pk, position, label, url, file):
        # file: the stored file's name, "" for a link to a URL.
        self.pk, self.position, self.label, self.url, self.file = pk, position, label, url, file

    @property
    def href(self):
        return PaperLink._meta.get_field("file").storage.url(self.file) if self.file else self.url

    def __str__(self):
        return f"{self.label}: {self.href}"


class _PapersWithRows(ModelIterable):
    """Papers, then what lists show of them (with_authors(), with_tags(),
    for_archive()) read for all of them at once, one query per part, like
    prefetch_related but into plain rows."""

    def __iter__(self):
        papers = super().__iter__()
        # A whole list at once; .iterator() in its chunks.
        size = self.chunk_size if self.chunked_fetch else None
        while chunk := list(islice(papers, size)):
            read_rows(chunk, self.queryset._shown_parts, self.queryset.db)
            yield from chunk


def read_rows(papers, parts, using=DEFAULT_DB_ALIAS):
    """Give papers what lists show of them: parts among "authors", "tags", "links".

    One query per part for all of them. For one paper (the entry an edit
    renders again) each query's SQL is built once per process (core.compiled):
    building it cost more than running it.
    """
    by_pk = {paper.pk: paper for paper in papers}
    if not by_pk:
        return
    single = len(by_pk) == 1 and using == DEFAULT_DB_ALIAS
    which = next(iter(by_pk)) if single else list(by_pk)

    def read(key, build, *values):
        return compiled.rows(key, build, *values) if single else list(build(*values, using))

    def attach(attribute, rows, make):
        found = {pk: [] for pk in by_pk}
        for paper, *row in rows:
            found[paper].append(make(*row))
        for pk, paper in by_pk.items():
            setattr(paper, attribute, found[pk])

    if "authors" in parts:
        people = {}

        def author(pk, position, marks, printed, person_pk, *person):
            if person_pk not in people:
                people[person_pk] = PersonRow(person_pk, *person)
            return AuthorRow(pk, people[person_pk], position, marks, printed)

        attach("_author_rows", read("authors-of-a-paper", _author_rows, which), author)
    if "tags" in parts:
        tags = {}

        def tag(pk, name, slug):
            if pk not in tags:
                tags[pk] = TagRow(pk, name, slug)
            return tags[pk]

        kind = ContentType.objects.db_manager(using).get_for_model(Publication).pk
        attach("_tag_rows", read("tags-of-a-paper", _tag_rows, kind, which), tag)
    if "links" in parts:
        attach("_link_rows", read("links-of-a-paper", _link_rows, which), LinkRow)


def _of(field, which):
    """The filter for one paper's rows (its key) or several papers' (a list of keys)."""
    return {f"{field}__in": which} if isinstance(which, list) else {field: which}


def _author_rows(which, using=DEFAULT_DB_ALIAS):
    return (
        Authorship.objects.using(using)
        .filter(**_of("publication_id", which))
        .order_by("position", "pk")
        .values_list(
            "publication_id",
            "pk",
            "position",
            "marks",
            "printed_name",
            "person_id",
            "person__name",
            "person__slug",
            "person__is_owner",
            "person__homepage",
        )
    )


def _tag_rows(kind, which, using=DEFAULT_DB_ALIAS):
    return (
        TaggedItem.objects.using(using)
        .filter(content_type_id=kind, **_of("object_id", which))
        .order_by("pk")
        .values_list("object_id", "tag_id", "tag__name", "tag__slug")
    )


def _link_rows(which, using=DEFAULT_DB_ALIAS):
    return (
        PaperLink.objects.using(using)
        .filter(**_of("publication_id", which))
        .order_by("position", "pk")
        .values_list("publication_id", "pk", "position", "label", "url", "file")
    )


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
        null=True,
        blank=True,
        help_text="When the paper appeared. If only the month is known, use the 1st. "
        "Leave empty for a paper not yet out, and give a label instead.",
    )
    date_label = models.CharField(
        "label instead of a date",
        max_length=50,
        blank=True,
        help_text="Shown for an undated paper, e.g. “Preprint”, “In press”, “Forthcoming”. "
        "Undated papers are listed first.",
    )
    url = models.URLField(
        "primary link",
        max_length=500,
        blank=True,
        validators=[validate_web_url],
        help_text="The paper's main page, e.g. its arXiv abstract page.",
    )
    venue = models.CharField(
        max_length=300,
        blank=True,
        help_text="e.g. “ICLR 2024”. Simple HTML (<b>, <i>, <br>, links) is allowed.",
    )
    venue_short = models.CharField(
        "short venue", max_length=50, blank=True, help_text="An abbreviation such as “ICLR”."
    )
    additional_info = models.TextField(
        "additional information",
        blank=True,
        help_text="Shown after the venue (al-folio's additional_info), Markdown.",
    )
    award_name = models.CharField(
        max_length=100, blank=True, help_text="A badge on the paper, e.g. “Best paper”."
    )
    award = models.TextField(
        "award details", blank=True, help_text="What the badge stands for, Markdown."
    )
    et_al = models.BooleanField(
        "more authors (et al.)",
        default=False,
        help_text="The list above is not complete: “et al.” follows the last author.",
    )
    authors_are_editors = models.BooleanField(
        "authors are editors",
        default=False,
        help_text="The people listed edited this book or collection (shown as “(eds.)”).",
    )
    citation_key = models.CharField(
        "BibTeX key",
        max_length=200,
        blank=True,
        db_index=True,
        help_text="The key of the entry this paper was imported from; a re-import of "
        "the same file finds the paper by it.",
    )
    local_files = models.JSONField(
        "files named by the BibTeX",
        default=dict,
        blank=True,
        editable=False,
        help_text="Local file names the imported entry gave (pdf, preview, slides, poster), "
        "so “Attach files to imported papers” can find this paper.",
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
    pdf = UnguessableFileField(
        "PDF file", upload_to="papers/", blank=True, validators=[validate_pdf]
    )
    pdf_url = models.URLField(
        "PDF link",
        max_length=500,
        blank=True,
        validators=[validate_web_url],
        help_text="Used when no PDF file is uploaded.",
    )
    doi = models.CharField("DOI", max_length=200, blank=True, db_index=True)
    legend = models.TextField(
        "author marks legend",
        blank=True,
        help_text="What this paper's author marks mean, one per line, e.g. “* Equal "
        "contribution” and “† Project lead” (Markdown). Marks not listed here take the "
        "site-wide meaning (Research → Author marks).",
    )
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
        # Undated papers (preprints, forthcoming) first, then newest first.
        ordering = [F("date").desc(nulls_first=True), "-created", "-pk"]
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
        return slug_url("research:publication", self.slug)

    @property
    def bibtex_url(self):
        return slug_url("research:bibtex", self.slug)

    def clean(self):
        super().clean()
        if self.date is None and not self.date_label.strip():
            raise ValidationError(
                {"date": "Give a date, or a label such as “Preprint” for an undated paper."}
            )
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
        base = slugify(self.title_text)[:100].strip("-") or "paper"
        return unique_slug(Publication, base, self, RESERVED_SLUGS)

    def guess_kind(self):
        return guess_kind(f"{self.venue} {self.venue_short}".strip(), bool(self.arxiv_id))

    @property
    def year_label(self):
        """What the archive groups this paper under: its year, or its label when undated."""
        return str(self.date.year) if self.date else self.date_label or "Undated"

    @property
    def sort_date(self):
        """The date feeds sort and stamp by: an undated paper counts from when it was added."""
        return self.date or self.created.date()

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    @staticmethod
    def can_see_drafts(user):
        """The view permission decides, not is_staff: a staff account may hold no rights."""
        return bool(user and user.is_active and user.has_perm("research.view_publication"))

    @property
    def link_list(self):
        """The extra links in order (LinkRows after for_archive())."""
        rows = getattr(self, "_link_rows", None)
        return rows if rows is not None else list(self.links.all())

    @property
    def authors(self):
        """Authorships in order (AuthorRows after with_authors(), else Authorships)."""
        rows = getattr(self, "_author_rows", None)
        return rows if rows is not None else self.authorships.all()

    def author_names(self, *, marks=False):
        """The authors' names in order, as plain text (with their marks when asked)."""
        return [a.name + (a.marks if marks else "") for a in self.authors]

    def set_authors(self, authors):
        """Make `authors` this paper's ordered authorships; True when anything changed.

        Each item is a Person or a (person, marks, name as printed) tuple. The
        one way papers get authors: the importers, the seed and the admin's
        tools all come here (or to set_authors_of(), its batched form). A
        person listed twice is a ValidationError.
        """
        return bool(Publication.set_authors_of([(self, authors)]))

    @staticmethod
    def authorship_values(authors):
        """(person pk, position, marks, name as printed) rows for set_authors(), checked.

        The ValidationError set_authors() would raise, without touching the
        database: an importer checks each paper inside its own savepoint, then
        writes many papers' authors at once with set_authors_of().
        """
        wanted, seen = [], set()
        for position, item in enumerate(authors):
            person, marks, printed = (item, "", "") if isinstance(item, Person) else item
            try:
                marks = order_marks(marks)
            except ValueError as error:
                raise ValidationError({"authors": str(error)}) from None
            if person.pk in seen:
                raise ValidationError({"authors": f"{person.name} is listed twice."})
            seen.add(person.pk)
            printed = "" if printed == person.name else (printed or "")
            wanted.append((person.pk, position, marks, printed))
        return wanted

    @classmethod
    def set_authors_of(cls, papers):
        """set_authors() for many papers at once; the papers whose authors changed.

        `papers` holds (paper, authors) pairs, authors as set_authors() takes
        them. Every list is checked before anything is written; then one query
        reads the current authorships of all the papers, one deletes those of
        the changed papers and one bulk_create writes their new ones, so an
        import of hundreds of papers costs three queries a batch, not three a
        paper. This is the only place authorships are written in bulk.
        """
        wanted = {}
        for paper, authors in papers:
            wanted[paper.pk] = (paper, cls.authorship_values(authors))
        current = defaultdict(list)
        rows = (
            Authorship.objects.filter(publication__in=list(wanted))
            .order_by("publication", "position", "pk")
            .values_list("publication_id", "person_id", "position", "marks", "printed_name")
        )
        for publication_id, *row in rows:
            current[publication_id].append(tuple(row))
        changed = [paper for pk, (paper, values) in wanted.items() if current[pk] != values]
        if not changed:
            return []
        had_authors = [paper.pk for paper in changed if current[paper.pk]]
        if had_authors:
            Authorship.objects.filter(publication__in=had_authors).delete()
        Authorship.objects.bulk_create(
            Authorship(publication_id=paper.pk, person_id=pk, position=pos, marks=m, printed_name=p)
            for paper in changed
            for pk, pos, m, p in wanted[paper.pk][1]
        )
        # bulk_create sends no signals: tell the page cache, and rename the
        # cached list entries of these papers (research/signals.py).
        mark_changed()
        Publication.objects.filter(pk__in=[paper.pk for paper in changed]).mark_shown_changed()
        for paper in changed:
            # Drop a stale prefetch so each instance shows its new authors.
            getattr(paper, "_prefetched_objects_cache", {}).pop("authorships", None)
            paper.__dict__.pop("_author_rows", None)
        return changed

    def visible_authors(self, limit):
        """(shown, hidden) authorships for a list limited to `limit` names.

        Past the limit, the first `limit` authors are shown and the owner
        always; the rest are hidden (al-folio's max_author_limit). No limit, or
        a list that fits, shows everyone.
        """
        authors = list(self.authors)
        if not limit or len(authors) <= limit:
            return authors, []
        shown = authors[:limit] + [a for a in authors[limit:] if a.is_owner]
        hidden = [a for a in authors[limit:] if not a.is_owner]
        if not hidden:
            return authors, []
        return shown, hidden

    @property
    def mark_uses(self):
        """{mark: this paper's own meaning of it, or ""} for each mark its authors carry."""
        marks = {m for a in self.authors for m in a.marks}
        own = self.legend_meanings if marks and self.legend else {}
        return {mark: own.get(mark, "") for mark in marks}

    @property
    def legend_meanings(self):
        """{mark: meaning} from this paper's own legend."""
        return parse_legend(self.legend)[0]

    @property
    def legend_notes(self):
        """Lines of the legend that explain no mark (e.g. “Work done at X”)."""
        return parse_legend(self.legend)[1]

    @property
    def tag_list(self):
        """The paper's tags in the order they were added (TagRows after with_tags())."""
        rows = getattr(self, "_tag_rows", None)
        if rows is not None:
            return rows
        return [item.tag for item in self.tagged_items.select_related("tag").order_by("pk")]

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
    def title_html(self):
        return render_title(self.title)

    @property
    def title_text(self):
        """The title as plain text (TeX math as Unicode): feeds, <title>, meta tags."""
        return math_to_text(self.title)

    @property
    def venue_html(self):
        return render_inline_html(self.venue)

    @property
    def venue_text(self):
        return inline_html_to_text(self.venue)

    @property
    def additional_info_html(self):
        return render_inline_markdown(self.additional_info)

    @property
    def award_html(self):
        return render_markdown(self.award)

    @property
    def tldr_html(self):
        return render_markdown(self.tldr)

    @property
    def abstract_html(self):
        return render_markdown(self.abstract)


def validate_marks(value):
    try:
        order_marks(value)
    except ValueError as error:
        raise ValidationError(str(error)) from None


# What marks mean until the owner says otherwise (Research → Author marks). Kept
# in code, not as rows, so a new installation holds no content of its own.
DEFAULT_MEANINGS = {"*": "equal contribution", "†": "corresponding author"}
# The last meanings read, with the content version of the marks they were read at.
_MEANINGS_CACHE = {}


class MarkMeaningQuerySet(models.QuerySet):
    def meanings(self):
        """{mark: meaning}: the defaults, overridden by the rows the owner saved."""
        return {**DEFAULT_MEANINGS, **dict(self.values_list("mark", "meaning"))}

    def meanings_for(self, request):
        """meanings_of(request), read when first needed."""
        return SimpleLazyObject(lambda: self.meanings_of(request))

    def meanings_of(self, request):
        """meanings() as of the request's version of the marks (pagecache.freshness).

        Read again only when a mark's meaning changed since, not on every edit:
        pages that already read the content versions for their validators pay
        no query for the footnote. Shared between requests: never change it.
        """
        return self.meanings_as_of(changed_of(request, MarkMeaning))

    def meanings_as_of(self, version):
        """meanings(), read again only when `version` (of the marks: changed_of()) moved."""
        if version is None:
            return self.meanings()
        cached = _MEANINGS_CACHE.get("at")
        if cached is None or cached[0] != version:
            cached = _MEANINGS_CACHE["at"] = (version, self.meanings())
        return cached[1]

    def footnote(self, papers, meanings=None):
        """A Footnote saying what the marks these papers' authors carry mean.

        A paper's own legend overrides the site-wide meaning of a mark. A mark
        every paper using it means alike is listed once in `marks`, in mark
        order; a mark nobody has explained is left out rather than printed with
        no meaning. Where the papers disagree about a mark (one's legend says
        † is the corresponding author, another's the project lead, or one
        explains it and another does not), a page-wide line could not say which
        paper means which: that mark leaves `marks`, and each paper that
        explains it gets its own line in `own`, printed under its entry.
        `meanings` (from meanings()) saves the query when many footnotes are
        made at once.
        """
        by_paper = {}  # paper pk -> {mark: meaning, "" when unexplained}
        site = meanings
        for paper in papers:
            # A paper, or a list entry that kept its paper's mark_uses (research/listing.py).
            uses = paper.mark_uses
            if not uses:
                continue
            if site is None and not all(uses.values()):
                site = self.meanings()
            by_paper[paper.pk] = {mark: own or site.get(mark, "") for mark, own in uses.items()}
        used = defaultdict(list)  # mark -> its different meanings on these papers
        seen = set()  # (mark, meaning) pairs already weighed: most papers repeat them
        for resolved in by_paper.values():
            for mark, meaning in resolved.items():
                if (mark, meaning) in seen:
                    continue
                seen.add((mark, meaning))
                if not any(same_meaning(meaning, known) for known in used[mark]):
                    used[mark].append(meaning)
        disputed = {mark for mark, found in used.items() if len(found) > 1}
        agreed = [
            (mark, _inline_markdown(used[mark][0]))
            for mark in MARKS
            if mark in used and mark not in disputed and used[mark][0]
        ]
        own = {}
        for pk, resolved in by_paper.items():
            lines = [
                (mark, _inline_markdown(resolved[mark]))
                for mark in MARKS
                if mark in disputed and resolved.get(mark)
            ]
            if lines:
                own[pk] = lines
        return Footnote(marks=agreed, own=own)


@dataclass
class Footnote:
    """What the author marks on one page mean (from MarkMeaning.objects.footnote())."""

    marks: list  # (mark, meaning as HTML) for the page's footnote, in mark order
    own: dict  # paper pk: (mark, meaning as HTML) lines shown under that paper's entry

    def for_paper(self, paper):
        return self.own.get(paper.pk, [])


def _inline_markdown(text):
    """One line of Markdown as inline HTML (sanitized), without the paragraph around it."""
    html = str(render_markdown(text)).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return mark_safe(html)  # noqa: S308 (render_markdown sanitized it)


class MarkMeaning(models.Model):
    """What a mark after an author's name means, site-wide (a paper's legend can override).

    Without a row, * means equal contribution and † corresponding author.
    """

    mark = models.CharField(
        max_length=1, unique=True, choices=[(m, m) for m in MARKS], help_text="The mark."
    )
    meaning = models.CharField(
        max_length=200,
        help_text="Shown in the footnote, e.g. “equal contribution” (Markdown allowed).",
    )

    objects = MarkMeaningQuerySet.as_manager()

    class Meta:
        verbose_name = "author mark"
        ordering = ["mark"]

    def __str__(self):
        return f"{self.mark} {self.meaning}"


class Authorship(models.Model):
    """One author of one paper, at a position, as printed on that paper."""

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="authorships"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="authorships")
    position = models.PositiveIntegerField(default=0, db_index=True)
    marks = models.CharField(
        max_length=len(MARKS),
        blank=True,
        validators=[validate_marks],
        help_text=f"Printed after the name, in order: any of {' '.join(MARKS)} "
        "(e.g. * for equal contribution, † for corresponding author).",
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

    def clean(self):
        super().clean()
        # An unreadable value is reported on the field by validate_marks.
        with contextlib.suppress(ValueError):
            self.marks = order_marks(self.marks)

    @property
    def name(self):
        return self.printed_name or self.person.name

    @property
    def is_owner(self):
        return self.person.is_owner


class PaperLink(models.Model):
    """One more labelled link of a paper (slides, video, poster, ...), in order."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="links")
    position = models.PositiveIntegerField(default=0, db_index=True)
    label = models.CharField(max_length=50, help_text="The link's text, e.g. “Slides”.")
    url = models.URLField("URL", max_length=500, blank=True, validators=[validate_web_url])
    file = models.FileField(
        upload_to="papers/",
        blank=True,
        validators=[validate_pdf],
        help_text="A PDF (slides, poster) served by this site, instead of a URL.",
    )

    # al-folio's link fields and the labels its buttons show.
    ALFOLIO_LABELS = {
        "arxiv": "arXiv",
        "html": "HTML",
        "pdf": "PDF",
        "supp": "Supp",
        "blog": "Blog",
        "code": "Code",
        "poster": "Poster",
        "slides": "Slides",
        "website": "Website",
        "video": "Video",
        "hal": "HAL",
        "adsurl": "ADS",  # the astronomers' abstract service, in every ADS export
        "howpublished": "Link",  # howpublished = {\url{...}}: a web page, not a venue
    }

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "link"

    def __str__(self):
        return f"{self.label}: {self.href}"

    def clean(self):
        super().clean()
        if not self.url and not self.file:
            raise ValidationError({"url": "Give a URL or upload a file."})

    @property
    def href(self):
        return self.file.url if self.file else self.url

    @classmethod
    def label_for(cls, field_name):
        """The label for a BibTeX field holding a link: al-folio's name, else the field's."""
        # slides_2: a second Slides link (bibtex_document writes repeats so).
        name = re.sub(r"_\d+$", "", field_name.lower())
        return cls.ALFOLIO_LABELS.get(name) or name.replace("_", " ").capitalize()[:50]

    @classmethod
    def bibtex_field(cls, label):
        """The BibTeX field a link is written to, so label_for() reads it back."""
        for name, known in cls.ALFOLIO_LABELS.items():
            if known.casefold() == label.casefold():
                return name
        return re.sub(r"\W+", "_", label.strip().lower()).strip("_") or "link"


class PreviousSlug(models.Model):
    """An address a paper used to have, kept so old links redirect."""

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="previous_slugs"
    )
    slug = models.SlugField(max_length=120, unique=True)

    def __str__(self):
        return self.slug
