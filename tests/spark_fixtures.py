"""Pytest plugin (registered in tests/conftest.py): one local SparkSession for the whole test session,
shared by unit and integration tests, since a session costs several seconds to start; and pyspark's
DataFrame assertion `assertDataFrameEqual`."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import pyspark
import pytest
from pyspark.sql import SparkSession

from etl.spark import get_spark, point_s3a_at_endpoint


def _pyspark_testing_utils():
    # pyspark 3.5.4's `pyspark.testing` package __init__ imports pyspark.pandas, which needs pandas and
    # breaks on numpy 2 (np.NaN); the module defining assertDataFrameEqual needs neither, so load it alone.
    path = Path(pyspark.__file__).parent / "testing" / "utils.py"
    spec = importlib.util.spec_from_file_location("pyspark_testing_utils", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


assertDataFrameEqual = _pyspark_testing_utils().assertDataFrameEqual  # noqa: N816 - pyspark's name


@pytest.fixture(scope="session")
def spark() -> Iterator[SparkSession]:
    session = get_spark(app_name="ecomdwh-tests")
    yield session
    session.stop()


@pytest.fixture
def spark_on_emulator(spark: SparkSession, aws_env: object) -> SparkSession:
    """The shared session with S3A pointed at this test's emulator (see the aws_env fixture)."""
    point_s3a_at_endpoint(spark)
    return spark
