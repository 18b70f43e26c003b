"""Content of every new type for tests: published items and one draft of each.

The news items are al-folio's own `_news/` examples (tests/data/alfolio_news/).
"""

import datetime
from pathlib import Path

from news.models import NewsItem
from pages.models import Page
from research.models import Publication
from talks.models import Talk
from teaching.models import Course, CourseLink

TODAY = datetime.date.today()
ALFOLIO_NEWS = Path(__file__).parent / "data" / "alfolio_news"


def alfolio_news():
    """al-folio's news files as NewsItems (front matter: date, title, inline)."""
    items = []
    for path in sorted(ALFOLIO_NEWS.glob("announcement_*.md")):
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        meta = dict(line.split(": ", 1) for line in front.splitlines() if ": " in line)
        date = datetime.date.fromisoformat(meta["date"][:10])
        if meta.get("inline") == "true":
            items.append(NewsItem.objects.create(date=date, text=body.strip()))
        else:
            summary, _, rest = body.strip().partition("\n\n")
            items.append(
                NewsItem.objects.create(
                    date=date, title=meta["title"], text=summary, body=rest.strip()
                )
            )
    return items


def add_content():
    """One published item of each type (and one draft of each), on top of the seed."""
    paper = Publication.objects.get(slug="reversal-curse")
    items = {
        "page": Page.objects.create(
            title="Projects",
            body="A growing collection of your cool projects.\n\n## Work\n\nSome **bold** text.",
        ),
        "talk": Talk.objects.create(
            title="Out-of-context reasoning in LLMs",
            event="Conference on Neural Information Processing Systems",
            location="New Orleans, USA",
            date=datetime.date(2023, 12, 12),
            kind=Talk.Kind.CONTRIBUTED,
            slides_url="https://example.org/slides.pdf",
            publication=paper,
        ),
        "course": Course.objects.create(
            course="Introduction to Machine Learning",
            role=Course.Role.TA,
            institution="University of Tartu",
            term="Spring 2021",
            year=2021,
            description="Weekly practice sessions on *linear models* and neural networks.",
        ),
    }
    news = alfolio_news()
    items["news"], items["news-page"] = news[0], news[1]
    CourseLink.objects.create(
        course=items["course"], label="Course page", url="https://courses.cs.ut.ee/", position=1
    )
    drafts = {
        "page": Page.objects.create(title="Secret page", body="Draft body", status="draft"),
        "news": NewsItem.objects.create(
            title="Draft news", text="Not yet announced", status="draft"
        ),
        "talk": Talk.objects.create(
            title="Draft talk", event="Hidden event", date=TODAY, status="draft"
        ),
        "course": Course.objects.create(
            course="Draft course", term="Fall 2030", year=2030, status="draft"
        ),
    }
    return items, drafts
