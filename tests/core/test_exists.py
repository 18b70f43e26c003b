"""core.exists: one SELECT for several EXISTS questions, answers kept per content version."""

import datetime
import functools

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from core.exists import exist
from news.models import NewsItem
from pagecache.freshness import changed_of
from talks.models import Talk


def build():
    return [NewsItem.objects.published(), (Talk.objects.published(), NewsItem.objects.all())]


def ask(stamped=True):
    stamp = functools.partial(changed_of, RequestFactory().get("/")) if stamped else None
    with CaptureQueriesContext(connection) as queries:
        answers = exist("test-exists", build, stamp)
    questions = [q["sql"] for q in queries.captured_queries if "EXISTS" in q["sql"]]
    return answers, questions


@pytest.mark.django_db
def test_answers_are_kept_until_a_model_they_read_changes():
    answers, asked = ask()
    assert answers == [False, False]
    assert len(asked) == 1 and asked[0].count("EXISTS") == 3  # everything, in one query
    questions = asked[0]
    # Nothing changed: no question asked again.
    assert ask() == ([False, False], [])
    NewsItem.objects.create(text="x", status="published")
    answers, asked = ask()
    assert answers == [True, False]
    # The news questions again; the talks' "no" still decides the second term.
    assert len(asked) == 1 and "talks_talk" not in asked[0] and asked[0] != questions
    assert ask() == ([True, False], [])
    Talk.objects.create(title="A talk", event="A workshop", date=datetime.date(2024, 1, 1))
    answers, asked = ask()
    assert answers == [True, True]
    # The talks, and the news question not asked since the news changed; not the first.
    assert len(asked) == 1 and "talks_talk" in asked[0] and asked[0].count("EXISTS") == 2


@pytest.mark.django_db
def test_without_a_stamp_every_question_is_asked_in_one_query():
    ask()
    answers, asked = ask(stamped=False)
    assert answers == [False, False]
    assert len(asked) == 1 and asked[0].count("EXISTS") == 3
