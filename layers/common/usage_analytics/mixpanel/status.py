"""Turn a non-2xx Mixpanel answer into the error type an admin (or the retry loop) can act on.

Mixpanel is not uniform: bad credentials are 401 on most endpoints but 400 `Unable to
authenticate request` on some; the export API answers errors as plain text, the query API
as JSON `{"error": ...}`. We quote Mixpanel's own text (shortened, secret scrubbed) so
support can match it against Mixpanel's docs.
"""

from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from usage_analytics.mixpanel.errors import (
    BadCredentials,
    BadRequest,
    DateAfterToday,
    MixpanelError,
    PlanWithoutApiAccess,
    ProjectForbidden,
    ProjectNotFound,
    RateLimited,
    TransientError,
)

MAX_QUOTED_CHARS = 300


@dataclass(frozen=True)
class RequestContext:
    """What an error message may say about the request: never the credentials."""

    project_id: int
    region: str
    path: str
    secrets: tuple[str, ...] = ()  # only used to scrub quoted text; never rendered

    def __repr__(self) -> str:
        return f"RequestContext(project_id={self.project_id}, region={self.region!r})"


def error_from_response(
    status: int,
    body: str,
    headers: Mapping[str, str],
    ctx: RequestContext,
    *,
    now: Callable[[], float] = time.time,
) -> MixpanelError:
    detail = quote_detail(body, ctx.secrets)
    where = f"project {ctx.project_id} ({ctx.region} region)"
    said = f' Mixpanel said: "{detail}".' if detail else ""
    lowered = detail.lower()
    if status == 401 or (status == 400 and "unable to authenticate" in lowered):
        return BadCredentials(
            f"Mixpanel rejected the service-account username or secret for {where}: it may be "
            "mistyped, deleted or expired. Reconnect the integration with a valid service "
            "account (and check the data-residency region)." + said,
            status=status,
        )
    if status == 402:
        return PlanWithoutApiAccess(
            f"Mixpanel refused API access for {where} because the organization's plan does not "
            "include it. Upgrade the Mixpanel plan or contact Mixpanel support." + said,
            status=status,
        )
    if status == 403:
        return ProjectForbidden(
            f"The service account has no permission on {where}. In Mixpanel, add the service "
            "account to this project with at least the Analyst role, or check the project ID."
            + said,
            status=status,
        )
    if status == 404:
        return ProjectNotFound(
            f"Mixpanel could not find {where}. Check the project ID and the region." + said,
            status=status,
        )
    if status == 429:
        retry_after = parse_retry_after(headers.get("retry-after"), now=now)
        when = f" in {retry_after:g} s" if retry_after is not None else " later"
        return RateLimited(
            f"Mixpanel's API rate limit for {where} is used up (it is shared with every other "
            f"tool using the project). The request will be retried{when}." + said,
            retry_after=retry_after,
        )
    if status >= 500:
        return TransientError(
            f"Mixpanel had a temporary problem (HTTP {status}) answering {ctx.path} for {where}."
            " It will be retried." + said,
            status=status,
        )
    if status == 400 and "to_date cannot be later than today" in lowered:
        return DateAfterToday(
            f"Mixpanel says the requested day has not ended yet for {where}. The project "
            "reads export dates in its own timezone (projects created before 2023): the day "
            "can be exported once it has ended there." + said,
            status=status,
        )
    return BadRequest(
        f"Mixpanel refused the request to {ctx.path} for {where} (HTTP {status})." + said,
        status=status,
    )


def quote_detail(body: str, secrets: Sequence[str] = ()) -> str:
    """Mixpanel's error text: the JSON `error` field when there is one, else the body;
    one line, bounded, and with the credentials blanked out should a server echo them."""
    text = body.strip()
    try:
        parsed = json.loads(text) if text.startswith("{") else None
    except ValueError:
        parsed = None
    if isinstance(parsed, dict) and isinstance(parsed.get("error"), str):
        text = parsed["error"]
    text = " ".join(text.split())
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    if len(text) > MAX_QUOTED_CHARS:
        text = text[: MAX_QUOTED_CHARS - 1] + "…"
    return text


def parse_retry_after(value: str | None, *, now: Callable[[], float] = time.time) -> float | None:
    """`Retry-After` as seconds: either delta-seconds or an HTTP date (RFC 9110)."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now())
