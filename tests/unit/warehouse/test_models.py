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


def test_a_day_is_a_staging_batch_then_a_build_batch_with_validated_values():
    day = load_statements(date(2026, 1, 2), "ecomdwh-dev-processed", ROLE)
    assert 0 < len(day.staging) <= BATCH_LIMIT and 0 < len(day.build) <= BATCH_LIMIT
    copies = [s.sql for s in day.staging if s.sql.startswith("copy")]
    assert len(copies) == len(ENTITIES)
    assert not any(s.sql.startswith("copy") for s in day.build)
    assert all(
        "s3://ecomdwh-dev-processed/" in c and "ingest_date=2026-01-02/" in c and ROLE in c for c in copies
    )
    assert not any("${" in s.sql for s in day.staging + day.build)


def test_staging_may_read_only_staging_because_it_commits_before_the_build(tmp_path):
    (tmp_path / "dim_a.sql").write_text("-- [schema]\ncreate table if not exists dim_a (id int);")
    (tmp_path / "stg_a.sql").write_text(
        "-- [schema]\ncreate table if not exists stg_a (id int);\n-- [load]\n"
        "copy stg_a from 's3://${processed_bucket}/a/' iam_role '${copy_iam_role}' format as parquet;\n"
        "delete from stg_a using dim_a where dim_a.id = stg_a.id;"
    )
    with pytest.raises(ModelError, match="stg_a COPYs into staging but also reads \\['dim_a'\\]"):
        load_statements(date(2026, 1, 2), "ok-bucket", ROLE, sql_dir=tmp_path)


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
def test_staging_tables_are_temporary_and_follow_the_processed_contract_in_order(entity):
    model = next(m for m in load_models() if m.name == f"stg_{entity}")
    create = sqlglot.parse_one(model.load[0].sql, read=DIALECT)
    assert isinstance(create, exp.Create) and create.find(exp.TemporaryProperty)
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
