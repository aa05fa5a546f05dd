"""A Mixpanel failure as the wizard shows it: which thing failed, and what to do.

The client's messages already say both (and never carry a credential); here they get an
HTTP status and a stable code, `mixpanel_<client code>`. Refusals the admin can fix are
400s; Mixpanel's own trouble (unreachable, 5xx, nonsense) is a 502; its rate limit a 429.
"""

from __future__ import annotations

from usage_analytics.api.errors import ApiError, BadRequest, TooManyRequests, UpstreamFailure
from usage_analytics.mixpanel.errors import (
    MixpanelError,
    RateLimited,
    TransientError,
    UnexpectedResponse,
    Unreachable,
    WrongRegion,
)


def api_error(error: MixpanelError) -> ApiError:
    code = f"mixpanel_{error.code}"
    details: dict[str, object] = {"mixpanel_status": error.status} if error.status else {}
    if isinstance(error, RateLimited):
        if error.retry_after is not None:
            details["retry_after_seconds"] = error.retry_after
        return TooManyRequests(error.message, code=code, details=details)
    if isinstance(error, Unreachable):
        return UpstreamFailure(
            f"Mixpanel could not be reached: {error.message} Try again in a few minutes.",
            code=code,
            details=details,
        )
    if isinstance(error, TransientError | UnexpectedResponse):
        return UpstreamFailure(error.message, code=code, details=details)
    if isinstance(error, WrongRegion):
        details["detected_region"] = error.detected
    return BadRequest(error.message, code=code, details=details)
