"""Rows streamed into tables: PostgreSQL ``COPY`` (psycopg 3), plain ``executemany`` elsewhere.

The big tables of the national set (companies, people, memberships, activities and the rows that
hang from them) are written as tuples in column order, never as model instances: building a
Django instance costs more than the row it saves. Ids are assigned here, from the table's
largest id, so that a batch's rows can name each other before anything is written; the
sequences are set past them once the load is done (:meth:`Loader.reset_sequences`).

On PostgreSQL the big tables' secondary indexes, unique and foreign-key constraints are dropped
for the load and built again once at the end (:meth:`Loader.drop_indexes`,
:meth:`Loader.restore_indexes`): kept, they cost one index insertion per row and index, and one
deferred foreign-key check per row and key at the commit (Django declares them ``DEFERRABLE
INITIALLY DEFERRED``), which took longer than the load itself. Built again, each is one sorted
pass, and each foreign key one anti-join: the data are checked all the same, and a failure rolls
the whole transaction back.

No history record is written for these rows (``simple_history`` is bypassed as by
``bulk_create``): the national set is a load-test set, not a story.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
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

    def row(self, values: dict[str, Any]) -> tuple:
        """A row from its values by attribute name (the others take the field's default)."""
        return tuple([values[c] if c in values else self.defaults[c] for c in self.columns])

    def add(self, **values: Any) -> int | None:
        """Queue a row from its values by attribute name; its id (None when the database gives it:
        a table made with ``exclude=("id",)``, whose rows nothing else names)."""
        if "id" not in values and "id" in self.defaults:
            values["id"] = self.new_id()
        self.rows.append(self.row(values))
        return values.get("id")

    def add_instance(self, instance: Model) -> int:
        """Queue an unsaved instance (its id given here); its id."""
        if instance.pk is None:
            instance.pk = self.new_id()
        self.rows.append(tuple([getattr(instance, c) for c in self.columns]))
        return instance.pk


@dataclass(frozen=True)
class Dropped:
    """What :meth:`Loader.drop_indexes` dropped, to build again: (table, name, definition) each."""

    indexes: tuple[tuple[str, str, str], ...] = ()
    constraints: tuple[tuple[str, str, str], ...] = ()  # unique ones first, then foreign keys

    def __len__(self) -> int:
        return len(self.indexes) + len(self.constraints)


# PostgreSQL refuses to alter a table with foreign-key checks still pending in the transaction
# (rows written earlier in it, by the demo in the tests): run them now, then defer again.
CHECK_PENDING_SQL = "SET CONSTRAINTS ALL IMMEDIATE; SET CONSTRAINTS ALL DEFERRED"
# Secondary indexes (neither the primary key nor a constraint's own index) of some tables.
INDEXES_SQL = """
    SELECT i.indrelid::regclass::text, i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
    FROM pg_index i
    WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary AND NOT EXISTS (
        SELECT 1 FROM pg_constraint c WHERE c.conrelid = i.indrelid AND c.conindid = i.indexrelid
    )
    ORDER BY 1, 2
"""
# Unique and foreign-key constraints of some tables, unique ones first (contype u > f: descending).
CONSTRAINTS_SQL = """
    SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
    FROM pg_constraint
    WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('u', 'f')
    ORDER BY contype DESC, 1, 2
"""


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

    def drop_indexes(self, models: Sequence[type[Model]]) -> Dropped:
        """Drop the secondary indexes, unique and foreign-key constraints of ``models``' tables for
        the load (PostgreSQL only; elsewhere nothing); what to build again."""
        if not self.postgres:
            return Dropped()
        quote = connection.ops.quote_name
        tables = [model._meta.db_table for model in models]
        with connection.cursor() as cursor:
            cursor.execute(CHECK_PENDING_SQL)
            cursor.execute(INDEXES_SQL, [tables])
            indexes = tuple(cursor.fetchall())
            cursor.execute(CONSTRAINTS_SQL, [tables])
            constraints = tuple(cursor.fetchall())
            for table, name, _ in reversed(constraints):  # foreign keys first
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
            for _, name, _ in indexes:
                cursor.execute(f"DROP INDEX {name}")
        return Dropped(indexes, constraints)

    def restore_indexes(self, dropped: Dropped) -> int:
        """Build again what :meth:`drop_indexes` dropped (each index in one sorted pass, each
        foreign key checked in one query); how many."""
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            if dropped:
                cursor.execute(CHECK_PENDING_SQL)
                cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            for _, _, definition in dropped.indexes:
                cursor.execute(definition)
            for table, name, definition in dropped.constraints:
                cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")
        return len(dropped)

    def reset_sequences(self) -> None:
        """Set each touched table's id sequence past the ids given here (PostgreSQL only: SQLite
        follows the largest id by itself)."""
        if not self.postgres or not self.touched:
            return
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), sorted(self.touched, key=str)):
                cursor.execute(statement)
