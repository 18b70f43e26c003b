"""Whether any of several querysets has a row, in one SELECT compiled once.

The site menu and the CV ask it on every cold render. Compiling the querysets
to SQL cost more than running the query, and their filters are constants
(status = published), so the SQL of each question is built once per process
and database vendor, then reused.

Given `stamp` (the content versions of some models: pagecache.freshness's
changed_of for the request), each queryset's answer is also kept in the
process under the versions of the models whose tables its SQL names, so after
an edit only the querysets that read the edited models are asked again, and
only those needed: a term (a tuple of querysets, all of which must have a row)
with one answer known to be "no" is "no". An edit of a paper then asks nothing
of the news, talks or teaching, nor of the CV's sections.
"""

import functools

from django.apps import apps
from django.db import connection

_compiled = {}
# (vendor, sql, params) -> (versions of the models it reads, has a row)
_answers = {}


@functools.cache
def _labels_of_tables():
    """{db_table: model label} of every installed model, to name what a query reads."""
    return {
        model._meta.db_table: model._meta.label
        for model in apps.get_models(include_auto_created=True)
    }


def _compile(term, tables):
    parts = []
    for queryset in term if isinstance(term, tuple) else (term,):
        sql, params = queryset.values("pk")[:1].query.sql_with_params()
        quote = connection.ops.quote_name
        # Every table the SQL names, subqueries' too (a table name is quoted as such).
        reads = sorted(label for table, label in tables.items() if quote(table) in sql)
        parts.append((f"EXISTS({sql})", tuple(params), tuple(reads)))
    return tuple(parts)


def exist(key, build, stamp=None):
    """[bool] for each term of build(): a queryset has a row, or each of a tuple of them does.

    key names the question: build() runs only the first time it is asked.
    Without `stamp` every term is asked, in one query; with it (stamp(*model
    labels) -> a string that changes when one of those models does), only
    what changed since this process last asked: no query when nothing did.
    """
    vendor = connection.vendor
    terms = _compiled.get((vendor, key))
    if terms is None:
        tables = _labels_of_tables()
        terms = _compiled[vendor, key] = tuple(_compile(term, tables) for term in build())

    known, stamps = {}, {}
    if stamp is not None:
        for term in terms:
            for sql, params, reads in term:
                kept = _answers.get((vendor, sql, params))
                if kept is None:
                    continue
                if reads not in stamps:
                    stamps[reads] = stamp(*reads)
                if kept[0] == stamps[reads]:
                    known[sql, params] = kept[1]
    asked = {}
    for term in terms:
        if any(known.get((sql, params)) is False for sql, params, _ in term):
            continue  # decided: one of them has no row
        for sql, params, reads in term:
            if (sql, params) not in known:
                asked[sql, params] = reads
    if asked:
        if stamp is not None:
            # The versions first: an answer read after them is at least as new.
            for reads in asked.values():
                if reads and reads not in stamps:
                    stamps[reads] = stamp(*reads)
        questions = list(asked)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT " + ", ".join(sql for sql, _ in questions),
                [value for _, params in questions for value in params],
            )
            answers = [bool(answer) for answer in cursor.fetchone()]
        for question, answer in zip(questions, answers, strict=True):
            known[question] = answer
            reads = asked[question]
            if stamp is not None and reads:  # a query naming no model's table is never kept
                _answers[(vendor, *question)] = (stamps[reads], answer)
    return [all(known.get((sql, params), False) for sql, params, _ in term) for term in terms]


def forget_answers():
    """Drop the kept answers (tests that start from an empty cache)."""
    _answers.clear()
