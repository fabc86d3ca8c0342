"""SQLite writes on the raw sqlite3 cursor, in groups sharing one transaction and one fsync.

SQLAlchemy compiles each statement once (per set of columns written) and supplies each column's
bind processor, so quoting and value formats are exactly SQLAlchemy's; execution then skips its
per-statement machinery, which costs more than the write itself once commits are grouped. Only
used with engines from ``store_engine`` (real transactions: we emit BEGIN, savepoints work).

A group: ``BEGIN IMMEDIATE``; per write ``SAVEPOINT``, the statements, ``RELEASE`` (or
``ROLLBACK TO`` when a constraint refused it); ``COMMIT``; then each caller gets its outcome.
An insert into a table without INSERT triggers is one ``INSERT … RETURNING`` and needs no
savepoint: SQLite rolls a refused statement back by itself (its default ABORT resolution; a
ROLLBACK resolution ends the transaction, which fails the group as any lost transaction does).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Column, Table, bindparam, delete, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ClauseElement, Label

from ecmactl.sql.group_commit import GroupCommitter, Job, fail_group
from ecmactl.sql.loop_writes import LoopGroupWriter

ANCHOR = "ecmactl_anchor"
_SAVEPOINT = "ecmactl_write"

Statement = tuple[str, tuple[str, ...]]  # SQL with ? placeholders, and the parameter names


class SqliteWrites:
    """insert/update/delete of one table, as functions of a raw cursor (for a group job)."""

    def __init__(
        self,
        engine: Engine,
        table: Table,
        anchor: Column[Any],
        outputs: list[Label[Any]],
        *,
        insert_triggers: bool = True,
    ) -> None:
        self._dialect = engine.dialect
        self._table = table
        self._anchor = anchor
        self._outputs = outputs
        # INSERT … RETURNING reads the row back in the same statement (defaults included), but
        # not what an INSERT trigger changes afterwards: then the row is SELECTed after it.
        self.insert_is_one_statement = not insert_triggers and bool(
            getattr(self._dialect, "insert_returning", False)
        )
        self._binders: dict[str, Callable[[Any], Any] | None] = {
            c.key: c.type.bind_processor(self._dialect) for c in table.c
        }
        self._binders[ANCHOR] = self._binders[anchor.key]
        where = anchor == bindparam(ANCHOR)
        self._select_one = self._compile(select(*outputs).select_from(table).where(where))
        self._delete = self._compile(delete(table).where(where))
        self._inserts: dict[tuple[str, ...], Statement] = {}
        self._updates: dict[tuple[str, ...], Statement] = {}

    def insert(self, cursor: Any, params: Mapping[str, Any]) -> Sequence[Any] | None:
        keys = tuple(params)
        statement = self._inserts.get(keys)
        if statement is None:
            stmt = insert(self._table)
            if self.insert_is_one_statement:
                stmt = stmt.returning(*self._outputs)
            statement = self._inserts[keys] = self._compile(stmt, keys)
        self._run(cursor, statement, params)
        if self.insert_is_one_statement:
            row: Sequence[Any] | None = cursor.fetchone()
            return row
        key = params.get(self._anchor.key)
        if key is None and self._anchor.primary_key:
            key = cursor.lastrowid  # a rowid anchor SQLite chose
        return self.read(cursor, key)

    def update(self, cursor: Any, key: Any, params: Mapping[str, Any]) -> Sequence[Any] | None:
        if params:
            keys = tuple(params)
            statement = self._updates.get(keys)
            if statement is None:
                where = self._anchor == bindparam(ANCHOR)
                statement = self._compile(update(self._table).where(where), keys)
                self._updates[keys] = statement
            self._run(cursor, statement, {**params, ANCHOR: key})
            if cursor.rowcount == 0:
                return None
        return self.read(cursor, params.get(self._anchor.key, key))

    def delete(self, cursor: Any, key: Any) -> bool:
        self._run(cursor, self._delete, {ANCHOR: key})
        return bool(cursor.rowcount > 0)

    def read(self, cursor: Any, key: Any) -> Sequence[Any] | None:
        self._run(cursor, self._select_one, {ANCHOR: key})
        row: Sequence[Any] | None = cursor.fetchone()
        return row

    def _run(self, cursor: Any, statement: Statement, params: Mapping[str, Any]) -> None:
        sql, names = statement
        values = []
        for name in names:
            value = params[name]
            binder = self._binders.get(name)
            values.append(binder(value) if binder is not None and value is not None else value)
        cursor.execute(sql, values)

    def _compile(self, stmt: ClauseElement, keys: Sequence[str] | None = None) -> Statement:
        compiled = stmt.compile(dialect=self._dialect, column_keys=list(keys or ()))
        assert isinstance(compiled, SQLCompiler) and compiled.positional
        escaped = {v: k for k, v in (compiled.escaped_bind_names or {}).items()}
        names = tuple(escaped.get(n, n) for n in compiled.positiontup or ())
        return str(compiled), names


class SqliteGroupWriter:
    """Runs write jobs in groups on pooled raw sqlite3 connections: blocking callers through
    the writer thread (group_commit), awaiting ones on their event loop (loop_writes)."""

    def __init__(
        self,
        engine: Engine,
        refused_alone: Callable[[Exception, Job], bool],
        group_failed: Callable[[Exception], Exception],
    ) -> None:
        self._engine = engine
        self._refused_alone = refused_alone
        self._group_failed = group_failed
        self._committer = GroupCommitter(self._run_group, name="sqlite-writer")
        self._loop_writer = LoopGroupWriter(
            engine, self._run_job, group_failed, self._committer.enqueue
        )

    def submit(
        self, work: Callable[[Any], Any], values: Mapping[str, Any], atomic: bool = False
    ) -> Any:
        """``work(cursor)`` in the next group; its result once committed, or its error.
        ``atomic``: ``work`` is one statement (no savepoint of its own in a group)."""
        return self._committer.submit(work, values, atomic)

    def submit_async(
        self, work: Callable[[Any], Any], values: Mapping[str, Any], atomic: bool = False
    ) -> Any:
        """``submit`` from a running event loop: an awaitable of the same outcome, with the
        statements run on the loop's thread and the COMMIT in a thread (loop_writes)."""
        return self._loop_writer.submit(Job(work, values, atomic))

    def close(self, timeout: float | None = None) -> None:
        self._committer.close(timeout)
        self._loop_writer.close()

    def _run_group(self, group: list[Job]) -> None:
        culprit: Job | None = None
        try:
            raw = self._engine.raw_connection()
            try:
                cursor = raw.cursor()
                cursor.execute("BEGIN IMMEDIATE")  # waits busy_timeout for other processes
                try:
                    for job in group:
                        culprit = job
                        self._run_job(cursor, job, savepoint=len(group) > 1)
                    culprit = None  # from here on, a failure is the COMMIT's
                    cursor.execute("COMMIT")
                except BaseException:
                    if raw.driver_connection is not None and raw.driver_connection.in_transaction:
                        raw.driver_connection.rollback()
                    raise
                finally:
                    cursor.close()
            finally:
                raw.close()
        except Exception as exc:
            fail_group(group, exc, culprit, self._group_failed)

    def _run_job(self, cursor: Any, job: Job, *, savepoint: bool) -> None:
        if not savepoint:  # alone in its group: the transaction is its savepoint
            job.result = job.work(cursor)
            return
        own = not job.atomic  # one statement: SQLite undoes a refused statement by itself
        if own:
            cursor.execute(f"SAVEPOINT {_SAVEPOINT}")
        try:
            job.result = job.work(cursor)
        except Exception as exc:
            if not (cursor.connection.in_transaction and self._refused_alone(exc, job)):
                raise  # the transaction itself is in doubt: fail the group
            if own:
                cursor.execute(f"ROLLBACK TO {_SAVEPOINT}")
            job.error = exc
        if own:
            cursor.execute(f"RELEASE {_SAVEPOINT}")
