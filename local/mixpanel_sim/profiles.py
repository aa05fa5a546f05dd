"""User profiles of a synthetic project, as Mixpanel's Engage API returns them.

`company_domain` lives here for every user; only some users also send it on their events
(as a super property), which is what user-property mode has to cope with.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from local.mixpanel_sim.plan import ProjectPlan


def build_profiles(plan: ProjectPlan) -> list[dict[str, Any]]:
    """All profiles, sorted by distinct_id, each `{"$distinct_id", "$properties"}`."""
    spec = plan.spec
    profiles: list[dict[str, Any]] = []
    for account in plan.accounts:
        for user in account.users:
            created = spec.today - dt.timedelta(days=user.created_days_ago)
            props: dict[str, object] = {
                "$email": user.email,
                "$name": user.name,
                "$created": created.isoformat() + "T09:30:00",
                "$last_seen": spec.yesterday.isoformat() + "T17:05:00",
            }
            if user.profile_domain is not None:
                props[spec.domain_property] = user.profile_domain
            profiles.append({"$distinct_id": user.distinct_id, "$properties": props})
    profiles.sort(key=lambda p: str(p["$distinct_id"]))
    return profiles
