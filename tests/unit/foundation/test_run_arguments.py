"""`ecomdwh run` and `ecomdwh demo` refuse impossible days as a usage error, before touching any AWS API."""

import pytest
from typer.testing import CliRunner

from ecomdwh.cli import app


@pytest.mark.parametrize(("command", "option"), [("run", "--day"), ("demo", "--days")])
def test_a_negative_day_is_a_usage_error_not_a_traceback(command, option):
    result = CliRunner().invoke(app, [command, option, "-1"], env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert f"Invalid value for '{option}'" in result.output
    assert "greater than or equal to 0" in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
