"""CV data files as CV sections: al-folio's _data/cv.yml (its own list format and the
newer RenderCV form) and JSON Resume (assets/json/resume.json, Hugo Blox too).
"""

from ..data import CVEntry, CVSection
from ..text import as_text, inline_markdown

# JSON Resume sections, in the schema's order, with the titles CVs use.
JSON_RESUME_SECTIONS = {
    "work": "Experience",
    "volunteer": "Volunteering",
    "education": "Education",
    "awards": "Awards",
    "certificates": "Certificates",
    "projects": "Projects",
    "skills": "Skills",
    "languages": "Languages",
    "interests": "Interests",
    "references": "References",
}
# Publications come from the papers, never typed twice.
SKIPPED_SECTIONS = {"publications": "papers are listed from your publications"}


def _bullets(items):
    lines = []
    for item in items or []:
        if isinstance(item, dict):
            title = inline_markdown(item.get("title", ""))
            if title:
                lines.append(f"* {title}")
            for sub in item.get("contents") or item.get("items") or []:
                lines.append(f"    * {inline_markdown(as_text(sub))}")
        elif item not in (None, ""):
            lines.append(f"* {inline_markdown(as_text(item))}")
    return "\n".join(lines)


def _details(value):
    if isinstance(value, list):
        return _bullets(value)
    return inline_markdown(as_text(value))


def _years(text):
    """ "1933 - 1955" -> ("1933", "1955"); "2015-now" -> ("2015", "now")."""
    text = as_text(text)
    for separator in (" - ", " – ", "–", " to ", "-"):
        if separator in text:
            start, _, end = text.partition(separator)
            return start.strip(), end.strip()
    return text, ""


def _entry(raw):
    """One entry of any of the formats: the usual keys of RenderCV, JSON Resume and al-folio."""
    if not isinstance(raw, dict):
        return CVEntry(title=inline_markdown(as_text(raw)))
    degree = " ".join(
        as_text(raw.get(k)) for k in ("studyType", "degree", "area") if raw.get(k)
    ).strip()
    title = (
        as_text(raw.get("position"))
        or as_text(raw.get("title"))
        or degree
        or as_text(raw.get("name"))
        or as_text(raw.get("language"))
        or as_text(raw.get("label"))
    )
    organisation = first_text(
        raw, "company", "institution", "awarder", "organization", "issuer", "publisher"
    )
    if title == organisation:
        organisation = ""
    start = first_text(raw, "start_date", "startDate", "date", "releaseDate")
    end = first_text(raw, "end_date", "endDate")
    if not start and raw.get("year") is not None:
        start, end = _years(raw.get("year"))
    parts = []
    for key in ("summary", "description", "value", "reference"):
        if raw.get(key):
            parts.append(_details(raw[key]))
    for key in ("highlights", "items", "courses", "keywords"):
        if raw.get(key):
            value = raw[key]
            parts.append(
                _bullets(value) if isinstance(value, list) else inline_markdown(as_text(value))
            )
    for key in ("fluency", "level"):
        if raw.get(key) and raw.get("name", raw.get("language")):
            parts.append(as_text(raw[key]))
    return CVEntry(
        title=inline_markdown(title),
        organisation=inline_markdown(organisation),
        location=as_text(raw.get("location")),
        start=start,
        end=end,
        url=as_text(raw.get("url")),
        details="\n\n".join(p for p in parts if p),
    )


def first_text(raw, *keys):
    for key in keys:
        if raw.get(key) not in (None, ""):
            return as_text(raw[key])
    return ""


def alfolio_cv(data, name, report):
    """_data/cv.yml in either of al-folio's forms."""
    if isinstance(data, dict) and isinstance(data.get("cv"), dict):
        return _rendercv(data["cv"], name, report)
    if not isinstance(data, list):
        report.note(name, "not a list of CV sections: not read")
        return []
    sections = []
    for raw in data:
        if not isinstance(raw, dict) or not raw.get("title"):
            continue
        title, kind = as_text(raw["title"]), as_text(raw.get("type"))
        contents = raw.get("contents") or []
        section = CVSection(source=name, title=title)
        if kind == "list":
            section.text = _bullets(contents)
        elif kind == "map":
            section.entries = [
                CVEntry(
                    title=inline_markdown(as_text(c.get("name"))), details=_details(c.get("value"))
                )
                for c in contents
                if isinstance(c, dict)
            ]
        elif kind == "nested_list":
            section.entries = [
                CVEntry(
                    title=inline_markdown(as_text(c.get("title"))), details=_bullets(c.get("items"))
                )
                for c in contents
                if isinstance(c, dict)
            ]
        else:  # time_table, and anything else shaped like it
            for c in contents:
                if isinstance(c, dict) and c.get("items") and not c.get("title"):
                    # Honours: one year, several items.
                    start, end = _years(c.get("year"))
                    section.entries += [
                        CVEntry(title=inline_markdown(as_text(i)), start=start, end=end)
                        for i in c["items"]
                    ]
                else:
                    section.entries.append(_entry(c))
        sections.append(section)
    return sections


def _rendercv(cv, name, report):
    sections = []
    for title, entries in (cv.get("sections") or {}).items():
        section = CVSection(source=name, title=as_text(title).replace("_", " "))
        if isinstance(entries, list) and all(isinstance(e, str) for e in entries):
            section.text = _bullets(entries)
        elif isinstance(entries, list):
            section.entries = [_entry(e) for e in entries]
        sections.append(section)
    return sections


def json_resume(data, name, report):
    if not isinstance(data, dict):
        report.note(name, "not a JSON Resume object: not read")
        return []
    sections = []
    for key, title in JSON_RESUME_SECTIONS.items():
        entries = data.get(key)
        if isinstance(entries, list) and entries:
            sections.append(
                CVSection(source=name, title=title, entries=[_entry(e) for e in entries])
            )
    for key, why in SKIPPED_SECTIONS.items():
        if data.get(key):
            report.note(name, f"“{key}” not read: {why}")
    return sections
