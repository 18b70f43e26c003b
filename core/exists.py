"""Whether any of several querysets has a row, in one SELECT compiled once.

The site menu and the CV ask it again after every edit (once per content
version). Compiling the querysets to SQL cost more than running the query, and
their filters are constants (status = published), so the SQL of each question
is built once per process and database vendor, then reused.
"""

from django.db import connection

_compiled = {}


def exist(key, build):
    """[bool] for each term of build(): a queryset has a row, or each of a tuple of them does.

    key names the question: build() runs only the first time it is asked.
    """
    compiled_key = (connection.vendor, key)
    compiled = _compiled.get(compiled_key)
    if compiled is None:
        parts, params = [], []
        for term in build():
            tests = []
            for queryset in term if isinstance(term, tuple) else (term,):
                sql, query_params = queryset.values("pk")[:1].query.sql_with_params()
                tests.append(f"EXISTS({sql})")
                params.extend(query_params)
            parts.append(f"({' AND '.join(tests)})")
        compiled = _compiled[compiled_key] = ("SELECT " + ", ".join(parts), tuple(params))
    sql, params = compiled
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [bool(answer) for answer in cursor.fetchone()]
