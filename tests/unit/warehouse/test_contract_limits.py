"""The warehouse's DDL and the contract's limits agree (ecomdwh.contracts is their one source): each
staging column has the type the contract gives it, each table downstream holds every value the contract
lets through, and the allowed values other places list are the contract's."""

from __future__ import annotations

import re
import tomllib
from decimal import Decimal

import pyarrow as pa
import pytest
import sqlglot
from sqlglot import exp

from datagen import customers, events, orders
from ecomdwh.contracts import (
    CUSTOMERS,
    ENTITIES,
    INT32_MAX,
    INT64_MAX,
    ORDER_ITEMS,
    ORDERS,
    WEB_EVENTS,
    Column,
    decimal_digits,
)
from ecomdwh.warehouse.models import SQL_DIR, load_models
from ecomdwh.warehouse.sql_text import DIALECT

# Tables downstream of staging that keep contract columns under their own names, and the ones that
# keep them under another (dim_geography holds shipping addresses too).
HOLDERS = {
    "dim_customer": ("customers",),
    "dim_geography": ("customers",),
    "dim_product": ("products",),
    "fct_orders": ("orders",),
    "fct_order_items": ("order_items",),
    "fct_web_events": ("web_events",),
}
RENAMED = {("dim_geography", f"shipping_{name}"): name for name in ("country", "state", "city")}
# NOT NULL columns whose load writes '' for an optional column's null.
COALESCED = {("dim_geography", "state"), ("dim_geography", "city")}
INTEGER_RANGES = {
    exp.DataType.Type.SMALLINT: (-(2**15), 2**15 - 1),
    exp.DataType.Type.INT: (-(2**31), INT32_MAX),
    exp.DataType.Type.BIGINT: (-(2**63), INT64_MAX),
}


def _definitions(table: str) -> dict[str, exp.ColumnDef]:
    """The column definitions of `create [temp] table <table>` in warehouse_sql/."""
    for model in load_models():
        for statement in model.statements():
            tree = sqlglot.parse_one(statement.sql, read=DIALECT)
            if (
                isinstance(tree, exp.Create)
                and isinstance(tree.this, exp.Schema)
                and tree.this.this.name == table
            ):
                return {d.name: d for d in tree.this.find_all(exp.ColumnDef)}
    raise AssertionError(f"no create table {table} under {SQL_DIR}")


def _columns(table: str) -> dict[str, exp.DataType]:
    """The column types of `create [temp] table <table>` in warehouse_sql/."""
    return {name: definition.args["kind"] for name, definition in _definitions(table).items()}


def _not_null(definition: exp.ColumnDef) -> bool:
    return any(isinstance(c.kind, exp.NotNullColumnConstraint) for c in definition.constraints)


def _staging_type(column: Column) -> str:
    """The Redshift type the processed Parquet column is COPYed into."""
    if column.type == "string":
        return f"VARCHAR({column.max_bytes})"
    if digits := decimal_digits(column.type):
        return f"DECIMAL({digits[0]}, {digits[1]})"
    return {"int": "BIGINT", "date": "DATE", "timestamp": "TIMESTAMP", "boolean": "BOOLEAN"}[column.type]


@pytest.mark.parametrize("entity", sorted(ENTITIES))
def test_staging_columns_are_the_contracts_in_order_with_its_types(entity):
    contract = ENTITIES[entity]
    staged = {name: kind.sql(DIALECT) for name, kind in _columns(f"stg_{entity}").items()}
    expected = {c.name: _staging_type(c) for c in contract.columns} | {"ingest_date": "DATE"}
    assert list(staged.items()) == list(expected.items())


def _holds(kind: exp.DataType, column: Column) -> str | None:
    """Why a column of type `kind` cannot hold every value the contract lets through `column`, or None."""
    if column.type == "string":
        length = int(kind.expressions[0].name) if kind.expressions else 256  # Redshift's default VARCHAR
        return None if length >= column.max_bytes else f"VARCHAR({length}) < {column.max_bytes} bytes"
    if column.type == "int":
        low, high = INTEGER_RANGES[kind.this]
        lowest = column.minimum if column.minimum is not None else -(2**63)
        highest = column.maximum if column.maximum is not None else INT64_MAX
        return None if low <= lowest and highest <= high else f"{kind.sql(DIALECT)} < {lowest}..{highest}"
    if digits := decimal_digits(column.type):
        precision, scale = int(kind.expressions[0].name), int(kind.expressions[1].name)
        fits = precision - scale >= digits[0] - digits[1] and scale >= digits[1]
        return None if fits else f"{kind.sql(DIALECT)} < {column.type}"
    return None if kind.sql(DIALECT) == _staging_type(column) else f"{kind.sql(DIALECT)} is no {column.type}"


@pytest.mark.parametrize("table", sorted(HOLDERS))
def test_tables_downstream_hold_every_value_the_contract_lets_through(table):
    sources = [(c.name, c) for entity in HOLDERS[table] for c in ENTITIES[entity].columns]
    sources += [
        (name, ORDERS.column(shipped)) for (held_in, shipped), name in RENAMED.items() if held_in == table
    ]
    columns = _columns(table)
    problems = {
        f"{name} <- {source.name}": why
        for name, source in sources
        if name in columns and (why := _holds(columns[name], source))
    }
    assert problems == {}, f"{table}: widen these columns or narrow ecomdwh/contracts.py"


@pytest.mark.parametrize("table", sorted(HOLDERS))
def test_not_null_columns_hold_only_required_contract_columns(table):
    optional = {c.name for entity in HOLDERS[table] for c in ENTITIES[entity].columns if not c.required}
    not_null = {name for name, definition in _definitions(table).items() if _not_null(definition)}
    assert not_null & optional - {name for held_in, name in COALESCED if held_in == table} == set()


def test_line_products_are_the_type_of_the_column_the_load_computes():
    products = [p for contract in ENTITIES.values() for p in contract.line_products]
    assert products, "quantity * unit_price is a line product of order_items"
    for product in products:
        table, column = product.target.split(".")
        assert _columns(table)[column].sql(DIALECT) == _staging_type(Column(column, product.type))


def test_a_line_product_maximum_is_the_largest_value_of_its_decimal():
    (line_amount,) = ENTITIES["order_items"].line_products
    assert line_amount.maximum == Decimal("999999999999.99")


def test_datagen_draws_from_the_contracts_allowed_values_in_its_order():
    pools = {
        (CUSTOMERS, "segment"): customers.SEGMENTS,
        (ORDERS, "status"): orders.STATUSES,
        (ORDERS, "channel"): orders.CHANNELS,
        (ORDERS, "payment_method"): orders.PAYMENTS,
        (WEB_EVENTS, "event_type"): events.EVENT_TYPES,
        (WEB_EVENTS, "device"): events.DEVICES,
    }
    assert {(c.name, name) for (c, name) in pools} == {
        (contract.name, column.name)
        for contract in ENTITIES.values()
        for column in contract.columns
        if column.allowed
    }
    for (contract, name), pool in pools.items():
        assert pool.equals(pa.array(contract.column(name).allowed)), f"{contract.name}.{name}"


def test_data_quality_checks_of_allowed_values_list_the_contracts():
    checks = tomllib.loads((SQL_DIR / "dq" / "checks.toml").read_text())["check"]
    listed = {}
    for check in checks:
        match = re.fullmatch(r"(\w+) in \((.*)\)", check.get("condition", ""))
        if match:
            listed[(check["table"], match.group(1))] = tuple(v.strip(" '") for v in match.group(2).split(","))
    assert listed == {
        ("fct_orders", "status"): ORDERS.column("status").allowed,
        ("fct_web_events", "event_type"): WEB_EVENTS.column("event_type").allowed,
    }


def test_an_orders_units_hold_the_sum_of_its_most_lines_at_their_largest_quantity():
    lines, quantity = ORDER_ITEMS.column("line_number"), ORDER_ITEMS.column("quantity")
    _, high = INTEGER_RANGES[_columns("fct_orders")["units"].this]
    assert high >= lines.maximum * quantity.maximum
