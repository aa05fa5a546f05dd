"""Run our real handlers for moto's Lambda invokes, in this process.

moto's Docker-less Lambda backend echoes payloads; we replace its `invoke` so each function
runs the handler named by its `usage-analytics:entry` tag (set by the CDK function factory).
An exception becomes what Lambda returns for an unhandled error, so Step Functions sees the
same `errorType` it would see in the cloud and its Retry/Catch clauses apply.
"""

from __future__ import annotations

import importlib
import json
import threading
import time
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from infra.contract import ENTRY_TAG

Handler = Callable[[Any, Any], Any]


@dataclass
class LambdaContext:
    """The attributes of the Lambda context object our handlers and Powertools read."""

    function_name: str
    invoked_function_arn: str
    memory_limit_in_mb: int = 512
    function_version: str = "$LATEST"
    aws_request_id: str = ""
    log_group_name: str = ""
    log_stream_name: str = "local"

    def get_remaining_time_in_millis(self) -> int:
        return 900_000


def load_handler(entry: str) -> Handler:
    module_name, _, attr = entry.partition(":")
    return getattr(importlib.import_module(module_name), attr or "handler")


class Dispatcher:
    """Keeps a record of invocations (for tests and the demo) and runs the handlers."""

    def __init__(self) -> None:
        self.invocations: list[tuple[str, str]] = []  # (function name, outcome)
        # function name -> entry, from the template's tags (moto's CloudFormation drops them)
        self.entries: dict[str, str] = {}
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._running = 0
        self.background: list[threading.Thread] = []

    def invoke(self, fn: Any, body: Any, headers: Any, response_headers: dict[str, str]) -> bytes:
        entry = self.entries.get(fn.function_name) or (fn.tags or {}).get(ENTRY_TAG)
        if not entry:
            raise RuntimeError(f"function {fn.function_name} has no {ENTRY_TAG} tag")
        event = json.loads(body) if body else {}
        context = LambdaContext(
            function_name=fn.function_name,
            invoked_function_arn=fn.function_arn,
            memory_limit_in_mb=int(fn.memory_size or 512),
            aws_request_id=str(uuid.uuid4()),
        )
        if (headers or {}).get("X-Amz-Invocation-Type") == "Event":
            thread = threading.Thread(
                target=self._run, args=(fn.function_name, entry, event, context, {}), daemon=True
            )
            thread.start()
            self.background.append(thread)
            return b""
        return self._run(fn.function_name, entry, event, context, response_headers)

    def _run(
        self,
        name: str,
        entry: str,
        event: Any,
        context: LambdaContext,
        response_headers: dict[str, str],
    ) -> bytes:
        with self._lock:
            self._running += 1
        try:
            result = load_handler(entry)(event, context)
        except Exception as exc:  # what Lambda does with an unhandled exception
            self._record(name, f"error:{type(exc).__name__}")
            response_headers["x-amz-function-error"] = "Unhandled"
            return json.dumps(
                {
                    "errorType": type(exc).__name__,
                    "errorMessage": str(exc),
                    "stackTrace": traceback.format_exception(exc)[-3:],
                }
            ).encode()
        self._record(name, "ok")
        return json.dumps(result).encode()

    def _record(self, name: str, outcome: str) -> None:
        with self._lock:
            self.invocations.append((name, outcome))
            self._running -= 1
            self._idle.notify_all()

    def wait_idle(self, timeout: float = 120.0, settle: float = 1.0) -> None:
        """Wait until no handler has run for `settle` seconds. moto does not cancel the other
        iterations of a Map when one fails (the cloud does), so a test that counts work
        after a failed execution waits for those stragglers first."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while True:
                calls = len(self.invocations)
                if not self._idle.wait_for(lambda: self._running == 0, deadline - time.monotonic()):
                    raise TimeoutError(f"{self._running} handler(s) still running after {timeout}s")
                self._idle.wait(settle)
                if self._running == 0 and len(self.invocations) == calls:
                    return

    def wait_background(self, timeout: float = 60.0) -> None:
        for thread in list(self.background):
            thread.join(timeout)
