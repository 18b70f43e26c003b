"""A CV filled from al-folio's own demo resume (tests/data/cv/alfolio-resume.json)."""

import json
from pathlib import Path

import pytest

from cv.models import CVEntry, CVSection

RESUME = Path(__file__).parent.parent / "data" / "cv" / "alfolio-resume.json"
Kind = CVSection.Kind


def _year_month(value):
    # al-folio writes 1933-01-01 for "1933": keep what a reader would.
    return value[:4] if value.endswith("-01-01") else value


def load_alfolio_cv():
    """Sections and entries from al-folio's resume.json, in its order, plus papers."""
    resume = json.loads(RESUME.read_text(encoding="utf-8"))
    sections = []

    def section(kind, position, **fields):
        row = CVSection.objects.create(kind=kind, position=position, **fields)
        sections.append(row)
        return row

    work = section(Kind.POSITIONS, 1)
    for n, job in enumerate(resume["work"]):
        CVEntry.objects.create(
            section=work,
            position=n,
            title=job["position"],
            organisation=job["name"],
            url=job["url"],
            start=_year_month(job["startDate"]),
            end=_year_month(job["endDate"]),
            details=job["summary"] + "\n\n" + "\n".join(f"- {h}" for h in job["highlights"]),
        )
    education = section(Kind.EDUCATION, 2)
    for n, school in enumerate(resume["education"]):
        CVEntry.objects.create(
            section=education,
            position=n,
            title=school["studyType"],
            organisation=school["institution"],
            location=school["location"],
            url=school["url"],
            start=_year_month(school["startDate"]),
            end=_year_month(school["endDate"]),
        )
    awards = section(Kind.AWARDS, 3)
    for n, award in enumerate(resume["awards"]):
        CVEntry.objects.create(
            section=awards,
            position=n,
            title=award["title"],
            organisation=award["awarder"],
            url=award["url"],
            start=award["date"][:7],
            details=award["summary"],
        )
    service = section(Kind.SERVICE, 4)
    for n, job in enumerate(resume["volunteer"]):
        CVEntry.objects.create(
            section=service,
            position=n,
            title=job["position"],
            organisation=job["organization"],
            location=job["location"],
            url=job["url"],
            start=job["startDate"][:7],
            end=job["endDate"][:7],
            details=job["summary"],
        )
    skills = section(Kind.SKILLS, 5)
    for n, skill in enumerate(resume["skills"]):
        CVEntry.objects.create(
            section=skills,
            position=n,
            title=skill["name"],
            organisation=skill["level"],
            details=", ".join(skill["keywords"]),
        )
    languages = section(Kind.LANGUAGES, 6)
    for n, language in enumerate(resume["languages"]):
        CVEntry.objects.create(
            section=languages,
            position=n,
            title=language["language"],
            organisation=language["fluency"],
        )
    section(Kind.PAPERS, 7, papers=CVSection.Papers.HIGHLIGHTED)
    return resume, sections


@pytest.fixture
def alfolio_cv(seeded):
    return load_alfolio_cv()
