"""The data step of research 0003: equal-contribution flags become `*` marks, and back.

Migrating the whole merged graph back to research 0002 is not possible on
SQLite (parallel branches remake tables with later columns), so the test builds
Authorship as it was when the data step ran (both equal_contribution and marks)
from the migration loader's historical state, in a table of its own, and calls
the migration's functions with those historical apps.
"""

import datetime
import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.operations import RunPython

from research.models import Person, Publication

MIGRATION = "0003_author_marks_and_legends"
step = importlib.import_module(f"research.migrations.{MIGRATION}")


@pytest.fixture
def old_authorship(transactional_db):
    """Authorship as the data step saw it, in a scratch table beside today's."""
    loader = MigrationExecutor(connection).loader
    state = loader.project_state(("research", MIGRATION), at_end=False)
    migration = loader.get_migration("research", MIGRATION)
    for operation in migration.operations:
        if isinstance(operation, RunPython):
            break
        operation.state_forwards("research", state)
    model_state = state.models["research", "authorship"]
    # Its own table (today's has no equal_contribution), without the named constraint,
    # whose name PostgreSQL would refuse twice.
    model_state.options = {**model_state.options, "db_table": "research_authorship_0003"}
    model_state.options.pop("constraints", None)
    apps = state.apps
    model = apps.get_model("research", "Authorship")
    with connection.schema_editor() as editor:
        editor.create_model(model)
    yield apps, model
    with connection.schema_editor() as editor:
        editor.delete_model(model)


def test_equal_contributors_get_a_star_and_no_one_else_a_mark(old_authorship):
    apps, authorship = old_authorship
    paper = Publication.objects.create(title="Old", date=datetime.date(2020, 1, 1))
    ada, bo, cy = (Person.objects.create(name=name) for name in ("Ada", "Bo", "Cy"))
    for position, (person, equal) in enumerate([(ada, True), (bo, True), (cy, False)]):
        authorship.objects.create(
            publication_id=paper.pk, person_id=person.pk, position=position,
            equal_contribution=equal,
        )  # fmt: skip

    step.marks_from_equal_contribution(apps, schema_editor=None)

    rows = authorship.objects.order_by("position").values_list("person__name", "marks")
    assert list(rows) == [("Ada", "*"), ("Bo", "*"), ("Cy", "")]


def test_going_back_flags_the_starred_authors_only(old_authorship):
    apps, authorship = old_authorship
    paper = Publication.objects.create(title="New", date=datetime.date(2024, 1, 1))
    ada, bo, cy = (Person.objects.create(name=name) for name in ("Ada", "Bo", "Cy"))
    for position, (person, marks) in enumerate([(ada, "*†"), (bo, "†"), (cy, "")]):
        authorship.objects.create(
            publication_id=paper.pk, person_id=person.pk, position=position, marks=marks
        )

    step.equal_contribution_from_marks(apps, schema_editor=None)

    rows = authorship.objects.order_by("position").values_list("person__name", "equal_contribution")
    assert list(rows) == [("Ada", True), ("Bo", False), ("Cy", False)]
