"""The Mixpanel API as the service uses it: verify a connection, stream a day's raw events,
sample event names for the probe, and look user profiles up for user-property mode.

Adapters come in as parameters (an `httpx.Client`, the limiter, `sleep`, the RNG, a clock)
so tests drive it through `httpx.MockTransport` with no network and no waiting. Nothing is
read from the environment here: the caller passes `get_settings().mixpanel_base_url`.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import httpx

from usage_analytics.clock import Clock
from usage_analytics.mixpanel.credentials import ServiceAccount
from usage_analytics.mixpanel.errors import (
    BadCredentials,
    MixpanelError,
    PlanWithoutApiAccess,
    ProjectForbidden,
    ProjectNotFound,
    UnexpectedResponse,
    WrongRegion,
)
from usage_analytics.mixpanel.hosts import (
    APP_ME_PATH,
    ENGAGE_PATH,
    EVENT_NAMES_PATH,
    EXPORT_PATH,
    TOP_EVENTS_PATH,
    Region,
    hosts_for,
)
from usage_analytics.mixpanel.limiter import ProjectLimiter, shared_limiter
from usage_analytics.mixpanel.models import EventCount, ProjectInfo
from usage_analytics.mixpanel.retry import RetryPolicy
from usage_analytics.mixpanel.stream import ExportStream
from usage_analytics.mixpanel.transport import LOGGER_NAME, MixpanelTransport
from usage_analytics.settings import Settings

DEFAULT_TIMEOUT = 300.0  # seconds between bytes; large export days take minutes
MAX_EXPORT_LIMIT = 100_000
ENGAGE_BATCH_SIZE = 2_000  # distinct_ids per engage query: well inside a form POST's limits
ENGAGE_PAGE_SIZE = 1_000  # Mixpanel's page size, used when the answer does not say


class MixpanelClient:
    def __init__(
        self,
        account: ServiceAccount,
        *,
        base_url: str | None = None,
        http: httpx.Client | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        limiter: ProjectLimiter | None = None,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        clock: Clock | None = None,
        logger: logging.Logger | None = None,
    ) -> None:
        if timeout <= 60:
            raise ValueError("the Mixpanel read timeout must exceed 60 s: large exports stall")
        self.account = account
        self.hosts = hosts_for(account.region, base_url)
        self._base_url = base_url
        self._owns_http = http is None
        self._http = http if http is not None else httpx.Client(follow_redirects=False)
        self._timeout = timeout
        self._injected_limiter = limiter
        self._retry = retry or RetryPolicy()
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._clock = clock
        self._logger = logger or logging.getLogger(LOGGER_NAME)
        self._transport = MixpanelTransport(
            account,
            self.hosts,
            http=self._http,
            timeout=timeout,
            limiter=limiter or shared_limiter(self.hosts.export, account.project_id),
            retry=self._retry,
            sleep=sleep,
            rng=self._rng,
            logger=self._logger,
        )

    @classmethod
    def from_settings(
        cls, account: ServiceAccount, settings: Settings | None = None, **kwargs: Any
    ) -> MixpanelClient:
        """A client configured from the service settings (MIXPANEL_BASE_URL,
        MIXPANEL_TIMEOUT_SECONDS, USAGE_ANALYTICS_TODAY): what handlers should call."""
        from usage_analytics.clock import SystemClock
        from usage_analytics.settings import get_settings

        settings = settings or get_settings()
        kwargs.setdefault("base_url", settings.mixpanel_base_url)
        kwargs.setdefault("timeout", settings.mixpanel_timeout_seconds)
        kwargs.setdefault("clock", SystemClock(settings.today))
        return cls(account, **kwargs)

    def __repr__(self) -> str:
        return (
            f"MixpanelClient(project_id={self.account.project_id}, "
            f"region={self.account.region.value}, export={self.hosts.export!r})"
        )

    # lifecycle ---------------------------------------------------------------------------

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> MixpanelClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # verify ------------------------------------------------------------------------------

    def verify(self, *, detect_region: bool = False) -> ProjectInfo:
        """Prove the credentials reach the project and read its timezone.

        `/api/app/me` lists the projects the account can see; an account without the scope
        for it (403) is verified by a one-row export of yesterday instead (timezone unknown
        then). With `detect_region`, credentials refused here are tried in the other regions
        and a `WrongRegion` names the one that accepts them.
        """
        try:
            return self._verify_here()
        except BadCredentials:
            detected = self._region_accepting_credentials() if detect_region else None
            if detected is None:
                raise
            raise WrongRegion(
                f"These credentials are valid in Mixpanel's {detected.value} region, not "
                f"{self.account.region.value}: choose region {detected.value} and connect "
                "again.",
                detected=detected.value,
            ) from None

    def detect_region(self) -> Region:
        """The region whose hosts accept these credentials, the configured one first;
        raises the configured region's `BadCredentials` when none does."""
        try:
            self._verify_here()
            return self.account.region
        except BadCredentials:
            detected = self._region_accepting_credentials()
            if detected is None:
                raise
            return detected

    def _region_accepting_credentials(self) -> Region | None:
        """Another region where verification passes the credential check, if any."""
        for region in Region:
            if region == self.account.region:
                continue
            try:
                self._in_region(region)._verify_here()
            except (ProjectForbidden, ProjectNotFound, PlanWithoutApiAccess):
                return region  # the credentials passed there; the project has another problem
            except MixpanelError:
                continue  # refused, or no answer: not evidence for that region
            return region
        return None

    def _verify_here(self) -> ProjectInfo:
        project_id = self.account.project_id
        try:
            me = self._transport.json(
                "query", "GET", self.hosts.query, APP_ME_PATH, params={"project_id": project_id}
            )
        except ProjectForbidden:
            yesterday = self._today() - dt.timedelta(days=1)
            with self.export(yesterday, yesterday, limit=1) as rows:
                next(rows, None)
            return ProjectInfo(project_id, timezone=None, verified_by="export")
        project = find_project(me, project_id)
        if project is None:
            raise ProjectNotFound(
                f"Project {project_id} is not among the projects this service account can see "
                f"in Mixpanel's {self.account.region.value} region. Check the project ID, and "
                "in Mixpanel add the service account to that project."
            )
        timezone = project.get("timezone")
        name = project.get("name")
        return ProjectInfo(
            project_id,
            timezone=timezone if isinstance(timezone, str) and timezone else None,
            name=name if isinstance(name, str) else None,
        )

    # export ------------------------------------------------------------------------------

    def export(
        self,
        day_from: dt.date,
        day_to: dt.date,
        *,
        events: Sequence[str] | None = None,
        limit: int | None = None,
    ) -> ExportStream:
        """Raw events of `day_from..day_to` (inclusive) as JSON lines, one `bytes` per event
        without its newline, streamed and gzip-decoded on the fly.

        Nothing is sent until the first `next()`. Use it as a context manager (or exhaust
        it) so that an early stop releases the connection at once.
        """
        if day_to < day_from:
            raise ValueError(f"day_to {day_to} is before day_from {day_from}")
        if limit is not None and not 1 <= limit <= MAX_EXPORT_LIMIT:
            raise ValueError(f"limit must be between 1 and {MAX_EXPORT_LIMIT}")
        params: dict[str, str | int] = {
            "project_id": self.account.project_id,
            "from_date": day_from.isoformat(),
            "to_date": day_to.isoformat(),
        }
        if events:
            params["event"] = json.dumps(list(events))
        if limit is not None:
            params["limit"] = limit
        return ExportStream(self._transport.lines(self.hosts.export, EXPORT_PATH, params=params))

    # probe -------------------------------------------------------------------------------

    def event_names(self, limit: int = 255) -> list[str]:
        """The project's most common event names over the last 31 days."""
        payload = self._transport.json(
            "query",
            "GET",
            self.hosts.query,
            EVENT_NAMES_PATH,
            params={"project_id": self.account.project_id, "type": "general", "limit": limit},
        )
        if not isinstance(payload, list) or not all(isinstance(n, str) for n in payload):
            raise self._unexpected(EVENT_NAMES_PATH, "a JSON array of event names")
        return list(payload)

    def top_events(self, limit: int = 100) -> list[EventCount]:
        """Today's top events with their counts."""
        payload = self._transport.json(
            "query",
            "GET",
            self.hosts.query,
            TOP_EVENTS_PATH,
            params={"project_id": self.account.project_id, "type": "general", "limit": limit},
        )
        rows = payload.get("events") if isinstance(payload, dict) else None
        if not isinstance(rows, list):
            raise self._unexpected(TOP_EVENTS_PATH, 'an object with an "events" array')
        try:
            return [EventCount(str(row["event"]), int(row["amount"])) for row in rows]
        except (KeyError, TypeError, ValueError):
            raise self._unexpected(TOP_EVENTS_PATH, "events with a name and an amount") from None

    # engage ------------------------------------------------------------------------------

    def engage_profiles(
        self,
        distinct_ids: Iterable[str],
        output_properties: Sequence[str],
        *,
        batch_size: int = ENGAGE_BATCH_SIZE,
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        """`(distinct_id, properties)` for each of `distinct_ids` that has a profile.

        Ids are deduplicated and asked `batch_size` at a time; each batch follows Mixpanel's
        `session_id`/`page` paging until a short page. Ids without a profile are absent.
        """
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        for batch in _batches(_unique(distinct_ids), batch_size):
            yield from self._engage_batch(batch, list(output_properties))

    def _engage_batch(
        self, batch: list[str], output_properties: list[str]
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        form = {
            "distinct_ids": json.dumps(batch),
            "output_properties": json.dumps(output_properties),
        }
        page = 0
        answered = 0
        while True:
            payload = self._transport.json(
                "query",
                "POST",
                self.hosts.query,
                ENGAGE_PATH,
                params={"project_id": self.account.project_id},
                form=form,
            )
            results = payload.get("results") if isinstance(payload, dict) else None
            if not isinstance(results, list):
                raise self._unexpected(ENGAGE_PATH, 'an object with a "results" array')
            for profile in results:
                yield _profile(profile)
            answered += len(results)
            session_id = payload.get("session_id")
            page_size = payload.get("page_size") or ENGAGE_PAGE_SIZE
            if not session_id or len(results) < page_size or answered >= len(batch):
                return  # a short page, or every id answered: no query spent on an empty page
            page += 1
            form = {**form, "session_id": str(session_id), "page": str(page)}

    # helpers -----------------------------------------------------------------------------

    def _in_region(self, region: Region) -> MixpanelClient:
        return MixpanelClient(
            self.account.in_region(region),
            base_url=self._base_url,
            http=self._http,
            timeout=self._timeout,
            limiter=self._injected_limiter,
            retry=self._retry,
            sleep=self._sleep,
            rng=self._rng,
            clock=self._clock,
            logger=self._logger,
        )

    def _today(self) -> dt.date:
        if self._clock is None:
            from usage_analytics.clock import default_clock

            self._clock = default_clock()
        return self._clock.now().date()

    def _unexpected(self, path: str, expected: str) -> UnexpectedResponse:
        return UnexpectedResponse(
            f"Mixpanel answered {path} for project {self.account.project_id} with something "
            f"other than {expected}."
        )


def find_project(me: Any, project_id: int) -> dict[str, Any] | None:
    """The project's entry in an `/api/app/me` answer (`results.projects`, keyed by id)."""
    results = me.get("results", me) if isinstance(me, dict) else None
    projects = results.get("projects") if isinstance(results, dict) else None
    if isinstance(projects, dict):
        found = projects.get(str(project_id))
        return found if isinstance(found, dict) else None
    if isinstance(projects, list):
        for project in projects:
            if isinstance(project, dict) and str(project.get("id")) == str(project_id):
                return project
    return None


def _profile(profile: Any) -> tuple[str, dict[str, Any]]:
    if not isinstance(profile, dict) or "$distinct_id" not in profile:
        raise UnexpectedResponse("Mixpanel returned an engage profile without a $distinct_id.")
    properties = profile.get("$properties")
    return str(profile["$distinct_id"]), properties if isinstance(properties, dict) else {}


def _unique(values: Iterable[str]) -> Iterator[str]:
    seen: set[str] = set()
    for value in values:
        if value and value not in seen:
            seen.add(value)
            yield value


def _batches(values: Iterable[str], size: int) -> Iterator[list[str]]:
    batch: list[str] = []
    for value in values:
        batch.append(value)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
