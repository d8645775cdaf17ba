from pyspark.sql import Row
from spark_fixtures import assertDataFrameEqual

from etl.transforms.normalise import normalised


def _normalise(spark, column, values):
    df = spark.createDataFrame([(v,) for v in values], f"{column} string")
    return df.select(normalised(column).alias(column))


def test_text_is_trimmed_and_blanks_become_null(spark):
    actual = _normalise(spark, "city", ["  Spring field ", "   ", None])
    assertDataFrameEqual(actual, [Row(city="Spring field"), Row(city=None), Row(city=None)])


def test_emails_are_trimmed_and_lowercased(spark):
    actual = _normalise(spark, "email", [" Ada.Lovelace1@GMAIL.com "])
    assertDataFrameEqual(actual, [Row(email="ada.lovelace1@gmail.com")])


def test_countries_become_iso_codes(spark):
    actual = _normalise(
        spark, "shipping_country", ["usa", "United  States", " gb ", "Canada", "fr", "Narnia"]
    )
    expected = [Row(shipping_country=c) for c in ("US", "US", "GB", "CA", "FR", "NARNIA")]
    assertDataFrameEqual(actual, expected)


def test_us_state_names_become_codes(spark):
    actual = _normalise(spark, "state", ["illinois", " ny", "New  York", "on"])
    assertDataFrameEqual(actual, [Row(state=s) for s in ("IL", "NY", "NY", "ON")])


def test_phones_become_e164(spark):
    formats = ["+1-212-555-0101", "(212) 555-0101", "212.555.0101", "1 212 555 0101", "212-555-0101 x12"]
    actual = _normalise(spark, "phone", [*formats, "n/a"])
    assertDataFrameEqual(actual, [*[Row(phone="+12125550101")] * len(formats), Row(phone=None)])
