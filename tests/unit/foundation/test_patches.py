import json

from emulation.patches import stepfunctions


class FakeRequest:
    """Stands in for moto's request parsing only; the function under test is ours."""

    def __init__(self, definition: str) -> None:
        self.definition = definition

    def _get_param(self, name: str) -> str:
        assert name == "definition"
        return self.definition


def _validate(definition: str) -> dict:
    return stepfunctions._validate_state_machine_definition(FakeRequest(definition)).result


def test_valid_definition_passes():
    assert (
        _validate(json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}))["result"]
        == "OK"
    )


def test_invalid_json_and_missing_fields_and_dangling_start_fail():
    assert _validate("{not json")["result"] == "FAIL"
    assert "StartAt" in _validate(json.dumps({"States": {}}))["diagnostics"][0]["message"]
    assert "'B'" in _validate(json.dumps({"StartAt": "B", "States": {}}))["diagnostics"][0]["message"]
