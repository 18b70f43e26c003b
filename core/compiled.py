"""Single-row reads whose SQL is built once per process.

After an edit, a page's first queries run again, and for small reads Django's
query compiler costs more than the query: a paper by its slug compiles a
forty-column select list, its ordering and converters, about a millisecond on
every cold paper page. first() builds the SQL of such a queryset once per
database vendor and key, with placeholders standing in for the values, then
runs it with Model.objects.raw(), which turns the row into a model instance
without compiling anything.
"""

from django.db import connection

_compiled = {}


class _Value(str):
    """Stands in for the n-th value while the SQL is built (text values only)."""

    def __new__(cls, n):
        value = super().__new__(cls, f"\x00compiled value {n}\x00")
        value.n = n
        return value


def first(key, build, *values):
    """build(*values)'s first row as a model instance, or None.

    build must be a plain function of its arguments, text values each used once
    as a filter value (e.g. lambda slug: Publication.objects.published().filter(slug=slug));
    key names it, with whatever else decides its shape (e.g. drafts shown or not).
    """
    compiled_key = (connection.vendor, key)
    compiled = _compiled.get(compiled_key)
    if compiled is None:
        stand_ins = [_Value(n) for n in range(len(values))]
        queryset = build(*stand_ins)
        if not queryset.ordered:
            queryset = queryset.order_by("pk")
        sql, params = queryset[:1].query.sql_with_params()
        positions = [next((v for v in stand_ins if v == p), p) for p in params]
        used = [p.n for p in positions if isinstance(p, _Value)]
        if sorted(used) != list(range(len(values))):
            raise ValueError(f"{key}: each value must appear once in the query")
        compiled = _compiled[compiled_key] = (queryset.model, sql, positions)
    model, sql, positions = compiled
    params = [values[p.n] if isinstance(p, _Value) else p for p in positions]
    return next(iter(model.objects.raw(sql, params)), None)
