import pytest
from pyspark.sql import types as T

from ecomdwh.contracts import ENTITIES, ORDER_ITEMS
from etl.schemas import CORRUPT_RECORD, processed_schema, raw_read_schema, spark_type


def test_processed_schema_is_contract_columns_typed_then_ingest_date():
    schema = processed_schema(ORDER_ITEMS)
    assert schema.fieldNames() == [*ORDER_ITEMS.column_names, "ingest_date"]
    assert schema["unit_price"].dataType == T.DecimalType(12, 2)
    assert schema["quantity"].dataType == T.LongType()
    assert schema["updated_at"].dataType == T.TimestampType()
    assert schema["ingest_date"].dataType == T.DateType()


def test_raw_schema_reads_every_column_as_text_plus_corrupt_record():
    for contract in ENTITIES.values():
        schema = raw_read_schema(contract)
        assert schema.fieldNames() == [*contract.column_names, CORRUPT_RECORD]
        assert {f.dataType for f in schema.fields} == {T.StringType()}


def test_unknown_contract_type_names_the_fix():
    with pytest.raises(ValueError, match="etl/schemas.py"):
        spark_type("money")
