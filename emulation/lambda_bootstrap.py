"""One Lambda invocation in this process, as the Lambda runtime does it: import the handler from the
function's code folder, call it with the event (JSON on stdin) and a context, report an error as
`[ERROR] <type>: <message>` plus the traceback on stderr and a non-zero exit.

    python lambda_bootstrap.py <code folder> <module.function> <request id>

Run as a script (not `-m`) so the function's own copies of modules come first on sys.path.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import time
import traceback


class Context:
    def __init__(self, request_id: str, deadline: float) -> None:
        self.aws_request_id = request_id
        self.function_name = os.environ["AWS_LAMBDA_FUNCTION_NAME"]
        self.function_version = "$LATEST"
        self.memory_limit_in_mb = os.environ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"]
        self.log_group_name = os.environ["AWS_LAMBDA_LOG_GROUP_NAME"]
        self._deadline = deadline

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.time()) * 1000))


def main() -> int:
    code_dir, handler, request_id = sys.argv[1:4]
    deadline = time.time() + float(os.environ["ECOMDWH_LAMBDA_TIMEOUT_SECONDS"])
    sys.path.insert(0, code_dir)
    module_name, _, function_name = handler.rpartition(".")
    try:
        function = getattr(importlib.import_module(module_name), function_name)
        function(json.load(sys.stdin), Context(request_id, deadline))
    except Exception as exc:  # noqa: BLE001 - reported the way the Lambda runtime reports it
        print(f"[ERROR] {type(exc).__name__}: {exc}", file=sys.stderr)
        traceback.print_exc()
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
