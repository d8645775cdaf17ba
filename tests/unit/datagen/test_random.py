"""searchsorted_right: exactly numpy's searchsorted(side="right"), ties and flat runs included."""

import numpy as np
import pytest

from datagen.random import searchsorted_right


@pytest.mark.parametrize(
    "values",
    [
        np.array([5.0]),
        np.array([1.0, 1.0, 1.0]),
        np.array([0.0, 0.0, 1.0, 1.0, 3.0]),
        np.cumsum(np.random.default_rng(1).random(2000) * (np.random.default_rng(2).random(2000) < 0.7)),
    ],
)
def test_searchsorted_right_matches_numpy(values):
    rng = np.random.default_rng(3)
    span = values[-1] - values[0] + 1
    needles = np.concatenate([values, values[0] - 1 + rng.random(50_000) * (span + 2)])
    assert np.array_equal(searchsorted_right(values, needles), np.searchsorted(values, needles, side="right"))
