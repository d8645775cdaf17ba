"""`generate_day`: one day's batch of every entity, as data (tables, dirty lines, ground truth).

Nothing here writes; `Batch.raw_files()` renders file bytes lazily, one part at a time."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, time
from time import perf_counter
from typing import TypeVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datagen import volumes
from datagen.customers import changed_customer_ids, customer_state, customers_table
from datagen.dirty import DirtyRows, inject
from datagen.events import web_events
from datagen.layout import RawFile, ground_truth, output_files
from datagen.orders import STATUSES, draw_items, items_table, orders_for_dates, orders_table, status_updates
from datagen.products import changed_product_ids, product_state, products_table
from ecomdwh.contracts import ENTITIES

T = TypeVar("T")
_TIMINGS_LOCK = threading.Lock()


class GenerationError(ValueError):
    """Arguments generate_day cannot honour, worded with the fix."""


@dataclass(frozen=True)
class Batch:
    day: int
    seed: int
    scale: float
    dirty_rate: float
    tables: dict[str, pa.Table]  # clean rows per entity, contract columns, typed
    dirty: dict[str, DirtyRows]
    changes: dict
    ground_truth: dict
    timings: dict[str, float]  # seconds spent building each entity's table (for the benchmark)

    @property
    def ingest_date(self) -> date:
        return volumes.ingest_date(self.day)

    def files(self, fmt: str) -> list[RawFile]:
        """Every file of the batch in write order, "raw" (CSV/NDJSON) or "parquet" (clean rows)."""
        return [
            file
            for entity in ENTITIES
            for file in output_files(fmt, entity, self.tables[entity], self.dirty[entity], self.ingest_date)
        ]

    def raw_files(self) -> list[RawFile]:
        return self.files("raw")


def _ids(values: np.ndarray) -> list[int]:
    return [int(v) for v in values]


def _changes(scale: float, day: int, customers, products, new_orders, updated, statuses) -> dict:
    return {
        "customers": {
            "new": _ids(np.arange(volumes.customers_at(scale, day - 1) + 1, customers.count + 1)),
            "moved": _ids(customers.moves[day].ids) if day in customers.moves else [],
            "email_changed": _ids(customers.email_changes.get(day, [])),
        },
        "products": {
            "price_changed": _ids(products.price_changes.get(day, [])),
            "category_changed": _ids(products.category_changes.get(day, [])),
        },
        "orders": {
            "new": _ids(new_orders.order_id),
            "status_changed": dict(
                zip(_ids(updated.order_id), STATUSES.take(pa.array(statuses)).to_pylist(), strict=True)
            ),
        },
    }


def _late_events(events: pa.Table, day: int) -> int:
    day_start = pa.scalar(datetime.combine(volumes.business_date(day), time()), pa.timestamp("s"))
    return pc.sum(pc.less(events["event_ts"], day_start)).as_py() or 0


def _timed(timings: dict[str, float], name: str, build: Callable[[], T]) -> T:
    started = perf_counter()
    result = build()
    with _TIMINGS_LOCK:  # entities are built on two threads
        timings[name] = timings.get(name, 0.0) + perf_counter() - started
    return result


def generate_day(scale: float, day: int, seed: int, dirty_rate: float = 0.0) -> Batch:
    """One day's batch: day 0 is the initial load (a year of history), day N >= 1 an increment."""
    return build_day(scale, day, seed, dirty_rate, on_entity=lambda _entity, _table, _dirty: None)


EntityDone = Callable[[str, pa.Table, DirtyRows], None]


def build_day(scale: float, day: int, seed: int, dirty_rate: float, on_entity: EntityDone) -> Batch:
    """generate_day, calling `on_entity(entity, table, dirty)` as soon as an entity's rows are final,
    so they can be written while the next entities are built."""
    if not scale > 0:
        raise GenerationError(
            f"scale={scale!r}: use a positive number (1.0 = 1,000 customers / 5,000 orders)"
        )
    if day < 0:
        raise GenerationError(f"day={day!r}: use 0 for the initial load or N >= 1 for an increment")
    if not 0 <= dirty_rate < 1:
        raise GenerationError(f"dirty_rate={dirty_rate!r}: use a share in [0, 1), e.g. 0.01")
    today = volumes.ingest_date(day)
    built: dict[str, pa.Table] = {}
    dirty: dict[str, DirtyRows] = {}

    def done(entity: str, table: pa.Table) -> None:
        built[entity] = table
        dirty[entity] = inject(entity, table, dirty_rate, seed, day, today)
        on_entity(entity, table, dirty[entity])

    timings: dict[str, float] = {}
    changes = _build_entities(seed, scale, day, timings, done)
    tables = {entity: built[entity] for entity in ENTITIES}
    if day > 0:
        changes["web_events"] = {"late_arriving": _late_events(tables["web_events"], day)}
    truth = {
        "day": day,
        "ingest_date": today.isoformat(),
        "seed": seed,
        "scale": scale,
        "dirty_rate": dirty_rate,
        "entities": ground_truth(tables, dirty, today),
    }
    return Batch(day, seed, scale, dirty_rate, tables, dirty, changes, truth, timings)


def _build_entities(
    seed: int, scale: float, day: int, timings: dict[str, float], done: Callable[[str, pa.Table], None]
) -> dict:
    """Builds every entity's table and hands it to `done` as soon as it is final; returns the day's
    changes (without the events'). This thread draws what the others depend on (states, orders,
    items); a second thread builds the tables nothing waits for, then the events, the biggest table
    (numpy and pyarrow release the GIL)."""

    def timed(name: str, build: Callable[[], T]) -> T:
        return _timed(timings, name, build)

    with ThreadPoolExecutor(max_workers=2) as pool:
        customers = timed("customers", lambda: customer_state(seed, scale, day))
        customer_rows = pool.submit(
            timed,
            "customers",
            lambda: customers_table(customers, changed_customer_ids(customers, scale, day)),
        )
        products = timed("products", lambda: product_state(seed, scale, day))
        done(
            "products",
            timed("products", lambda: products_table(products, changed_product_ids(products, day))),
        )
        new_orders = timed(
            "orders", lambda: orders_for_dates(seed, scale, volumes.business_indexes(day), customers)
        )
        new_order_rows = pool.submit(timed, "orders", lambda: orders_table(new_orders, day, customers))
        done("customers", customer_rows.result())
        items = timed("order_items", lambda: draw_items(seed, new_orders, products))
        events = pool.submit(
            timed, "web_events", lambda: web_events(seed, day, new_orders, items, customers, products)
        )
        orders, changes = new_order_rows.result(), {}
        if day > 0:
            updated, statuses = status_updates(seed, scale, day, customers)
            orders = pa.concat_tables([orders_table(updated, day, customers), orders])
            changes = _changes(scale, day, customers, products, new_orders, updated, statuses)
        done("orders", orders)
        done("order_items", timed("order_items", lambda: items_table(seed, new_orders, items, products)))
        done("web_events", events.result())
    return changes
