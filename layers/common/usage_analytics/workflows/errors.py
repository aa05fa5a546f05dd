"""Errors that cross the Lambda/Step Functions boundary.

Step Functions matches a task's failure by the Lambda `errorType`, which is the exception's
class name. These names are the contract between the handlers and the state machine
definitions (their Retry and Catch clauses): rename one and the infra tests fail.
"""

from __future__ import annotations


class WorkflowError(Exception):
    """A failure a workflow step reports on purpose, with a message safe to show users."""


class RateLimited(WorkflowError):
    """Mixpanel said 429: retry later with backoff (the state machine waits, not the Lambda)."""


class TransientFailure(WorkflowError):
    """5xx, a broken or `terminated early` stream, a timeout: the same step may succeed again."""


class PermanentFailure(WorkflowError):
    """Retrying cannot help (bad credentials, no API access, no permission): fail the run."""


class DeadlineExceeded(WorkflowError):
    """The run's time budget is spent; resume later from the days not yet done."""


RETRYABLE_RATE_LIMIT = (RateLimited.__name__,)
RETRYABLE_TRANSIENT = (TransientFailure.__name__,)


def coded(code: str, message: str) -> str:
    """A message that carries its error code across the Lambda boundary: "[code] message"."""
    return f"[{code}] {message}"


def split_code(message: str, default: str = "error") -> tuple[str, str]:
    if message.startswith("[") and "] " in message:
        code, rest = message[1:].split("] ", 1)
        return code, rest
    return default, message
