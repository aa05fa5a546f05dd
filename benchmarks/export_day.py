"""A fast generator of one synthetic Mixpanel export day, for the ingest benchmark.

Lines look like real `/api/2.0/export` lines (about 25 properties: browser, city, URL,
library version, processing time...), so decoding costs what it costs in production. The
mix exercises the engine's slower paths in realistic proportions: about 20% of events carry
a list of group values, an exact duplicate, no `$insert_id`, a numeric or missing group
value, an identity event or a hot-shard rewrite; a handful of lines are malformed.

Accounts and users are skewed (a few large customers, a long tail), as in real projects.
Written with plain string formatting: generating 2,000,000 lines takes a few seconds.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

DAY_START = 1_717_200_000  # 2024-06-01T00:00:00Z
EVENT_NAMES = (
    ["Page View"] * 20
    + ["Button Click"] * 10
    + ["Login"] * 5
    + ["Search"] * 5
    + ["Report Viewed", "Export CSV", "Dashboard Created", "Invite Sent", "Comment Added"] * 2
    + [f"Feature {i}" for i in range(30)]
)
TRACKED = ("Login", "Search", "Report Viewed", "Export CSV", "Dashboard Created", "Feature 1")
BROWSERS = ("Chrome", "Firefox", "Safari", "Edge")
CITIES = ("Berlin", "San Francisco", "London", "Paris", "New York", "Tokyo", "Lagos", "Lyon")
OS = ("Mac OS X", "Windows", "Linux", "iOS", "Android")


@dataclass(frozen=True)
class DayShape:
    events: int = 1_000_000
    accounts: int = 2_000
    users: int = 50_000
    seed: int = 7


def account_id(index: int) -> str:
    return f"acct-{index:05d}"


def _user_fragments(shape: DayShape, rng: random.Random) -> list[tuple[str, str, str]]:
    """Per user: distinct_id, its group value JSON, and its static device properties."""
    weights = [1.0 / (i + 1) ** 0.8 for i in range(shape.accounts)]
    accounts = rng.choices(range(shape.accounts), weights=weights, k=shape.users)
    users = []
    for u, acct in enumerate(accounts):
        group = f'"{account_id(acct)}"'
        roll = rng.random()
        if roll < 0.05:  # add_group: a list of two or three companies
            others = rng.sample(range(shape.accounts), 2)
            group = "[" + ",".join(f'"{account_id(a)}"' for a in [acct, *others]) + "]"
        elif roll < 0.07:
            group = str(acct)  # a numeric id (matches no account: quarantined)
        elif roll < 0.09:
            group = "null"
        device = (
            f'"$browser":"{rng.choice(BROWSERS)}","$browser_version":{rng.randint(90, 130)},'
            f'"$city":"{rng.choice(CITIES)}","$country_code":"DE","$region":"Berlin",'
            f'"$os":"{rng.choice(OS)}","$screen_height":1080,"$screen_width":1920,'
            f'"$device_id":"{rng.getrandbits(64):016x}-{rng.getrandbits(32):08x}",'
            f'"$initial_referrer":"https://www.google.com/","$initial_referring_domain":'
            f'"www.google.com","$lib_version":"2.55.1","mp_lib":"web"'
        )
        users.append((f"user-{u:06d}@example.com", group, device))
    return users


def lines(shape: DayShape = DayShape()) -> Iterator[bytes]:
    """The day's export lines, newline-terminated, deterministic for a given shape."""
    rng = random.Random(shape.seed)
    users = _user_fragments(shape, rng)
    user_weights = [1.0 / (i + 1) ** 0.5 for i in range(shape.users)]
    picks = rng.choices(range(shape.users), weights=user_weights, k=shape.events)
    last = b""
    for n, u in enumerate(picks):
        distinct_id, group, device = users[u]
        roll = rng.random()
        if roll < 0.04 and last:
            yield last  # an exact duplicate (same $insert_id)
            continue
        name = rng.choice(EVENT_NAMES)
        time = DAY_START + rng.randrange(86_400)
        insert = f'"$insert_id":"{rng.getrandbits(96):024x}",'
        extra = ""
        if roll < 0.08:
            insert = ""  # no $insert_id: never deduplicated
        elif roll < 0.085:
            name = rng.choice(("$identify", "$merge", "$create_alias"))
        elif roll < 0.09:
            extra = f'"mp_original_event_name":"{name}","mp_original_distinct_id":"{distinct_id}",'
            name, distinct_id = "$hotshard_events", ""
        elif roll < 0.09001:
            yield b'{"event":"Broken","properties":{"time":"yesterday"}}\n'
            continue
        line = (
            f'{{"event":"{name}","properties":{{"time":{time},"distinct_id":"{distinct_id}",'
            f'{insert}{extra}"company_id":{group},{device},'
            f'"$current_url":"https://app.example.com/p/{n % 977}","page":"/p/{n % 977}",'
            f'"mp_processing_time_ms":{(time + 30) * 1000 + n % 1000},'
            f'"$mp_api_endpoint":"api-js.mixpanel.com","$mp_api_timestamp_ms":{time * 1000}}}}}\n'
        ).encode()
        last = line
        yield line


def crm_accounts(shape: DayShape = DayShape()) -> list[dict[str, object]]:
    """The CRM side: every account, matched by `external_crm_id` = the group value."""
    return [
        {"id": f"A{i}", "external_crm_id": account_id(i), "name": f"Account {i}"}
        for i in range(shape.accounts)
    ]
