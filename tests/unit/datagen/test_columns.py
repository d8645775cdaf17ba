"""concat: literals around one array (inserted) give what the element-wise join gives."""

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from datagen.columns import concat

VALUES = pa.array(["12", None, "", "é"])


@pytest.mark.parametrize(
    "parts",
    [
        ("e0-", VALUES),
        ("v", VALUES, "!"),
        (VALUES, "-z"),
        ("a", "b", VALUES, "c"),
        (VALUES,),
        (VALUES, " ", VALUES),
    ],
)
def test_concat_equals_the_element_wise_join(parts):
    assert concat(*parts).equals(pc.binary_join_element_wise(*parts, ""))
