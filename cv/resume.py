"""The CV as JSON Resume 1.0 (https://jsonresume.org/schema/), from cv.document.

Sections map onto the schema's lists: positions -> work, education ->
education, awards -> awards, service -> volunteer, skills -> skills,
languages -> languages, papers -> publications; grants, supervision, talks and
teaching, which the schema has no list for, go to projects with their kind as
"type". Free-text sections have no place in the schema and are left out.
Markdown becomes plain text.
"""

import re
from html import unescape

from django.urls import reverse
from django.utils.html import strip_tags

from core.links import absolute_url

from .models import CVSection

SCHEMA_URL = "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json"
Kind = CVSection.Kind
PROJECT_KINDS = {Kind.GRANTS, Kind.SUPERVISION, Kind.TALKS, Kind.TEACHING}


def _plain(html):
    """Sanitized HTML as plain text, paragraphs separated by blank lines."""
    text = re.sub(r"</(p|li|h\d|blockquote)>", "\n", str(html or ""))
    text = strip_tags(text)
    lines = [" ".join(line.split()) for line in unescape(text).splitlines()]
    return "\n".join(line for line in lines if line)


def _dates(item, start="startDate", end="endDate"):
    dates = {}
    if item.start:
        dates[start] = item.start
    if item.end and not item.ongoing:
        dates[end] = item.end
    return dates


def _clean(entry):
    """Leave out empty fields rather than writing empty strings."""
    return {key: value for key, value in entry.items() if value not in ("", None, [])}


def _entry(kind, item, root):
    summary = _plain(item.details_html)
    url = absolute_url(item.url, root)
    if kind == Kind.POSITIONS:
        return "work", {
            "name": item.organisation,
            "position": item.title,
            "location": item.location,
            "url": url,
            **_dates(item),
            "summary": summary,
        }
    if kind == Kind.EDUCATION:
        return "education", {
            "institution": item.organisation,
            "studyType": item.title,
            "location": item.location,
            "url": url,
            **_dates(item),
            "summary": summary,
        }
    if kind == Kind.AWARDS:
        return "awards", {
            "title": item.title,
            "awarder": item.organisation,
            **_dates(item, start="date", end="endDate"),
            "url": url,
            "summary": summary,
        }
    if kind == Kind.SERVICE:
        return "volunteer", {
            "organization": item.organisation,
            "position": item.title,
            "url": url,
            **_dates(item),
            "summary": summary,
        }
    if kind == Kind.SKILLS:
        keywords = [word.strip() for word in re.split(r"[,\n]", _plain(item.details_html))]
        return "skills", {
            "name": item.title,
            "level": item.organisation,
            "keywords": [word for word in keywords if word],
        }
    if kind == Kind.LANGUAGES:
        return "languages", {"language": item.title, "fluency": item.organisation}
    if kind == Kind.PAPERS:
        paper = item.paper
        return "publications", {
            "name": paper.title,
            "publisher": paper.venue,
            "releaseDate": paper.date.isoformat(),
            "url": absolute_url(paper.get_absolute_url(), root),
            "summary": _plain(paper.tldr_html) if paper.tldr else "",
        }
    if kind in PROJECT_KINDS:
        return "projects", {
            "name": item.title,
            "entity": item.organisation,
            "type": kind,
            **_dates(item),
            "url": url,
            "description": summary,
        }
    return None, None


def json_resume(cv, root=""):
    profile = cv.profile
    links = profile.visible_links()
    email = next(
        (link.href[len("mailto:") :] for link in links if link.href.startswith("mailto:")), ""
    )
    basics = {
        "name": profile.name,
        "label": profile.subtitle,
        "image": absolute_url(profile.photo.url, root) if profile.photo else "",
        "email": email,
        "url": root + "/" if root else "",
        "summary": _plain(profile.bio_html),
        "profiles": [
            {"network": link.label, "url": absolute_url(link.href, root)}
            for link in links
            if not link.href.startswith("mailto:") and link.kind != link.Kind.CV
        ],
    }
    resume = {"$schema": SCHEMA_URL, "basics": _clean(basics)}
    for section in cv.sections:
        for item in section.items:
            key, entry = _entry(section.kind, item, root)
            if key:
                resume.setdefault(key, []).append(_clean(entry))
    resume["meta"] = {"version": "v1.0.0"}
    if root:
        resume["meta"]["canonical"] = root + reverse("cv:json")
    return resume
