"""The Mixpanel API client (export, query and app APIs) with residency, limits and retries.

See `client.MixpanelClient`; errors in `errors`; hosts and the base-URL override in `hosts`.
"""

from usage_analytics.mixpanel.client import MixpanelClient
from usage_analytics.mixpanel.credentials import ServiceAccount
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
    UnexpectedResponse,
    Unreachable,
    WrongRegion,
)
from usage_analytics.mixpanel.hosts import REGION_HEADER, Hosts, Region, hosts_for
from usage_analytics.mixpanel.limiter import ProjectLimiter, RateWindow, shared_limiter
from usage_analytics.mixpanel.models import EventCount, ProjectInfo
from usage_analytics.mixpanel.retry import NO_RETRY, RetryPolicy
from usage_analytics.mixpanel.stream import ExportStream

__all__ = [
    "NO_RETRY",
    "REGION_HEADER",
    "BadCredentials",
    "BadRequest",
    "DateAfterToday",
    "EventCount",
    "ExportStream",
    "Hosts",
    "MixpanelClient",
    "MixpanelError",
    "PlanWithoutApiAccess",
    "ProjectForbidden",
    "ProjectInfo",
    "ProjectLimiter",
    "ProjectNotFound",
    "RateLimited",
    "RateWindow",
    "Region",
    "RetryPolicy",
    "ServiceAccount",
    "TransientError",
    "UnexpectedResponse",
    "Unreachable",
    "WrongRegion",
    "hosts_for",
    "shared_limiter",
]
