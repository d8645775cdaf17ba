"""Step Functions: executions really run, and the calls Terraform's provider makes exist.

- moto only interprets state machines after `{"stepfunctions": {"execute_state_machine": true}}`.
- `ValidateStateMachineDefinition` and `ListStateMachineVersions` are unimplemented in moto;
  the AWS provider calls both on create/read.
- With execution enabled, an execution started without a name (as EventBridge starts them) is named
  None, so the second such start fails with ExecutionAlreadyExists; AWS generates a unique name.
- AWS SDK integrations take parameters in PascalCase at every level (`{"Name": ..., "Value": ...}`
  for a Redshift Data SqlParameter, whose API members are `name`/`value`) and map them onto the API's
  own member names; moto hands them to boto3 unchanged, which fails on any member not already cased
  as in the API model.
- AWS SDK integration results keep boto3's datetime objects, so any execution whose output holds a
  timestamp (e.g. Redshift Data's CreatedAt) breaks DescribeExecution; AWS returns them as strings.
- An execution holds its running interpreter (threads, locks), which cannot be pickled: after the first
  execution no snapshot held the Step Functions backend, so a restart lost every state machine. An
  execution is snapshotted without its interpreter, keeping its event history; one that was running
  comes back FAILED, saying the emulator restarted (its interpreter cannot be resumed).
- GetExecutionHistory ignores `reverseOrder`, `maxResults` and `nextToken`: a client asking for the
  latest events got the oldest ones.
- Every service call of an execution is signed with a session of the state machine's IAM role (or the
  task's `Credentials.RoleArn`), assumed as states.amazonaws.com assumes it (emulation/service_roles.py);
  moto signed them with a made-up key, which IAM enforcement refuses and which hid missing permissions.
- ASL names the Redshift Data API `redshiftdata` (`arn:aws:states:::aws-sdk:redshiftdata:...`);
  boto3 calls it `redshift-data`, and moto's interpreter fails with "Unknown service".
"""

from __future__ import annotations

import importlib
import json
import uuid
from datetime import UTC, datetime
from typing import Any

import boto3
import botocore.session
from botocore.config import Config
from moto.core.config import default_user_config
from moto.core.responses import ActionResult
from moto.stepfunctions.parser.api import ExecutionStatus
from moto.stepfunctions.parser.asl.component.common.timeouts.timeout import TimeoutSeconds
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service import (
    StateTaskService,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_aws_sdk import (
    StateTaskServiceAwsSdk,
)
from moto.stepfunctions.parser.backend.execution import Execution
from moto.stepfunctions.parser.models import StepFunctionsParserBackend
from moto.stepfunctions.responses import StepFunctionResponse

from emulation import runtime, service_roles

ASL_TO_BOTO3_SERVICE_NAMES = {"redshiftdata": "redshift-data"}
RESTART_ERROR = "Emulator.Restarted"
RESTART_CAUSE = "The local emulator restarted while this execution was running; start the execution again."


def _execution_getstate(self: Execution) -> dict[str, Any]:
    state = dict(self.__dict__)
    worker = state.pop("exec_worker", None)
    env = getattr(worker, "env", None)
    state["exec_worker"] = None
    # an execution restored earlier has no interpreter: keep the history it came back with
    state["_restored_history"] = (
        list(env.event_manager.get_event_history()) if env is not None else state.get("_restored_history", [])
    )
    state["_running_at_snapshot"] = self.exec_status == ExecutionStatus.RUNNING
    return state


def _execution_setstate(self: Execution, state: dict[str, Any]) -> None:
    self.__dict__.update(state)
    if state.get("_running_at_snapshot"):
        self.exec_status = ExecutionStatus.FAILED
        self.error, self.cause = RESTART_ERROR, RESTART_CAUSE
        self.stop_date = datetime.now(tz=UTC)


_execution_history = Execution.to_history_output


def _to_history_output(self: Execution) -> Any:
    if self.exec_worker is None and hasattr(self, "_restored_history"):
        return {"events": self._restored_history}
    return _execution_history(self)


HISTORY_PAGE_DEFAULT = 100  # AWS's default maxResults (0 also means the default)


def _get_execution_history(self: StepFunctionResponse) -> ActionResult:
    events = list(self.stepfunction_backend.get_execution_history(self._get_param("executionArn"))["events"])
    if self._get_param("reverseOrder"):
        events.reverse()
    start = int(self._get_param("nextToken") or 0)
    end = start + (int(self._get_param("maxResults") or 0) or HISTORY_PAGE_DEFAULT)
    page: dict[str, Any] = {"events": events[start:end]}
    if end < len(events):
        page["nextToken"] = str(end)
    return ActionResult(page)


def _validate_state_machine_definition(self: StepFunctionResponse) -> ActionResult:
    definition = self._get_param("definition") or ""
    diagnostics = []
    try:
        document = json.loads(definition)
        missing = [key for key in ("StartAt", "States") if key not in document]
        if missing:
            diagnostics.append(
                {
                    "severity": "ERROR",
                    "code": "SCHEMA_VALIDATION_FAILED",
                    "message": f"The definition lacks required field(s): {', '.join(missing)}",
                }
            )
        elif document["StartAt"] not in document["States"]:
            diagnostics.append(
                {
                    "severity": "ERROR",
                    "code": "MISSING_TRANSITION_TARGET",
                    "message": f"StartAt state {document['StartAt']!r} is not defined in States",
                }
            )
    except json.JSONDecodeError as exc:
        diagnostics.append({"severity": "ERROR", "code": "INVALID_JSON_DESCRIPTION", "message": str(exc)})
    return ActionResult({"result": "FAIL" if diagnostics else "OK", "diagnostics": diagnostics})


def _list_state_machine_versions(self: StepFunctionResponse) -> ActionResult:
    # State machines created without `publish` have no versions, which is what Terraform creates.
    return ActionResult({"stateMachineVersions": []})


_parser_start_execution = StepFunctionsParserBackend.start_execution


def _start_execution(
    self: StepFunctionsParserBackend,
    state_machine_arn: str,
    name: str | None = None,
    *args: Any,
    **kwargs: Any,
) -> Any:
    return _parser_start_execution(self, state_machine_arn, name or str(uuid.uuid4()), *args, **kwargs)


def _normalise_aws_sdk_parameters(
    self: StateTaskServiceAwsSdk, parameters: dict, *_args: Any, **_kwargs: Any
) -> None:
    service_model = botocore.session.get_session().get_service_model(self._get_boto_service_name())
    api_action = self.resource.api_action
    operation = service_model.operation_model(api_action[:1].upper() + api_action[1:])
    self._to_boto_request(parameters, operation.input_shape)


def _json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _json_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_safe(item) for item in value]
    return value.isoformat() if isinstance(value, datetime) else value


_aws_sdk_eval_service_task = StateTaskServiceAwsSdk._eval_service_task


def _eval_aws_sdk_service_task(self: StateTaskServiceAwsSdk, env: Any, *args: Any, **kwargs: Any) -> None:
    _aws_sdk_eval_service_task(self, env, *args, **kwargs)
    env.stack.append(_json_safe(env.stack.pop()))


# moto's modules that create their service clients with `boto_client_for`, each importing it by name.
_PARSER = "moto.stepfunctions.parser.asl.component.state.exec"
BOTO_CLIENT_USERS = (
    f"{_PARSER}.state_map.result_writer.resource_eval.resource_eval_s3",
    f"{_PARSER}.state_map.item_reader.eval.resource_eval_s3",
    f"{_PARSER}.state_task.lambda_eval_utils",
    *(
        f"{_PARSER}.state_task.service.state_task_service_{name}"
        for name in (
            "unsupported",
            "glue",
            "events",
            "ecs",
            "sqs",
            "sfn",
            "dynamodb",
            "batch",
            "sns",
            "aws_sdk",
        )
    ),
)


def _boto_client_for(region: str, service: str, state_credentials: Any = None) -> Any:
    """moto's client for a task, signed as the state machine's role instead of with a made-up key."""
    credentials = (
        service_roles.credentials_for(state_credentials.role_arn, "states.amazonaws.com", "stepfunctions")
        if state_credentials is not None and state_credentials.role_arn
        else service_roles.ADMIN
    )
    return boto3.client(
        service,
        region_name=region,
        endpoint_url=runtime.current().endpoint_url,
        config=Config(
            parameter_validation=False,
            retries={"max_attempts": 0, "total_max_attempts": 1},
            connect_timeout=TimeoutSeconds.DEFAULT_TIMEOUT_SECONDS,
            read_timeout=TimeoutSeconds.DEFAULT_TIMEOUT_SECONDS,
        ),
        **credentials.client_kwargs(),
    )


def apply() -> None:
    default_user_config["stepfunctions"] = {"execute_state_machine": True}
    StepFunctionResponse.validate_state_machine_definition = _validate_state_machine_definition
    StepFunctionResponse.list_state_machine_versions = _list_state_machine_versions
    StepFunctionResponse.get_execution_history = _get_execution_history
    StepFunctionsParserBackend.start_execution = _start_execution
    StateTaskServiceAwsSdk._normalise_parameters = _normalise_aws_sdk_parameters
    StateTaskServiceAwsSdk._eval_service_task = _eval_aws_sdk_service_task
    StateTaskService._SERVICE_NAME_SFN_TO_BOTO_OVERRIDES.update(ASL_TO_BOTO3_SERVICE_NAMES)
    Execution.__getstate__ = _execution_getstate
    Execution.__setstate__ = _execution_setstate
    Execution.to_history_output = _to_history_output
    for module in BOTO_CLIENT_USERS:
        importlib.import_module(module).boto_client_for = _boto_client_for
