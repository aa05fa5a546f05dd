"""One export day of a synthetic project, generated lazily, account by account.

Each day and account has its own seeded random stream, so any day can be produced alone,
in any order, with the same bytes every time, and a day of a million events streams with
the memory of one account. Lines are rendered straight to JSON text (the user's properties
are pre-rendered in the plan): the hot loop formats a few numbers and joins strings.

Records are `(event name, time in ms, line)`; `time` is the instant in the export frame
(UTC for new projects, the project's wall clock for old ones, as Mixpanel shifts it), and
the line ends with a newline.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
from collections.abc import Iterator
from functools import cache

from local.mixpanel_sim import catalog
from local.mixpanel_sim.plan import AccountPlan, ProjectPlan, UserPlan
from local.mixpanel_sim.shapes import DayLevel, day_level, weekday_activity

Record = tuple[str, int, str]

DAY_MS = 86_400_000
SESSION_MS = 3 * 3_600_000
SESSION_SPREAD_MS = 5_400_000
IDENTIFY_RATE = 0.02  # share of active web users that log in from a new device that day
MERGE_SHARE = 0.2  # share of those logins that also merge two identities
BOT_EVENTS = ("record_synced", "record_synced", "record_synced", "api_request")
_EPOCH = dt.date(1970, 1, 1)


def day_start_ms(day: dt.date) -> int:
    return (day - _EPOCH).days * DAY_MS


@cache
def _prefix(name: str) -> str:
    return catalog.event_prefix(name)


@cache
def _extras(name: str) -> tuple[str, str, str, str]:
    return catalog.extra_fragments(name)


def iter_day_records(
    plan: ProjectPlan, day: dt.date, *, time_in_ms: bool = False
) -> Iterator[Record]:
    """Every event of `day` in the project's export frame (empty outside the history)."""
    for batch in iter_day_batches(plan, day, time_in_ms=time_in_ms):
        yield from batch


def iter_day_batches(
    plan: ProjectPlan, day: dt.date, *, time_in_ms: bool = False
) -> Iterator[list[Record]]:
    """The day's events one account at a time (then the bot, then anonymous visitors):
    batches let the server move a million lines without a Python step per line."""
    spec = plan.spec
    if day < spec.first_day or day > spec.today:
        return
    start = day_start_ms(day)
    days_ago = (spec.yesterday - day).days
    weekday = weekday_activity(day)
    ordinal = day.toordinal()
    for account in plan.accounts:
        level = day_level(account, days_ago)
        if level.silent:
            continue
        rng = random.Random(f"{spec.seed}:{ordinal}:{account.index}")
        yield _account_records(plan, account, level, weekday, start, rng, time_in_ms)
    if spec.hot_shard_day is not None:
        rng = random.Random(f"{spec.seed}:{ordinal}:hotshard")
        hot = spec.hot_shard_day == day
        yield list(_bot_records(plan, start, rng, time_in_ms, hot=hot))
    rng = random.Random(f"{spec.seed}:{ordinal}:anonymous")
    yield list(_anonymous_records(plan, weekday, start, rng, time_in_ms))


def _account_records(
    plan: ProjectPlan,
    account: AccountPlan,
    level: DayLevel,
    weekday: float,
    start: int,
    rng: random.Random,
    ms: bool,
) -> list[Record]:
    spec = plan.spec
    dup_cut = int(spec.duplicate_rate * 65536)
    no_id_cut = dup_cut + int(spec.missing_insert_id_rate * 65536)
    kinds = _kinds(account.event_names)
    cum = account.cum_weights
    base = account.intensity * level.depth * plan.scale
    out: list[Record] = []
    append = out.append
    rand, gauss, bits64, choices = rng.random, rng.gauss, rng.getrandbits, rng.choices
    last = DAY_MS - 1
    for pos, user in enumerate(account.users):
        if level.silence_even_users and pos % 2 == 0:
            continue
        if rand() >= user.activity * weekday:
            continue
        lam = base * user.depth
        count = max(1, round(gauss(lam, 0.5 * math.sqrt(lam))))
        session = account.peak_ms + int(gauss(0.0, SESSION_SPREAD_MS))
        if user.lib == "web" and rand() < IDENTIFY_RATE:
            out.extend(_identity_records(user, session, start, rng, ms))
        frag = user.fragment
        for name, prefix, extras in choices(kinds, cum_weights=cum, k=count):
            t = session + int(rand() * SESSION_MS)
            t = (last if t > last else 0 if t < 0 else t) + start
            bits = bits64(64)
            proc = t + 300 + (bits & 0x1FFFF)
            if (bits >> 30) & 0x3FF == 0:
                proc += DAY_MS * (1 + (bits >> 50) % 3)  # arrived days late
            tv = t if ms else t // 1000
            r = (bits >> 17) & 0xFFFF
            extra = extras[bits >> 62]
            if r >= no_id_cut:
                append(
                    (
                        name,
                        t,
                        f'{prefix}{tv},"$insert_id":"{bits:016x}",'
                        f'"mp_processing_time_ms":{proc},{frag}{extra}}}}}\n',
                    )
                )
            elif r >= dup_cut:
                line = f'{prefix}{tv},"mp_processing_time_ms":{proc},{frag}{extra}}}}}\n'
                append((name, t, line))
                if (bits >> 33) & 7 == 0:
                    append((name, t, line))  # identical resend, nothing to dedupe on
            else:
                head = f'{prefix}{tv},"$insert_id":"{bits:016x}","mp_processing_time_ms":'
                tail = f",{frag}{extra}}}}}\n"
                append((name, t, f"{head}{proc}{tail}"))
                append((name, t, f"{head}{proc + 1_000 + ((bits >> 40) & 0xFFFF)}{tail}"))
    return out


@cache
def _kinds(names: tuple[str, ...]) -> tuple[tuple[str, str, tuple[str, str, str, str]], ...]:
    """(name, line prefix, property variants) per event name, drawn together in one choice."""
    return tuple((name, _prefix(name), _extras(name)) for name in names)


def _identity_records(
    user: UserPlan, session: int, start: int, rng: random.Random, ms: bool
) -> list[Record]:
    """A login from a new device: an anonymous page view, then `$identify` (and sometimes
    `$merge`), which carry the group key like any event but are not usage."""
    device = f"$device:{rng.getrandbits(64):016x}-{rng.getrandbits(32):08x}"
    t0 = min(DAY_MS - 2, max(0, session - 60_000)) + start
    anon = json.dumps(
        {
            "distinct_id": device,
            "$current_url": "https://app.example-product.com/login",
            "mp_lib": "web",
        },
        separators=(",", ":"),
    )[1:-1]
    out: list[Record] = []
    out.append(("page_view", t0, _line("page_view", t0, rng, anon, ms)))
    ident = f',"$anon_distinct_id":"{device}","$identified_id":"{user.distinct_id}"'
    out.append(("$identify", t0 + 1, _line("$identify", t0 + 1, rng, user.fragment + ident, ms)))
    if rng.random() < MERGE_SHARE:
        merged = f',"$distinct_ids":["{device}","{user.distinct_id}"]'
        out.append(("$merge", t0 + 2, _line("$merge", t0 + 2, rng, user.fragment + merged, ms)))
    return out


def _line(name: str, t: int, rng: random.Random, frag: str, ms: bool) -> str:
    bits = rng.getrandbits(64)
    tv = t if ms else t // 1000
    return (
        f'{_prefix(name)}{tv},"$insert_id":"{bits:016x}",'
        f'"mp_processing_time_ms":{t + 300 + (bits & 0x1FFFF)},{frag}}}}}\n'
    )


def _bot_records(
    plan: ProjectPlan, start: int, rng: random.Random, ms: bool, *, hot: bool
) -> Iterator[Record]:
    """A customer's sync bot, busy every day. On the hot-shard day it went past 200K events
    and Mixpanel rewrote its events to `$hotshard_events` with an empty distinct_id, keeping
    the originals in `mp_original_event_name` / `mp_original_distinct_id`."""
    spec = plan.spec
    account = plan.accounts[plan.hot_shard_account]
    bot = f"svc-sync-{account.company_id}"
    props: dict[str, object] = {
        "distinct_id": "",
        spec.group_key: account.company_id,
        "mp_original_distinct_id": bot,
        "mp_lib": "python",
    }
    if not hot:
        props = {"distinct_id": bot, spec.group_key: account.company_id, "mp_lib": "python"}
    common = json.dumps(props, separators=(",", ":"))[1:-1]
    count = plan.bot_events if hot else round(plan.bot_events * rng.uniform(0.9, 1.1))
    for _ in range(count):
        t = start + int(rng.random() * DAY_MS)
        original = BOT_EVENTS[rng.getrandbits(2)]
        if hot:
            name, frag = catalog.HOTSHARD_EVENT, f'{common},"mp_original_event_name":"{original}"'
        else:
            name, frag = original, common
        yield (name, t, _line(name, t, rng, frag, ms))


def _anonymous_records(
    plan: ProjectPlan, weekday: float, start: int, rng: random.Random, ms: bool
) -> Iterator[Record]:
    """Marketing-site traffic from visitors who never logged in: no group key at all."""
    spec = plan.spec
    count = round(spec.anonymous_share * plan.weekday_events * plan.scale * weekday)
    if count <= 0:
        return
    devices = [f"$device:{rng.getrandbits(64):016x}" for _ in range(max(5, count // 3))]
    pages = ("/", "/pricing", "/blog/customer-success", "/signup", "/docs")
    for _ in range(count):
        t = start + int(rng.random() * DAY_MS)
        device = devices[rng.randrange(len(devices))]
        url = "https://www.example-product.com" + pages[rng.randrange(len(pages))]
        frag = f'"distinct_id":"{device}","$current_url":"{url}","mp_lib":"web"'
        yield ("page_view", t, _line("page_view", t, rng, frag, ms))


def iter_late_records(
    plan: ProjectPlan, day: dt.date, count: int, salt: str, *, time_in_ms: bool = False
) -> Iterator[Record]:
    """Events imported after the day closed (/import accepts any day): extra usage from
    customers' users, processed long after their `time`."""
    start = day_start_ms(day)
    rng = random.Random(f"{plan.spec.seed}:{day.toordinal()}:late:{salt}")
    customers = plan.customers
    for _ in range(count):
        account = customers[rng.randrange(len(customers))]
        user = account.users[rng.randrange(len(account.users))]
        name = rng.choices(account.event_names, cum_weights=account.cum_weights)[0]
        t = start + int(rng.random() * DAY_MS)
        bits = rng.getrandbits(64)
        tv = t if time_in_ms else t // 1000
        proc = t + 2 * DAY_MS + (bits & 0xFFFFFF)
        line = (
            f'{_prefix(name)}{tv},"$insert_id":"{bits:016x}","mp_processing_time_ms":{proc},'
            f"{user.fragment}{_extras(name)[bits >> 62]}}}}}\n"
        )
        yield (name, t, line)
