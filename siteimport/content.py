"""Writers for the content types that come from other apps (CV now; news, pages,
talks and teaching when their apps are installed): each matches what is already
stored, so importing again changes nothing.
"""

import re

from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.text import slugify

from core.menu import PAGE_PREFIX

from .text import plain_text

# A CV section's kind from its heading (al-folio, RenderCV and JSON Resume headings).
_CV_KINDS = [
    (r"educat|degree|study", "education"),
    (r"experience|position|employ|work|career|appointment", "positions"),
    (r"award|honou?r|prize|fellowship|scholarship", "awards"),
    (r"grant|funding", "grants"),
    (r"service|review|committee|volunteer", "service"),
    (r"supervis|mentor|student", "supervision"),
    (r"skill", "skills"),
    (r"language", "languages"),
]
_PARTIAL_DATE = re.compile(r"^[12]\d{3}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
_ONGOING = {"now", "present", "current", "today", "ongoing"}


def _cv_kind(title, section):
    for pattern, kind in _CV_KINDS:
        if re.search(pattern, title, re.I):
            return kind
    dated = any(e.start or e.organisation for e in section.entries)
    return "positions" if dated else "text"


def _partial_date(value):
    """A CV date as the CV app stores it (2019, 2019-09, 2019-09-30), else None."""
    value = plain_text(value).strip()
    if _PARTIAL_DATE.match(value):
        return value
    match = re.match(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$", value)
    if match:
        year, month, day = match.groups()
        return f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if day else "")
    return None


_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]+)[^)]*\)")


def _plain(markdown_text):
    """A one-line Markdown value as the plain text a CV title shows, and its first link."""
    match = _LINK.search(markdown_text or "")
    url = match[2] if match else ""
    text = _LINK.sub(r"\1", markdown_text or "")
    text = re.sub(r"(\*\*|__|\*|`)", "", text).replace("\\", "")
    return " ".join(text.split()), url


class CVWriter:
    def __init__(self, writer):
        self.writer = writer
        self.report = writer.report
        self.CVSection = apps.get_model("cv", "CVSection")
        self.CVEntry = apps.get_model("cv", "CVEntry")

    def run(self, sections):
        existing = {s.heading.casefold(): s for s in self.CVSection.objects.all()}
        position = max((s.position for s in existing.values()), default=-1) + 1
        for data in sections:
            kind = _cv_kind(data.title, data)
            text = data.text
            entries = data.entries
            if kind == "text":
                # Free sections (lists, "name: value" maps) are one Markdown text.
                parts = [text] if text else []
                for entry in entries:
                    head = f"**{entry.title}**" if entry.title else ""
                    if head and entry.details:
                        block = "\n" in entry.details or entry.details.startswith("* ")
                        parts.append(
                            f"{head}\n\n{entry.details}" if block else f"{head}: {entry.details}"
                        )
                    else:
                        parts.append(head or entry.details)
                text, entries = "\n\n".join(p for p in parts if p), []
            section = existing.get(data.title.casefold())
            if section is None:
                section = self.CVSection(
                    kind=kind, title=data.title[:200], body=text, position=position
                )
                self._save(section, data.source)
                existing[data.title.casefold()] = section
                position += 1
                self.report.count("CV sections", "created")
            elif kind == "text" and section.body != text and not section.body:
                section.body = text
                self._save(section, data.source)
                self.report.count("CV sections", "updated")
            else:
                self.report.count("CV sections", "unchanged")
            self._entries(section, entries, data.source)

    def _entries(self, section, entries, source):
        stored = list(section.entries.all())
        keys = {(e.title.casefold(), e.organisation.casefold(), e.start) for e in stored}
        position = max((e.position for e in stored), default=-1) + 1
        for data in entries:
            values = self._values(data, source)
            if values is None:
                continue
            key = (values["title"].casefold(), values["organisation"].casefold(), values["start"])
            if key in keys:
                self.report.count("CV entries", "unchanged")
                continue
            entry = self.CVEntry(section=section, position=position, **values)
            if self._save(entry, source):
                keys.add(key)
                position += 1
                self.report.count("CV entries", "created")

    def _values(self, data, source):
        title, title_url = _plain(data.title or data.organisation)
        organisation, _ = _plain(data.organisation if data.title else "")
        if not title:
            self.report.note(source, "a CV entry with no title: left out")
            return None
        details = [data.details] if data.details else []
        start, end, ongoing = _partial_date(data.start), _partial_date(data.end), False
        if data.end and plain_text(data.end).lower() in _ONGOING:
            end, ongoing = "", True
        if (data.start and start is None) or (data.end and end is None and not ongoing):
            # Dates the CV cannot sort ("Sept 2020", "14th March 1879") stay as text.
            when = " – ".join(p for p in (data.start, data.end) if p)
            details.insert(0, f"*{when}*")
            start, end = start if data.start and start else "", ""
            if not start:
                ongoing = False
        if end and not start:
            start, end = end, ""
        url = data.url or title_url
        url = url if url.startswith(("http://", "https://")) else ""
        return {
            "title": title[:300],
            "organisation": organisation[:300],
            "location": data.location[:200],
            "start": start or "",
            "end": end or "",
            "ongoing": ongoing,
            "url": url,
            "details": "\n\n".join(details),
        }

    def _save(self, instance, source):
        try:
            instance.full_clean(exclude=["section"] if hasattr(instance, "section_id") else None)
        except ValidationError as error:
            self.report.note(source, f"“{instance}”: {'; '.join(error.messages)}: left out")
            return False
        instance.save()
        return True


def _clean_and_save(report, instance, source, exclude=None):
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        report.note(source, f"“{instance}”: {'; '.join(error.messages)}: left out")
        return False
    instance.save()
    return True


def _update(report, kind, instance, values, source, *, skip_empty=False):
    """Set the fields whose imported value differs (empty ones left alone with
    skip_empty), save, and count the item as updated or unchanged."""
    changed = [k for k, v in values.items() if (v or not skip_empty) and getattr(instance, k) != v]
    if not changed:
        report.count(kind, "unchanged")
        return
    for key in changed:
        setattr(instance, key, values[key])
    if _clean_and_save(report, instance, source):
        report.count(kind, "updated")


def _web(url):
    return url if (url or "").startswith(("http://", "https://")) else ""


def write_news(report, items):
    NewsItem = apps.get_model("news", "NewsItem")
    reserved = {"feed"}  # news.models.RESERVED_SLUGS: /news/feed/ is the feed
    for data in sorted(items, key=lambda n: n.date):  # oldest first: same-day items keep order
        slug = slugify(data.slug)[:120]
        if slug in reserved:
            slug = ""
        item = NewsItem.objects.filter(slug=slug).first() if slug else None
        if item is None:
            item = NewsItem.objects.filter(date=data.date, text=data.text).first()
        values = {
            "date": data.date,
            "text": data.text,
            "title": data.title[:200],
            "body": data.body,
        }
        if item is None:
            if slug and NewsItem.objects.filter(slug=slug).exists():
                slug = ""
            item = NewsItem(slug=slug, **values)
            if _clean_and_save(report, item, data.source, exclude=["slug"]):
                report.count("news", "created")
            continue
        _update(report, "news", item, values, data.source)


def write_pages(report, pages):
    Page = apps.get_model("pages", "Page")
    for data in pages:
        slug = slugify(data.slug)[:100]
        page = Page.objects.filter(slug=slug).first() if slug else None
        values = {"title": data.title[:200], "body": data.body}
        if page is None:
            page = Page(slug=slug, show_in_menu=data.in_menu, **values)
            if slug and page._slug_is_taken_by_the_site(slug):
                report.note(
                    data.source, f"/{slug}/ is an address of this site: the page gets another"
                )
                page.slug = ""
            if _clean_and_save(report, page, data.source, exclude=["slug"]):
                report.count("pages", "created")
            continue
        _update(report, "pages", page, values, data.source)


def menu_keys():
    """The menu's entries before the import: the owner may have arranged them."""
    if not apps.is_installed("pages"):
        return set()
    return set(apps.get_model("pages", "MenuItem").objects.values_list("key", flat=True))


def arrange_menu(report, menu, before):
    """The old site's menu order for what this import added to the menu (MenuItem.arrange)."""
    Page, MenuItem = apps.get_model("pages", "Page"), apps.get_model("pages", "MenuItem")
    pages = dict(
        Page.objects.filter(
            slug__in=[slugify(slug)[:100] for kind, slug in menu if kind == "page"],
            show_in_menu=True,
        ).values_list("slug", "pk")
    )
    keys = []
    for kind, name in menu:
        if kind == "section":
            keys.append(name)
        elif slugify(name)[:100] in pages:
            keys.append(f"{PAGE_PREFIX}{pages[slugify(name)[:100]]}")
    moved = MenuItem.objects.arrange(keys, keep=before)
    if moved:
        report.count("menu entries", "updated", moved)
    else:
        report.count("menu entries", "unchanged", len(keys))


_TALK_KINDS = [
    (r"poster", "poster"),
    (r"keynote|plenary", "keynote"),
    (r"lecture|tutorial|course|seminar series", "lecture"),
    (r"contributed|conference|oral|spotlight|proceedings", "contributed"),
]


def _talk_kind(text):
    for pattern, kind in _TALK_KINDS:
        if re.search(pattern, text or "", re.I):
            return kind
    return "invited"


def _with_links(text, links):
    """The talk's text, ending with the links Talk has no field for (a flyer, the code)."""
    line = " · ".join(f"[{label}]({url})" for label, url in links)
    return "\n\n".join(part for part in (text, line) if part)


def write_talks(report, talks):
    Talk = apps.get_model("talks", "Talk")
    for data in talks:
        if data.date is None:
            report.note(data.source, f"the talk “{data.title}” has no date: left out")
            continue
        event = data.event or data.location
        if not event:
            report.note(data.source, f"the talk “{data.title}” names no event: left out")
            continue
        values = {
            "title": data.title[:300],
            "event": event[:300],
            "location": data.location[:200],
            "date": data.date,
            "kind": _talk_kind(data.kind),
            "abstract": _with_links(data.description, data.links),
            "slides_url": _web(data.slides_url),
            "video_url": _web(data.video_url),
            "event_url": _web(data.url),
        }
        talk = next(
            (
                t
                for t in Talk.objects.filter(date=data.date)
                if t.title.casefold() == data.title.casefold()
            ),
            None,
        )
        if talk is None:
            if _clean_and_save(report, Talk(**values), data.source):
                report.count("talks", "created")
            continue
        _update(report, "talks", talk, values, data.source, skip_empty=True)


def _role(text):
    text = text or ""
    if re.search(r"\bTA\b|assistant|tutor", text, re.I):
        return "ta"
    if re.search(r"guest", text, re.I):
        return "guest"
    return "instructor"


def write_teaching(report, courses):
    Course = apps.get_model("teaching", "Course")
    for data in courses:
        year = data.date.year if data.date else None
        if year is None:
            match = re.search(r"(19|20)\d{2}", data.term)
            year = int(match[0]) if match else None
        if year is None:
            report.note(data.source, f"“{data.course}” has no year: left out")
            continue
        values = {
            "course": data.course[:300],
            "role": _role(data.role),
            "institution": data.institution[:300],
            "term": (data.term or str(year))[:100],
            "year": year,
            "description": data.description,
        }
        course = next(
            (
                c
                for c in Course.objects.filter(year=year)
                if c.course.casefold() == data.course.casefold()
            ),
            None,
        )
        if course is None:
            if _clean_and_save(report, Course(**values), data.source):
                report.count("teaching", "created")
            continue
        _update(report, "teaching", course, values, data.source, skip_empty=True)


def write_home_sections(report, profile, data, has_news):
    """al-folio's about-page switches (news, selected_papers) as the homepage's sections."""
    HomeSection = apps.get_model("profile", "HomeSection")
    wanted = {}
    if data.show_news is not None:
        wanted[HomeSection.Key.NEWS] = bool(data.show_news and has_news)
    if data.show_selected_papers is not None:
        wanted[HomeSection.Key.HIGHLIGHTED_RESEARCH] = data.show_selected_papers
    if not wanted:
        return
    HomeSection.objects.add_missing(profile)
    for key, visible in wanted.items():
        section = HomeSection.objects.get(profile=profile, key=key)
        values = {"visible": visible}
        if key == HomeSection.Key.NEWS and data.news_limit:
            values["items"] = data.news_limit
        changed = [k for k, v in values.items() if getattr(section, k) != v]
        for name in changed:
            setattr(section, name, values[name])
        if changed:
            section.save()
        report.count("homepage sections", "updated" if changed else "unchanged")
