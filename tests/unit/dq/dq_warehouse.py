"""An in-process DuckDB warehouse speaking Redshift SQL through the real translation layer: the
warehouse's real schema (warehouse_sql/), filled with small inline rows by the tests."""

from __future__ import annotations

from typing import Any

import duckdb
import pyarrow as pa

from ecomdwh.warehouse.models import schema_statements
from ecomdwh.warehouse.translate import SESSION_SETTINGS, translate, translate_statement


class DuckDBWarehouse:
    def __init__(self) -> None:
        self.connection = duckdb.connect()
        for setting in SESSION_SETTINGS:
            self.connection.execute(setting)
        for statement in schema_statements():
            for sql in translate_statement(statement):
                self.connection.execute(sql)

    def execute(self, sql: str, parameters: dict[str, str] | None = None, source: str = "<sql>") -> None:
        for duck in translate(sql, parameters, source):
            self.connection.execute(duck)

    def query(self, sql: str, parameters: dict[str, str] | None = None) -> list[dict[str, Any]]:
        *before, last = translate(sql, parameters)
        for duck in before:
            self.connection.execute(duck)
        cursor = self.connection.execute(last)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def insert(self, table: str, rows: list[dict[str, Any]]) -> None:
        self.connection.register("inserted", pa.Table.from_pylist(rows))
        self.connection.execute(f"insert into {table} by name select * from inserted")
        self.connection.unregister("inserted")
