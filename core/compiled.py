"""Small reads whose SQL is built once per process.

After an edit, a page's first queries run again, and for small reads Django's
query compiler costs more than the query: a paper by its slug compiles a
forty-column select list, its ordering and converters, about a millisecond on
every cold paper page. first() builds the SQL of such a queryset once per
database vendor and key, with placeholders standing in for the values, then
runs it and makes the model instance from the row (Model.from_db, the ORM's
own converters) without compiling anything. rows() does the same for a
values_list() queryset and gives its rows as tuples.
"""

from django.db import connection

_compiled = {}


class _Text(str):
    """Stands in for the n-th value, a text, while the SQL is built."""

    def __new__(cls, n):
        value = super().__new__(cls, f"\x00compiled value {n}\x00")
        value.n = n
        return value


class _Number(int):
    """Stands in for the n-th value, a whole number (such as a key)."""

    def __new__(cls, n):
        # Within a 32-bit key's range: Django turns an out-of-range lookup into no
        # query at all (EmptyResultSet), as PostgreSQL's integer columns would need.
        value = super().__new__(cls, 2_147_480_000 + n)
        value.n = n
        return value


def _stand_in(n, value):
    if isinstance(value, int) and not isinstance(value, bool):
        return _Number(n)
    if isinstance(value, str):
        return _Text(n)
    raise TypeError(f"core.compiled takes texts and whole numbers, not {type(value).__name__}")


def _compile(key, build, values, make):
    compiled_key = (connection.vendor, key)
    compiled = _compiled.get(compiled_key)
    if compiled is None:
        stand_ins = [_stand_in(n, value) for n, value in enumerate(values)]
        queryset = build(*stand_ins)
        found = make(queryset)
        params = found[-1]
        positions = [next((v for v in stand_ins if v == p), p) for p in params]
        used = [p.n for p in positions if isinstance(p, _Text | _Number)]
        if sorted(used) != list(range(len(values))):
            raise ValueError(f"{key}: each value must appear once in the query")
        compiled = _compiled[compiled_key] = (*found[:-1], positions)
    *found, positions = compiled
    params = [values[p.n] if isinstance(p, _Text | _Number) else p for p in positions]
    return (*found, params)


def first(key, build, *values):
    """build(*values)'s first row as a model instance, or None.

    build must be a plain function of its arguments (texts and whole numbers),
    each used once as a filter value, e.g.
    `lambda slug: Publication.objects.published().filter(slug=slug)`; key names
    it, with whatever else decides its shape (e.g. drafts shown or not).
    """

    def make(queryset):
        if not queryset.ordered:
            queryset = queryset.order_by("pk")
        compiler = queryset[:1].query.get_compiler(connection.alias)
        sql, params = compiler.as_sql()
        names = [f.attname for f in queryset.model._meta.concrete_fields]
        if compiler.col_count != len(names):
            raise ValueError(f"{key}: first() reads whole rows (no only(), defer() or annotations)")
        return _Converters(compiler), queryset.model, names, sql, params

    converters, model, names, sql, params = _compile(key, build, values, make)
    found = converters.fetch(sql, params)
    return model.from_db(connection.alias, names, found[0]) if found else None


class _Converters:
    """The ORM's own conversions of a query's columns (SQLite gives dates as
    text, for one), looked up once with its SQL."""

    def __init__(self, compiler):
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        self.compiler = compiler
        self.converters = compiler.get_converters(fields)

    def fetch(self, sql, params):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            found = cursor.fetchall()
        if self.converters:
            found = self.compiler.apply_converters(found, self.converters)
        return [tuple(row) for row in found]


def rows(key, build, *values):
    """build(*values)'s rows as tuples: build gives a values_list() queryset."""

    def make(queryset):
        compiler = queryset.query.get_compiler(connection.alias)
        sql, params = compiler.as_sql()
        return _Converters(compiler), sql, params

    converters, sql, params = _compile(key, build, values, make)
    return converters.fetch(sql, params)
