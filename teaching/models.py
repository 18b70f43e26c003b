"""Teaching: the courses the owner taught, in which role, where and when."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Prefetch
from markdownx.models import MarkdownxField

from core.markup import render_markdown
from core.validators import validate_web_url


class Status(models.TextChoices):
    DRAFT = "draft", "Draft (hidden)"
    PUBLISHED = "published", "Published"


class CourseQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def for_listing(self):
        """Each course with its links in order, in one extra query."""
        return self.prefetch_related(
            Prefetch("links", queryset=CourseLink.objects.order_by("position", "pk"))
        )


class Course(models.Model):
    class Role(models.TextChoices):
        INSTRUCTOR = "instructor", "Instructor"
        TA = "ta", "Teaching assistant"
        GUEST = "guest", "Guest lecturer"

    course = models.CharField(max_length=300, help_text="e.g. “CS 229: Machine Learning”.")
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.INSTRUCTOR)
    institution = models.CharField(max_length=300, blank=True)
    term = models.CharField(
        "term or years", max_length=100, help_text="As it should read: “Fall 2023”, “2019–2022”."
    )
    year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1900), MaxValueValidator(2200)],
        help_text="The last year you taught it: courses are listed newest first.",
    )
    description = MarkdownxField(blank=True, help_text="Markdown (optional).")
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PUBLISHED, db_index=True
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "course", "pk"]
        verbose_name = "course"
        verbose_name_plural = "teaching"

    def __str__(self):
        return f"{self.course} ({self.term})"

    @property
    def anchor(self):
        return f"course-{self.pk}"

    @property
    def description_html(self):
        return render_markdown(self.description)


class CourseLink(models.Model):
    """A link of a course (its page, syllabus, materials, recordings), in order."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="links")
    label = models.CharField(max_length=100, help_text="e.g. “Course page”, “Syllabus”.")
    url = models.URLField("URL", max_length=500, validators=[validate_web_url])
    position = models.PositiveIntegerField(default=0, db_index=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.label
