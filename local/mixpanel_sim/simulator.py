"""The simulator's brain, without sockets: a request in, a response out.

Every API request passes the same gate, in the order a real deployment would answer:
injected slowness and 5xx (the load balancer), data residency (wrong region: the host does
not know the account), credentials, `project_id`, plan (402), project (404), permission
(403), rate limits (429), then the route. The HTTP layer (`server.py`) only moves bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from local.mixpanel_sim import control, export_route, me_route
from local.mixpanel_sim.auth import authenticate, parse_basic
from local.mixpanel_sim.config import Organization, ServiceAccount, SimConfig
from local.mixpanel_sim.faults import Fault, FaultBook
from local.mixpanel_sim.messages import SimRequest, SimResponse, error
from local.mixpanel_sim.project import SyntheticProject
from local.mixpanel_sim.query_routes import QueryRoutes
from local.mixpanel_sim.rate_limit import RateLimiter
from local.mixpanel_sim.request_log import LogEntry, RequestLog

REGION_HEADER = "x-mixpanel-region"
UNABLE_TO_AUTHENTICATE = "Unable to authenticate request"


@dataclass(frozen=True)
class Route:
    family: str  # "export" | "query" | "app": which rate limits and auth error apply
    methods: tuple[str, ...]
    needs_project: bool = True


ROUTES: dict[str, Route] = {
    "/api/2.0/export": Route("export", ("GET",)),
    "/api/query/events/names": Route("query", ("GET",)),
    "/api/query/events/top": Route("query", ("GET",)),
    "/api/query/engage": Route("query", ("POST", "GET")),
    "/api/app/me": Route("app", ("GET",), needs_project=False),
}


@dataclass
class Gate:
    """What the gate learned about a request that passed it."""

    account: ServiceAccount
    organization: Organization
    slow: Fault | None


class Simulator:
    def __init__(self, config: SimConfig, project: SyntheticProject | None = None) -> None:
        self.config = config
        self.project = project or SyntheticProject(config.project)
        self.faults = FaultBook()
        for fault in config.faults:
            self.faults.add(fault)
        self.log = RequestLog(config.request_log_limit)
        self.limiters = {
            "export": RateLimiter(config.export_limits),
            "query": RateLimiter(config.query_limits),
        }
        self.queries = QueryRoutes(self.project, config.engage_page_size)
        self.send_retry_after = config.send_retry_after

    def now(self) -> dt.datetime:
        return self.config.now()

    def reset(self) -> None:
        self.faults.clear()
        self.log.clear()
        for limiter in self.limiters.values():
            limiter.reset()
        self.queries.reset()

    def handle(self, request: SimRequest) -> SimResponse:
        if request.path.startswith("/_sim/"):
            return control.handle(self, request)
        credentials = parse_basic(request.header("authorization"))
        entry = self.log.open(
            request.method,
            request.path,
            dict(request.params),
            request.header(REGION_HEADER),
            credentials.username if credentials else None,
        )
        route = ROUTES.get(request.path)
        if route is None:
            response = error(404, f"no such endpoint: {request.path}")
        elif request.method not in route.methods:
            response = error(405, f"{request.method} is not allowed on {request.path}")
        else:
            self.faults.observe_request()
            response = self._gate_and_route(route, request, entry)
        entry.status = response.status
        return response

    def _gate_and_route(self, route: Route, request: SimRequest, entry: LogEntry) -> SimResponse:
        days = export_route.date_range(request.params) if route.family == "export" else None
        slow = self.faults.take("slow", request.path, days)
        if slow is not None:
            entry.fault = "slow"
        delay = float(str(slow.params.get("delay_seconds") or 0)) if slow else 0.0
        failed = self.faults.take("http_error", request.path, days)
        if failed is not None:
            entry.fault = "http_error"
            status = int(str(failed.params["status"]))
            response = error(
                status,
                "Internal server error"
                if status == 500
                else "The server is temporarily unavailable, please retry",
            )
        else:
            gate = self._gate(route, request, entry)
            if isinstance(gate, SimResponse):
                response = gate
            else:
                gate.slow = slow
                response = self._limited(route, request, entry, gate)
        response.delay_seconds = delay
        return response

    def _gate(self, route: Route, request: SimRequest, entry: LogEntry) -> Gate | SimResponse:
        spec = self.project.spec
        auth_status = 400 if route.family == "query" else 401
        region = request.header(REGION_HEADER)
        if region is not None and region.strip().upper() != spec.region:
            return error(401, UNABLE_TO_AUTHENTICATE)
        account = authenticate(self.config.accounts(), parse_basic(request.header("authorization")))
        if account is None or self.faults.revoked(account.username, dt.datetime.now(dt.UTC)):
            return error(auth_status, UNABLE_TO_AUTHENTICATE)
        organization = self._organization(account)
        project_id = request.params.get("project_id")
        if route.needs_project:
            if not project_id:
                return error(
                    400, "project_id is required when authenticating with a service account"
                )
            if not project_id.isdigit():
                return error(400, f"project_id must be an integer (got {project_id!r})")
        if not organization.api_access:
            return error(
                402,
                "Your organization's plan does not include API access. "
                "Upgrade your plan to use this API.",
            )
        if route.needs_project:
            if int(str(project_id)) != spec.project_id:
                return error(404, f"Project {project_id} not found")
            if spec.project_id not in account.project_ids:
                return error(403, f"This service account has no permission on project {project_id}")
        if route.family == "app" and not account.me_scope:
            return error(403, "This service account is not allowed to call this endpoint")
        return Gate(account=account, organization=organization, slow=None)

    def _organization(self, account: ServiceAccount) -> Organization:
        for organization in self.config.organizations:
            if organization.id == account.organization_id:
                return organization
        return Organization(account.organization_id, "Unknown organization")

    def _limited(
        self, route: Route, request: SimRequest, entry: LogEntry, gate: Gate
    ) -> SimResponse:
        days = export_route.date_range(request.params) if route.family == "export" else None
        storm = self.faults.take("rate_limit", request.path, days)
        if storm is not None:
            entry.fault = "rate_limit"
            retry = storm.params.get("retry_after")
            return self._too_many(
                "Query rate limit exceeded (injected)", None if retry is None else int(str(retry))
            )
        limiter = self.limiters.get(route.family)
        key = self.project.spec.project_id
        if limiter is not None:
            refusal = limiter.acquire(key)
            if refusal is not None:
                return self._too_many(refusal.message, refusal.retry_after)
        response = self._route(route, request, entry, gate)
        if limiter is not None:
            release: Callable[[], None] = lambda: limiter.release(key)  # noqa: E731
            response.on_close.append(release)
        return response

    def _too_many(self, message: str, retry_after: int | None) -> SimResponse:
        headers = {}
        if retry_after is not None and self.send_retry_after:
            headers["Retry-After"] = str(retry_after)
        return error(429, message, headers)

    def _route(self, route: Route, request: SimRequest, entry: LogEntry, gate: Gate) -> SimResponse:
        path, now = request.path, self.now()
        if path == "/api/2.0/export":
            return export_route.export(self.project, self.faults, request, entry, now, gate.slow)
        if path == "/api/query/events/names":
            return self.queries.names(request)
        if path == "/api/query/events/top":
            return self.queries.top(request, now)
        if path == "/api/query/engage":
            return self.queries.engage(request, now)
        return me_route.me(gate.account, gate.organization, self.project.spec)
