"""The warehouse tests' in-process DuckDB warehouse (the real schema of warehouse_sql/ through the
real translation layer), answering as ecomdwh.dq's Warehouse and filled with small inline rows."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from ecomdwh.warehouse.translate import translate
from tests.unit.warehouse.local_warehouse import LocalWarehouse


class DuckDBWarehouse(LocalWarehouse):
    def execute(self, sql: str, parameters: dict[str, str] | None = None, source: str = "<sql>") -> None:
        self.run(translate(sql, parameters, source))

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
