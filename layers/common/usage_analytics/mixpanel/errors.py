"""What can go wrong talking to Mixpanel, one type per thing a workspace admin can act on.

Every error has a stable `code` (the API and the integration card switch on it), a
`retryable` flag (the client's own retry loop and the workflows' Retry/Catch read it) and a
message written for the admin: what failed and what to do. Messages carry the project id
and region, never a credential: the client scrubs Mixpanel's own error text before quoting
it (see `status.py`).
"""

from __future__ import annotations

from typing import ClassVar


class MixpanelError(Exception):
    """Base of every error the Mixpanel client raises."""

    code: ClassVar[str] = "mixpanel_error"
    retryable: ClassVar[bool] = False

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, status={self.status!r})"


class BadCredentials(MixpanelError):
    """401, or 400 `Unable to authenticate request`: wrong, revoked or expired account."""

    code = "bad_credentials"


class PlanWithoutApiAccess(MixpanelError):
    """402: the Mixpanel plan does not include API access."""

    code = "plan_without_api_access"


class ProjectForbidden(MixpanelError):
    """403: the service account has no role on the project (or lacks the needed scope)."""

    code = "project_forbidden"


class ProjectNotFound(MixpanelError):
    """404, or the project is not among those the service account can see."""

    code = "project_not_found"


class WrongRegion(MixpanelError):
    """The credentials work in another data-residency region than the one configured."""

    code = "wrong_region"

    def __init__(self, message: str, *, detected: str) -> None:
        super().__init__(message)
        self.detected = detected


class RateLimited(MixpanelError):
    """429: the project's API quota (shared with every other tool on it) is used up."""

    code = "rate_limited"
    retryable = True

    def __init__(
        self, message: str, *, retry_after: float | None = None, status: int | None = 429
    ) -> None:
        super().__init__(message, status=status)
        self.retry_after = retry_after


class TransientError(MixpanelError):
    """5xx, a cut or stalled stream, or an export that ended with `terminated early`."""

    code = "transient"
    retryable = True


class Unreachable(MixpanelError):
    """No connection could be made (DNS, refused, connect timeout)."""

    code = "unreachable"
    retryable = True


class BadRequest(MixpanelError):
    """Another 400: the request itself is wrong; retrying the same request cannot help."""

    code = "bad_request"


class DateAfterToday(BadRequest):
    """400 `to_date cannot be later than today`: the day has not ended in the project's
    timezone yet (older projects read export dates in their own timezone)."""


class UnexpectedResponse(MixpanelError):
    """A 2xx whose body is not what the documented API returns."""

    code = "unexpected_response"
