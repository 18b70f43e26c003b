"""Free pages (Markdown, at /<slug>/) and the order of the site menu."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Max, Q
from django.urls import Resolver404, resolve, reverse
from django.utils.text import slugify
from markdownx.models import MarkdownxField

from core.markup import render_markdown
from core.menu import PAGE_PREFIX, MenuLink, entries_with_content, registered_entries


class Status(models.TextChoices):
    DRAFT = "draft", "Draft (hidden)"
    PUBLISHED = "published", "Published"


class PageQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def in_menu(self):
        return self.filter(show_in_menu=True)


def _reserved_prefixes():
    return {
        p.strip("/").split("/")[0]
        for p in (settings.STATIC_URL, settings.MEDIA_URL, "admin", "markdownx", "healthz")
    }


class Page(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=100,
        unique=True,
        blank=True,
        help_text="The page's address: /slug/. Filled from the title when left empty.",
    )
    body = MarkdownxField(blank=True, help_text="Markdown, with a live preview.")
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PUBLISHED, db_index=True
    )
    show_in_menu = models.BooleanField(
        "show in the menu",
        default=True,
        help_text="List this page in the site menu (order it under Pages and menu → Menu).",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            base = slugify(self.title)[:90].strip("-") or "page"
            slug, n = base, 2
            while (
                self._slug_is_taken_by_the_site(slug)
                or Page.objects.filter(slug=slug).exclude(pk=self.pk).exists()
            ):
                slug, n = f"{base}-{n}", n + 1
            self.slug = slug
        super().save(*args, **kwargs)
        key = f"{PAGE_PREFIX}{self.pk}"
        if self.show_in_menu and not MenuItem.objects.filter(key=key).exists():
            # The sections get their places first, so a new page goes after them.
            MenuItem.objects.sync()
            MenuItem.objects.place(key, page_id=self.pk)

    def get_absolute_url(self):
        return reverse("pages:detail", kwargs={"slug": self.slug})

    @property
    def is_published(self):
        return self.status == Status.PUBLISHED

    @property
    def body_html(self):
        return render_markdown(self.body)

    def _slug_is_taken_by_the_site(self, slug):
        if slug in _reserved_prefixes():
            return True
        try:
            match = resolve(f"/{slug}/")
        except Resolver404:
            return False
        return match.view_name != "pages:detail"

    def clean(self):
        super().clean()
        if self.slug and self._slug_is_taken_by_the_site(self.slug):
            raise ValidationError(
                {"slug": f"“/{self.slug}/” is another page of the site; choose another address."}
            )


def arranged_links(entries, items, with_content, only_shown=True):
    """ordered_links() from what it reads: the registered entries ({key: MenuEntry}), the
    menu rows with their pages, and the keys of the entries that have content."""
    placed = {item.key: item for item in items}
    rows = []
    for default_index, entry in enumerate(entries.values()):
        item = placed.get(entry.key)
        shown = (item is None or item.visible) and entry.key in with_content
        label = item.label if item is not None and item.label else entry.label
        order = (0, item.position, 0) if item is not None else (1, default_index, 0)
        rows.append((order, MenuLink(entry.key, label, entry.url_name), item, shown))
    for item in items:
        page = item.page
        if page is None or not page.show_in_menu or page.status != Status.PUBLISHED:
            continue
        link = MenuLink(item.key, item.label or page.title, "pages:detail", (("slug", page.slug),))
        rows.append(((0, item.position, item.pk), link, item, item.visible))
    rows.sort(key=lambda row: row[0])
    return [(link, item, shown) for _, link, item, shown in rows if shown or not only_shown]


class MenuItemQuerySet(models.QuerySet):
    def place(self, key, page_id=None):
        """The item for key, created at the end of the menu when missing."""
        item = self.filter(key=key).first()
        if item is None:
            last = self.aggregate(last=Max("position"))["last"]
            item = self.create(key=key, page_id=page_id, position=(last or 0) + 1)
        return item

    def ordered_links(self, *, only_shown=True):
        """[(MenuLink, MenuItem or None, is_shown)] in the owner's order.

        Pages come from their menu rows (a page shown in the menu always has one),
        so the whole menu is two queries.
        """
        entries = registered_entries()
        items = list(self.select_related("page"))
        return arranged_links(entries, items, entries_with_content(entries.values()), only_shown)

    def arrange(self, keys, *, keep=()):
        """Put the entries `keys` in that order, moving only the ones not in `keep`.

        An import passes the old site's menu order and the keys the menu had before
        it: those the owner may have arranged keep their places, and each other one
        goes right after the nearest entry before it in `keys` (else right before the
        nearest one after it). So a second import moves nothing. Returns how many
        entries moved.
        """
        self.sync()
        order = [link.key for link, _, _ in self.ordered_links(only_shown=False)]
        moving = {key for key in keys if key in order and key not in keep}
        if not moving:
            return 0
        arranged = [key for key in order if key not in moving]
        # With nothing to go by, the new entries go where the first of them already is.
        start = min(order.index(key) for key in moving)
        fallback = len([key for key in order[:start] if key not in moving])
        for index, key in enumerate(keys):
            if key not in moving:
                continue
            before = next((k for k in reversed(keys[:index]) if k in arranged), None)
            after = next((k for k in keys[index + 1 :] if k in arranged), None)
            if before is not None:
                arranged.insert(arranged.index(before) + 1, key)
            elif after is not None:
                arranged.insert(arranged.index(after), key)
            else:
                arranged.insert(fallback, key)
        items = {item.key: item for item in self.filter(key__in=arranged)}
        moved = 0
        for position, key in enumerate(arranged, start=1):
            item = items[key]
            if item.position != position:
                item.position = position
                item.save(update_fields=["position", "updated"])
                moved += key in moving
        return moved

    def sync(self):
        """A row for every section apps offer, so the owner can order them all.

        New rows go after the placed ones, in the order the menu already shows them.
        """
        for link, item, _ in self.ordered_links(only_shown=False):
            if item is None:
                self.place(link.key)


class MenuItem(models.Model):
    """One entry of the site menu and its place; a page's row goes with the page."""

    key = models.CharField(max_length=120, unique=True, editable=False)
    page = models.OneToOneField(
        Page, null=True, blank=True, on_delete=models.CASCADE, editable=False
    )
    label = models.CharField(
        max_length=100, blank=True, help_text="Leave empty for the usual name."
    )
    visible = models.BooleanField("shown", default=True)
    position = models.PositiveIntegerField(default=0, db_index=True)
    updated = models.DateTimeField(auto_now=True)

    objects = MenuItemQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "menu entry"
        verbose_name_plural = "menu"
        constraints = [
            models.CheckConstraint(
                condition=Q(page__isnull=True) | Q(key__startswith=PAGE_PREFIX),
                name="menu_item_page_key",
            )
        ]

    def __str__(self):
        if self.label:
            return self.label
        if self.page_id:
            return self.page.title
        entry = registered_entries().get(self.key)
        return str(entry.label) if entry else self.key
