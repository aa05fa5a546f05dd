"""How a simulator instance is set up: its project, who may call it, its limits and faults.

The dev credentials below are published defaults for a local simulator; they open nothing
real. Secrets never appear in a repr (fields are declared `repr=False`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from local.mixpanel_sim.spec import ProjectSpec

DEV_USERNAME = "usage-analytics-sim.mp-service-account"
DEV_SECRET = "sim-dev-secret-not-a-real-secret"
# Extra service accounts sharing the dev secret, each with one thing wrong.
NO_ME_SCOPE_USERNAME = "sim-no-me-scope.mp-service-account"  # /api/app/me -> 403
NO_PROJECT_USERNAME = "sim-no-project-access.mp-service-account"  # project -> 403
FREE_PLAN_USERNAME = "sim-free-plan.mp-service-account"  # organization without API -> 402

MAIN_ORG_ID = 4_242
FREE_ORG_ID = 7_007


@dataclass(frozen=True)
class Organization:
    id: int
    name: str
    api_access: bool = True  # False: the plan has no API access (402)


@dataclass(frozen=True)
class ServiceAccount:
    username: str
    secret: str = field(repr=False)
    organization_id: int = MAIN_ORG_ID
    project_ids: frozenset[int] = frozenset()
    me_scope: bool = True  # may call /api/app/me
    role: str = "analyst"


@dataclass(frozen=True)
class Limits:
    """Mixpanel's per-project rate limits for one API family; None switches a limit off."""

    per_hour: int | None = 60
    per_second: int | None = 3
    concurrent: int | None = 100

    @classmethod
    def from_json(cls, data: Mapping[str, object], base: Limits) -> Limits:
        values = {
            k: data.get(k, getattr(base, k)) for k in ("per_hour", "per_second", "concurrent")
        }
        for key, value in values.items():
            if value is not None and (not isinstance(value, int) or value < 1):
                raise ValueError(f"{key} must be a positive integer or null")
        return cls(**values)  # type: ignore[arg-type]


EXPORT_LIMITS = Limits(per_hour=60, per_second=3, concurrent=100)
QUERY_LIMITS = Limits(per_hour=60, per_second=None, concurrent=5)
UNLIMITED = Limits(per_hour=None, per_second=None, concurrent=None)


def default_organizations() -> tuple[Organization, ...]:
    return (
        Organization(MAIN_ORG_ID, "Example Product Inc."),
        Organization(FREE_ORG_ID, "Free Plan Startup", api_access=False),
    )


def default_service_accounts(
    project_id: int, username: str = DEV_USERNAME, secret: str = DEV_SECRET
) -> tuple[ServiceAccount, ...]:
    project = frozenset({project_id})
    return (
        ServiceAccount(username, secret, project_ids=project, role="admin"),
        ServiceAccount(NO_ME_SCOPE_USERNAME, secret, project_ids=project, me_scope=False),
        ServiceAccount(NO_PROJECT_USERNAME, secret, project_ids=frozenset()),
        ServiceAccount(
            FREE_PLAN_USERNAME, secret, organization_id=FREE_ORG_ID, project_ids=project
        ),
    )


@dataclass
class SimConfig:
    """Everything `start_simulator` needs. Port 0 picks a free port."""

    project: ProjectSpec = field(default_factory=ProjectSpec)
    host: str = "127.0.0.1"
    port: int = 0
    username: str = DEV_USERNAME
    secret: str = field(default=DEV_SECRET, repr=False)
    service_accounts: tuple[ServiceAccount, ...] | None = None  # None: the dev set
    organizations: tuple[Organization, ...] = field(default_factory=default_organizations)
    export_limits: Limits = EXPORT_LIMITS
    query_limits: Limits = QUERY_LIMITS
    send_retry_after: bool = True
    faults: tuple[Mapping[str, object], ...] = ()
    # The simulator's "now"; default: today (from the project spec) at 12:00 UTC, frozen.
    clock: Callable[[], dt.datetime] | None = None
    engage_page_size: int = 1_000
    gzip_level: int = 1
    chunk_bytes: int = 64 * 1024
    request_log_limit: int = 10_000

    def accounts(self) -> tuple[ServiceAccount, ...]:
        if self.service_accounts is not None:
            return self.service_accounts
        return default_service_accounts(self.project.project_id, self.username, self.secret)

    def now(self) -> dt.datetime:
        if self.clock is not None:
            return self.clock()
        return dt.datetime.combine(self.project.today, dt.time(12, 0), tzinfo=dt.UTC)
