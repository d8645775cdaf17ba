from datetime import date, datetime

import pytest
import sqlglot
from sqlglot import exp

from ecomdwh.contracts import ENTITIES
from ecomdwh.warehouse.models import BATCH_LIMIT, ModelError, dependency_order, load_models, load_statements
from ecomdwh.warehouse.sql_text import DIALECT, split_statements

ROLE = "arn:aws:iam::123456789012:role/ecomdwh-copy"


def test_every_table_is_written_before_it_is_read():
    written: set[str] = set()
    all_written = {t for m in load_models() for t in m.writes()}
    for model in load_models():
        assert model.reads() & all_written <= written, f"{model.name} reads a table written later"
        written |= model.writes()


def test_a_day_is_one_batch_with_validated_values():
    statements = load_statements(date(2026, 1, 2), "ecomdwh-dev-processed", ROLE)
    assert 0 < len(statements) <= BATCH_LIMIT
    copies = [s.sql for s in statements if s.sql.startswith("copy")]
    assert len(copies) == len(ENTITIES)
    assert all(
        "s3://ecomdwh-dev-processed/" in c and "ingest_date=2026-01-02/" in c and ROLE in c for c in copies
    )
    assert not any("${" in s.sql for s in statements)


@pytest.mark.parametrize(
    ("bucket", "role", "day"),
    [
        ("bad'bucket", ROLE, date(2026, 1, 2)),
        ("ok-bucket", "arn:aws:iam::1:role/x' --", date(2026, 1, 2)),
        ("ok-bucket", ROLE, "2026-01-02' or 1=1"),
        ("ok-bucket\n", ROLE, date(2026, 1, 2)),  # a regex `$` would let a trailing newline through
        ("ok-bucket", f"{ROLE}\n", date(2026, 1, 2)),
        ("ok-bucket", ROLE, datetime(2026, 1, 2, 10, 30)),  # its isoformat is not a partition's date
    ],
)
def test_values_spliced_into_copy_are_validated(bucket, role, day):
    with pytest.raises(ModelError):
        load_statements(day, bucket, role)


@pytest.mark.parametrize("entity", sorted(ENTITIES))
def test_staging_tables_follow_the_processed_contract_in_order(entity):
    model = next(m for m in load_models() if m.name == f"stg_{entity}")
    create = sqlglot.parse_one(model.schema[0].sql, read=DIALECT)
    columns = [c.name for c in create.find_all(exp.ColumnDef)]
    assert columns == [*ENTITIES[entity].column_names, "ingest_date"]


def test_dependency_cycles_are_reported(tmp_path):
    (tmp_path / "a.sql").write_text("-- [schema]\ncreate table if not exists a as select * from b;")
    (tmp_path / "b.sql").write_text("-- [schema]\ncreate table if not exists b as select * from a;")
    from ecomdwh.warehouse.models import parse_model

    with pytest.raises(ModelError, match="cycle"):
        dependency_order([parse_model(tmp_path / "a.sql"), parse_model(tmp_path / "b.sql")])


def test_statements_keep_their_file_lines():
    text = "select 1;\n\nselect\n  'a;b' as x;"
    assert [(s.sql, s.line) for s in split_statements(text, "f.sql")] == [
        ("select 1", 1),
        ("select\n  'a;b' as x", 3),
    ]
