"""Which Mixpanel host answers which API, per data-residency region.

Residency is fixed per Mixpanel organization and real hosts encode it in the host name.
A base-URL override (the simulator, or any Mixpanel-compatible server) replaces every host
of every region; the region then travels in the `X-Mixpanel-Region` header instead, so the
server can still honour residency (and answer 401 for a project asked in the wrong region,
as Mixpanel does).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

REGION_HEADER = "X-Mixpanel-Region"

EXPORT_PATH = "/api/2.0/export"
APP_ME_PATH = "/api/app/me"
EVENT_NAMES_PATH = "/api/query/events/names"
TOP_EVENTS_PATH = "/api/query/events/top"
ENGAGE_PATH = "/api/query/engage"


class Region(StrEnum):
    US = "US"
    EU = "EU"
    IN = "IN"

    @classmethod
    def parse(cls, value: str | Region) -> Region:
        """Accept any case ('eu', 'EU'); refuse anything else with the allowed values."""
        try:
            return cls(str(value).strip().upper())
        except ValueError:
            allowed = ", ".join(r.value for r in cls)
            raise ValueError(f"unknown Mixpanel region {value!r}: use one of {allowed}") from None


# region -> (export host, query/app host)
REAL_HOSTS: dict[Region, tuple[str, str]] = {
    Region.US: ("https://data.mixpanel.com", "https://mixpanel.com"),
    Region.EU: ("https://data-eu.mixpanel.com", "https://eu.mixpanel.com"),
    Region.IN: ("https://data-in.mixpanel.com", "https://in.mixpanel.com"),
}


@dataclass(frozen=True)
class Hosts:
    """Base URLs for one region, plus the headers every request to them must carry."""

    region: Region
    export: str
    query: str
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def overridden(self) -> bool:
        return REGION_HEADER in self.headers


def hosts_for(region: Region | str, base_url: str | None = None) -> Hosts:
    """The hosts to call for `region`; `base_url` (MIXPANEL_BASE_URL) overrides all of them."""
    region = Region.parse(region)
    if base_url:
        base = base_url.rstrip("/")
        return Hosts(region, export=base, query=base, headers={REGION_HEADER: region.value})
    export, query = REAL_HOSTS[region]
    return Hosts(region, export=export, query=query)
