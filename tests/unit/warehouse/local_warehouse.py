"""An in-process DuckDB warehouse for fast tests: the real SQL files through the real translation;
only COPY's S3 read is replaced by inserting the same processed Arrow table (tests/integration runs
the real COPY through the emulator)."""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb
import sqlglot
from sqlglot import exp

from ecomdwh.contracts import ENTITIES
from ecomdwh.warehouse.models import load_statements, schema_statements
from ecomdwh.warehouse.processed import processed_rows
from ecomdwh.warehouse.sql_text import DIALECT
from ecomdwh.warehouse.translate import SESSION_SETTINGS, end_session, translate_statement

ROLE = "arn:aws:iam::000000000000:role/test-copy"


class LocalWarehouse:
    def __init__(self) -> None:
        self.connection = duckdb.connect()
        for setting in SESSION_SETTINGS:
            self.connection.execute(setting)
        for statement in schema_statements():
            self.run(translate_statement(statement))

    def run(self, duck_statements: list[str]) -> None:
        for sql in duck_statements:
            self.connection.execute(sql)

    def load_day(self, ingest_date: date, rows: dict[str, list[dict]]) -> None:
        day = load_statements(ingest_date, "test-bucket", ROLE)
        for statement in day.staging + day.build:
            tree = sqlglot.parse_one(statement.sql, read=DIALECT)
            if isinstance(tree, exp.Copy):
                entity = tree.this.name.removeprefix("stg_")
                assert entity in ENTITIES, f"{statement.source}: COPY into a table that is no contract entity"
                staged = processed_rows(entity, rows.get(entity, []), ingest_date)
                self.connection.register("staged", staged)
                self.connection.execute(f"insert into {tree.this.name} select * from staged")
                self.connection.unregister("staged")
            else:
                self.run(translate_statement(statement))
        end_session(self.connection)  # each batch is one Data API call, so one session

    def rows(self, sql: str) -> list[dict[str, Any]]:
        cursor = self.connection.execute(sql)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
