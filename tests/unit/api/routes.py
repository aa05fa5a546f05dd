"""Every route of the API with a valid body and who may call it: the role matrix's table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from usage_analytics.auth.principal import READERS, SERVICE_WRITERS, WRITERS, Role


@dataclass(frozen=True)
class RouteCase:
    method: str
    suffix: str  # after /v1/workspaces/{id}
    body: Any
    allowed: frozenset[Role]

    def path(self, workspace_id: str) -> str:
        return f"/v1/workspaces/{workspace_id}{self.suffix}"

    @property
    def id(self) -> str:
        return f"{self.method} {self.suffix}"


MP = "/integrations/mixpanel"
ROUTES = (
    RouteCase("GET", MP, None, READERS),
    RouteCase("GET", f"{MP}/probe", None, READERS),
    RouteCase("GET", f"{MP}/sync-history", None, READERS),
    RouteCase(
        "POST",
        f"{MP}/credentials",
        {"username": "svc", "secret": "not-the-real-one", "project_id": 2718281, "region": "US"},
        WRITERS,
    ),
    RouteCase("PUT", f"{MP}/identity", {"mode": "group", "key": "company_id"}, WRITERS),
    RouteCase("POST", f"{MP}/match-preview", {"mapping": {"field": "crm_id"}}, WRITERS),
    RouteCase(
        "PUT",
        f"{MP}/configuration",
        {"mapping": {"field": "crm_id"}, "tracked_features": ["report_created"], "version": 1},
        WRITERS,
    ),
    RouteCase("POST", f"{MP}/backfill/retry", None, WRITERS),
    RouteCase("POST", f"{MP}/sync", None, WRITERS),
    RouteCase("DELETE", MP, None, WRITERS),
    RouteCase(
        "PUT", "/accounts", {"accounts": [{"id": "acct_1", "name": "Acme"}]}, SERVICE_WRITERS
    ),
)
