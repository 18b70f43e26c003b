"""News items: a date and a short Markdown text, optionally with a page of their own."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.text import Truncator, slugify
from markdownx.models import MarkdownxField

from core.markup import render_markdown
from research.metadata import plain_text

# Addresses under /news/ that are not items.
RESERVED_SLUGS = {"feed"}


class Status(models.TextChoices):
    DRAFT = "draft", "Draft (hidden)"
    PUBLISHED = "published", "Published"


class NewsItemQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)


class NewsItem(models.Model):
    date = models.DateField(default=datetime.date.today)
    text = MarkdownxField(
        help_text="One or two sentences, Markdown: what the homepage and /news/ show."
    )
    title = models.CharField(
        max_length=200,
        blank=True,
        help_text="Give the item a title to give it a page of its own (like al-folio's "
        "non-inline news); leave empty for a one-line item.",
    )
    body = MarkdownxField(blank=True, help_text="Markdown: the item's own page, under the title.")
    slug = models.SlugField(
        max_length=120,
        unique=True,
        blank=True,
        help_text="The item's address under /news/; filled in when left empty.",
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PUBLISHED, db_index=True
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = NewsItemQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-created", "-pk"]
        verbose_name = "news item"
        indexes = [models.Index(fields=["status", "-date"], name="news_listing")]

    def __str__(self):
        return self.title or Truncator(self.text).chars(60)

    def save(self, *args, **kwargs):
        if not self.slug:
            base = slugify(self.title)[:100].strip("-") or f"{self.date:%Y-%m-%d}"
            slug, n = base, 2
            while slug in RESERVED_SLUGS or NewsItem.objects.filter(slug=slug).exists():
                slug, n = f"{base}-{n}", n + 1
            self.slug = slug
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        if self.has_page:
            return reverse("news:detail", kwargs={"slug": self.slug})
        return f"{reverse('news:index')}#{self.anchor}"

    @property
    def is_published(self):
        return self.status == Status.PUBLISHED

    @property
    def has_page(self):
        return bool(self.title)

    @property
    def headline(self):
        """The title, or the whole short text as plain text (feed titles)."""
        return self.title or plain_text(self.text)

    @property
    def anchor(self):
        return f"news-{self.slug}"

    @property
    def text_html(self):
        return render_markdown(self.text)

    @property
    def body_html(self):
        return render_markdown(self.body)

    def clean(self):
        super().clean()
        if self.slug in RESERVED_SLUGS:
            raise ValidationError({"slug": f"“{self.slug}” is used by the feeds; choose another."})
