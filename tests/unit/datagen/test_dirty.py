"""Injected dirty rows match the ground truth: an independent reader of the written files finds each
declared row at its file and line, showing its defect, and nothing else is dirty."""

import csv
import io
import json
from collections import Counter
from datetime import datetime
from decimal import Decimal, InvalidOperation

import pytest

import datagen
from ecomdwh.contracts import ENTITIES

DAY, RATE = 2, 0.05
LATEST_PLAUSIBLE = datetime(2026, 12, 31)


@pytest.fixture(scope="module")
def landed(tmp_path_factory):
    root = tmp_path_factory.mktemp("raw")
    batch = datagen.generate_day(scale=3.0, day=DAY, seed=4, dirty_rate=RATE)
    datagen.write_batch(batch, root)
    day0 = datagen.generate_day(scale=3.0, day=0, seed=4)
    known = {
        "customer_id": set(day0.tables["customers"].column("customer_id").to_pylist())
        | set(batch.tables["customers"].column("customer_id").to_pylist()),
        "product_id": set(day0.tables["products"].column("product_id").to_pylist()),
    }
    return root, batch, known


def _records(path):
    """(line number, raw bytes) of each record; CSV header excluded."""
    lines = path.read_bytes().splitlines()
    first = 2 if path.suffix == ".csv" else 1
    return [(first + i, line) for i, line in enumerate(lines[first - 1 :])]


def _parse(entity, line, header):
    text = line.decode("utf-8")
    if ENTITIES[entity].format == "json":
        return json.loads(text)
    values = next(csv.reader(io.StringIO(text)))
    if len(values) != len(header):
        raise ValueError(f"{len(values)} fields, header has {len(header)}")
    return {name: (value if value != "" else None) for name, value in zip(header, values, strict=True)}


def _defects(entity, record, known, seen):
    """Every rule ETL is expected to apply, from the contract alone."""
    found = set()
    contract = ENTITIES[entity]
    for column in contract.columns:
        value = record.get(column.name)
        if value is None:
            if column.required:
                found.add("null_required")
            continue
        try:
            if column.type == "int":
                int(value)
            elif column.type.startswith("decimal"):
                Decimal(str(value))
            elif column.type in ("date", "timestamp") and datetime.fromisoformat(value) > LATEST_PLAUSIBLE:
                found.add("future_date")
        except (ValueError, InvalidOperation):
            found.add("wrong_type")
    if "email" in record and record["email"] and "@" not in record["email"]:
        found.add("bad_email")
    if (
        entity == "order_items"
        and record.get("quantity") not in (None, "two")
        and int(record["quantity"]) < 0
    ):
        found.add("negative_quantity")
    for fk in ("customer_id", "product_id"):
        checkable = entity not in ("customers", "products") and record.get(fk) not in (None, "abc")
        if checkable and int(record[fk]) not in known[fk]:
            found.add("orphan_fk")
    key = tuple(str(record[k]) for k in contract.business_key)
    if key in seen:
        found.add("duplicate_id")
    seen.add(key)
    return found


def test_every_declared_row_shows_its_defect_and_no_other_row_is_dirty(landed):
    root, batch, known = landed
    truth = json.loads((root / f"_groundtruth/ingest_date={batch.ingest_date}/dirty.json").read_text())
    for entity in ENTITIES:
        declared = {(r["file"], r["line"]): r for r in truth["entities"][entity]["injected"]}
        found_kinds = Counter()
        seen: set = set()
        for file in sorted((root / entity).rglob("*.*")):
            key = str(file.relative_to(root))
            raw = file.read_bytes()
            header = (
                raw.split(b"\n", 1)[0].decode().replace('"', "").split(",") if file.suffix == ".csv" else None
            )
            for number, line in _records(file):
                try:
                    record = _parse(entity, line, header)
                except UnicodeDecodeError:
                    kinds = {"non_utf8"}
                except ValueError:
                    kinds = {"malformed_line"}
                else:
                    kinds = _defects(entity, record, known, seen)
                    extra = set(record) - set(ENTITIES[entity].column_names)
                    if extra:
                        kinds.add("extra_column")
                expected = declared.get((key, number))
                assert kinds == ({expected["kind"]} if expected else set()), (entity, key, number, line[:120])
                found_kinds.update(kinds)
        assert found_kinds == Counter(truth["entities"][entity]["counts"]), entity


def test_counts_add_up_and_every_kind_appears(landed):
    _, batch, _ = landed
    for entity, truth in batch.ground_truth["entities"].items():
        assert (
            truth["received_rows"]
            == truth["accepted_rows"] + truth["quarantined_rows"] + truth["deduplicated_rows"]
        )
        assert truth["accepted_rows"] == batch.tables[entity].num_rows
        assert set(truth["counts"]) == set(datagen.dirty.kinds(entity)), entity
        actions = {r["kind"]: r["action"] for r in truth["injected"]}
        assert actions["duplicate_id"] == "dedupe" and actions["extra_column"] == "accept"
        assert {a for k, a in actions.items() if k not in ("duplicate_id", "extra_column")} == {"quarantine"}


def test_ground_truth_and_manifest_stay_outside_entity_folders(landed):
    root, batch, _ = landed
    for entity in ENTITIES:
        assert not [p for p in (root / entity).rglob("*") if p.suffix not in ("", ".csv", ".json")]
    assert (root / f"_manifests/ingest_date={batch.ingest_date}/manifest.json").exists()


def test_clean_batches_have_no_dirty_rows():
    batch = datagen.generate_day(scale=0.2, day=0, seed=4)
    for truth in batch.ground_truth["entities"].values():
        assert truth["injected"] == [] and truth["received_rows"] == truth["accepted_rows"]
