"""Rows streamed into tables: PostgreSQL ``COPY`` (psycopg 3), plain ``executemany`` elsewhere.

The big tables of the national set (companies, people, memberships, activities and the rows that
hang from them) are written as tuples in column order, never as model instances: building a
Django instance costs more than the row it saves. Ids are assigned here, from the table's
largest id, so that a batch's rows can name each other before anything is written; the
sequences are set past them once the load is done (:meth:`Loader.reset_sequences`).

No history record is written for these rows (``simple_history`` is bypassed as by
``bulk_create``): the national set is a load-test set, not a story.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Field, Model


class Table:
    """One table's pending rows, in the order of :attr:`columns`, with the ids given out so far."""

    def __init__(self, model: type[Model], exclude: Sequence[str] = ()):
        self.model = model
        self.fields: list[Field] = [f for f in model._meta.concrete_fields if f.attname not in exclude]
        self.columns = [f.attname for f in self.fields]
        self.defaults = {f.attname: f.get_default() for f in self.fields}
        self.rows: list[tuple] = []
        self.written = 0
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608 -- a model's table
            self.last_id = cursor.fetchone()[0]

    def new_id(self) -> int:
        self.last_id += 1
        return self.last_id

    def add(self, **values: Any) -> int:
        """Queue a row from its values by attribute name (the others take the field's default); its id."""
        if "id" not in values:
            values["id"] = self.new_id()
        self.rows.append(tuple([values[c] if c in values else self.defaults[c] for c in self.columns]))
        return values["id"]

    def add_instance(self, instance: Model) -> int:
        """Queue an unsaved instance (its id given here); its id."""
        if instance.pk is None:
            instance.pk = self.new_id()
        self.rows.append(tuple([getattr(instance, c) for c in self.columns]))
        return instance.pk


class Loader:
    """Writes :class:`Table` rows in the current transaction; remembers what it touched."""

    def __init__(self):
        self.postgres = connection.vendor == "postgresql"
        self.touched: set[type[Model]] = set()

    def flush(self, *tables: Table) -> None:
        for table in tables:
            if table.rows:
                self.write(table, table.rows)
                table.written += len(table.rows)
                table.rows = []
            self.touched.add(table.model)

    def write(self, table: Table, rows: Iterable[tuple]) -> None:
        quote = connection.ops.quote_name
        name, columns = quote(table.model._meta.db_table), ", ".join(quote(c) for c in table.columns)
        with connection.cursor() as cursor:
            if self.postgres:
                # COPY streams the rows in one statement: ten times faster than INSERT … VALUES.
                with cursor.cursor.copy(f"COPY {name} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                return
            prepare = [f.get_db_prep_save for f in table.fields]
            marks = ", ".join(["%s"] * len(table.columns))
            cursor.executemany(
                f"INSERT INTO {name} ({columns}) VALUES ({marks})",  # noqa: S608 -- a model's table and fields
                [[p(v, connection) for p, v in zip(prepare, row, strict=True)] for row in rows],
            )

    def reset_sequences(self) -> None:
        """Set each touched table's id sequence past the ids given here (PostgreSQL only: SQLite
        follows the largest id by itself)."""
        if not self.postgres or not self.touched:
            return
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), sorted(self.touched, key=str)):
                cursor.execute(statement)
