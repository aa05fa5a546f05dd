"""The cast of a synthetic project: accounts, their users and their quirks, fixed by the seed.

Everything the day generator needs per user is pre-rendered here once (the JSON fragment of
its properties), so generating a million events a day only concatenates strings.
"""

from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass
from typing import Literal

from local.mixpanel_sim import catalog
from local.mixpanel_sim.shapes import day_level
from local.mixpanel_sim.spec import ProjectSpec

Shape = Literal["steady", "ramping", "declining", "eroding", "churned", "new"]
AccountKind = Literal["customer", "qa", "unassigned"]
# matched: in the CRM with external_crm_id == company_id; crm_id_mismatch: in the CRM under
# another external id (found by domain or custom field); missing: never in the CRM;
# late: added to the CRM later (rematch demo); internal: QA/test values, never in the CRM.
CrmStatus = Literal["matched", "crm_id_mismatch", "missing", "late", "internal"]

SHAPE_SHARES: tuple[tuple[Shape, float], ...] = (
    ("ramping", 0.14),
    ("declining", 0.14),
    ("eroding", 0.08),
    ("churned", 0.10),
    ("new", 0.10),
    ("steady", 0.44),
)
CRM_SHARES: tuple[tuple[CrmStatus, float], ...] = (
    ("crm_id_mismatch", 0.04),
    ("missing", 0.05),
    ("late", 0.05),
    ("matched", 0.86),
)
QA_VALUES: tuple[str, ...] = ("qa-internal", "test")
# How the unassigned users write the group key: blank, whitespace, null, absent, empty lists.
BLANK_GROUP_VALUES: tuple[object, ...] = ("", "   ", None, ..., [], ["", " "])
MIN_DECLINING_USERS = 6
BOT_SHARE = 0.05  # the sync bot's daily events, against the users' weekday volume
NUMERIC_ID_SHARE = 0.15  # company ids that are numbers (server-side code sends them as such)
LIST_STYLE_SHARE = 0.2  # accounts whose SDK uses set_group (one-element lists)
DOMAIN_ON_EVENTS_SHARE = 0.6  # accounts whose web app registers company_domain


@dataclass(frozen=True, slots=True)
class UserPlan:
    distinct_id: str
    email: str
    name: str
    activity: float  # chance to be active on a weekday
    depth: float  # multiplier on the account's events per active user
    lib: Literal["web", "python"]
    fragment: str  # pre-rendered JSON properties, starting with "distinct_id"
    profile_domain: str | None  # company_domain on the user profile (None: no such property)
    domain_on_events: bool  # company_domain sent as a super property on events
    group_value: object  # what the events carry under the group key (... = absent)
    created_days_ago: int


@dataclass(frozen=True, slots=True)
class AccountPlan:
    index: int
    kind: AccountKind
    name: str
    domain: str  # canonical (lowercase) domain
    company_id: str  # the group value, as a string
    numeric_id: bool  # server-side users send the id as a JSON number
    list_style: bool  # SDK set_group: the value is a one-element list
    shape: Shape
    decline_mode: Literal["users", "depth"] | None
    churned_days_ago: int  # churned: no events from this many days before yesterday on
    started_days_ago: int  # new: no events before this many days before yesterday
    intensity: float  # events per active user on a normal weekday (before user depth)
    peak_ms: int  # time of day (ms, UTC) around which sessions start
    event_names: tuple[str, ...]
    cum_weights: tuple[float, ...]
    features: tuple[str, ...]  # tracked-worthy features this account uses at all
    users: tuple[UserPlan, ...]
    crm_status: CrmStatus
    domain_on_events: bool


@dataclass(frozen=True, slots=True)
class ProjectPlan:
    spec: ProjectSpec
    accounts: tuple[AccountPlan, ...]  # customers, then QA accounts, then the unassigned users
    hot_shard_account: int  # index into `accounts`
    scale: float  # multiplier on intensities (target_events_per_day)
    weekday_events: float  # expected events of a plain weekday at scale 1
    bot_events: int  # the sync bot's events a day (exactly this many on the hot-shard day)

    @property
    def customers(self) -> tuple[AccountPlan, ...]:
        return tuple(a for a in self.accounts if a.kind == "customer")


def _rng(spec: ProjectSpec, *salt: object) -> random.Random:
    """A generator for one purpose; string seeds hash with SHA-512, stable across runs."""
    return random.Random(":".join(str(s) for s in (spec.seed, *salt)))


def _assign(rng: random.Random, n: int, shares: tuple[tuple[str, float], ...]) -> list[str]:
    """Spread labels over n slots by share (last label takes the rest), each present at least
    once when n allows it, in a seeded random order."""
    labels: list[str] = []
    for label, share in shares[:-1]:
        count = round(n * share)
        if count == 0 and n >= 2 * len(shares):
            count = 1
        labels.extend([label] * count)
    labels = labels[:n]
    labels.extend([shares[-1][0]] * (n - len(labels)))
    rng.shuffle(labels)
    return labels


def _flags(spec: ProjectSpec, salt: str, n: int, share: float) -> list[bool]:
    """n booleans, `share` of them true (at least one either way when n allows it)."""
    labels = _assign(_rng(spec, salt), n, (("yes", share), ("no", 1.0 - share)))
    return [label == "yes" for label in labels]


def _company_names(rng: random.Random, n: int) -> list[str]:
    combos = [f"{h} {t}" for h in catalog.NAME_HEADS for t in catalog.NAME_TAILS]
    rng.shuffle(combos)
    names = combos[:n]
    k = 2
    while len(names) < n:
        names.extend(f"{c} {k}" for c in combos[: n - len(names)])
        k += 1
    return names


def _domain(name: str, rng: random.Random, taken: set[str]) -> str:
    base = "".join(ch for ch in name.lower() if ch.isalnum())
    domain = base + rng.choice(catalog.TLDS)
    while domain in taken:
        domain = base + str(rng.randint(2, 999)) + rng.choice(catalog.TLDS)
    taken.add(domain)
    return domain


def _company_id(rng: random.Random, numeric: bool, taken: set[str]) -> str:
    alphabet = "abcdefghijkmnpqrstuvwxyz23456789"
    while True:
        if numeric:
            value = str(rng.randint(10_000, 999_999))
        else:
            value = "cmp_" + "".join(rng.choice(alphabet) for _ in range(8))
        if value not in taken:
            taken.add(value)
            return value


def _user_count(rng: random.Random, spec: ProjectSpec, shape: Shape) -> int:
    median = spec.mean_users_per_account / math.exp(0.6**2 / 2)
    n = round(math.exp(rng.gauss(math.log(median), 0.6)))
    floor = MIN_DECLINING_USERS if shape == "declining" else 2
    return max(floor, min(spec.max_users_per_account, n))


def _weights(rng: random.Random) -> tuple[tuple[str, ...], tuple[float, ...], tuple[str, ...]]:
    names: list[str] = []
    weights: list[float] = []
    for name, weight in catalog.TELEMETRY:
        names.append(name)
        weights.append(weight * rng.uniform(0.8, 1.2))
    features: list[str] = []
    for name, weight, adoption in catalog.FEATURES:
        if rng.random() < adoption:
            names.append(name)
            features.append(name)
            weights.append(weight * rng.uniform(0.5, 1.5))
    cum: list[float] = []
    total = 0.0
    for w in weights:
        total += w
        cum.append(total)
    return tuple(names), tuple(cum), tuple(features)


def _render(props: dict[str, object]) -> str:
    return json.dumps(props, separators=(",", ":"))[1:-1]


def _user(
    rng: random.Random,
    spec: ProjectSpec,
    *,
    domain: str,
    group_value: object,
    domain_on_events: bool,
    lib: Literal["web", "python"],
) -> UserPlan:
    alphabet = "0123456789abcdefghijklmnopqrstuvwxyz"
    distinct_id = "u_" + "".join(rng.choice(alphabet) for _ in range(10))
    first, last = rng.choice(catalog.FIRST_NAMES), rng.choice(catalog.LAST_NAMES)
    on_events = domain_on_events and lib == "web"
    props: dict[str, object] = {"distinct_id": distinct_id}
    if group_value is not ...:
        props[spec.group_key] = group_value
    if on_events:
        props[spec.domain_property] = domain
    if lib == "web":
        props.update(_web_defaults(rng, distinct_id))
    else:
        props.update({"mp_lib": "python", "$lib_version": "4.10.1"})
    r = rng.random()
    if r < 0.03:
        profile_domain = None  # the profile never got the property
    elif r < 0.06:
        profile_domain = "www." + domain if r < 0.045 else domain.upper()
    else:
        profile_domain = domain
    return UserPlan(
        distinct_id=distinct_id,
        email=f"{first.lower()}.{last.lower()}@{domain}",
        name=f"{first} {last}",
        activity=rng.uniform(0.35, 0.95),
        depth=math.exp(rng.gauss(0.0, 0.35)),
        lib=lib,
        fragment=_render(props),
        profile_domain=profile_domain,
        domain_on_events=on_events,
        group_value=group_value,
        created_days_ago=rng.randint(20, 900),
    )


def _web_defaults(rng: random.Random, distinct_id: str) -> dict[str, object]:
    """The default properties Mixpanel's JavaScript SDK adds to every event of a browser."""
    city, region, country = rng.choice(catalog.PLACES)
    width, height = rng.choice(((1920, 1080), (1440, 900), (2560, 1440), (1366, 768)))
    return {
        "$browser": rng.choice(("Chrome", "Chrome", "Firefox", "Safari", "Edge")),
        "$browser_version": rng.randint(118, 131),
        "$city": city,
        "$device_id": f"{rng.getrandbits(48):012x}-{rng.getrandbits(32):08x}",
        "$initial_referrer": "$direct",
        "$initial_referring_domain": "$direct",
        "$lib_version": "2.55.1",
        "$os": rng.choice(("Mac OS X", "Windows", "Linux")),
        "$region": region,
        "$screen_height": height,
        "$screen_width": width,
        "$user_id": distinct_id,
        "mp_country_code": country,
        "mp_lib": "web",
    }


def _lib(rng: random.Random) -> Literal["web", "python"]:
    return "web" if rng.random() < 0.8 else "python"


def _group_value(rng: random.Random, account: dict[str, object], lib: str) -> object:
    """The group key as this user's SDK writes it: a string, a number from server-side code
    on numeric ids, a one-element list after set_group, now and then padded with spaces."""
    cid = str(account["company_id"])
    if account["numeric_id"] and lib == "python":
        return int(cid)
    if account["list_style"]:
        return [cid]
    if rng.random() < 0.02:
        return f" {cid} "
    return cid


def build_plan(spec: ProjectSpec) -> ProjectPlan:
    """Build the cast for `spec`; deterministic for (seed, accounts, user knobs)."""
    rng = _rng(spec, "plan")
    n = spec.accounts
    shapes = _assign(_rng(spec, "shapes"), n, SHAPE_SHARES)
    crm = _assign(_rng(spec, "crm"), n, CRM_SHARES)
    names = _company_names(rng, n)
    domains: set[str] = set()
    ids: set[str] = set(QA_VALUES)
    numeric = _flags(spec, "numeric", n, NUMERIC_ID_SHARE)
    list_style = _flags(spec, "list", n, LIST_STYLE_SHARE)
    on_events = _flags(spec, "domain-on-events", n, DOMAIN_ON_EVENTS_SHARE)
    raw: list[dict[str, object]] = []
    for i in range(n):
        raw.append(
            {
                "name": names[i],
                "domain": _domain(names[i], rng, domains),
                "company_id": _company_id(rng, numeric[i], ids),
                "numeric_id": numeric[i],
                "list_style": list_style[i],
                "domain_on_events": on_events[i],
            }
        )
    accounts = [_customer(spec, i, raw, shapes[i], crm[i]) for i in range(n)]
    accounts.extend(_qa_account(spec, n + k, value) for k, value in enumerate(QA_VALUES))
    accounts.append(_unassigned(spec, n + len(QA_VALUES), accounts))
    hot = next((a.index for a in accounts if a.shape == "steady" and a.kind == "customer"), 0)
    weekday = expected_weekday_events(accounts)
    scale = 1.0
    if spec.target_events_per_day:
        per_unit = weekday * (1 + spec.anonymous_share + BOT_SHARE) * (1 + spec.duplicate_rate)
        scale = spec.target_events_per_day / max(1.0, per_unit)
    bot = spec.bot_events_per_day
    if bot is None:
        bot = round(BOT_SHARE * weekday * scale)
    return ProjectPlan(
        spec=spec,
        accounts=tuple(accounts),
        hot_shard_account=hot,
        scale=scale,
        weekday_events=weekday,
        bot_events=bot if spec.hot_shard_days_ago is not None else 0,
    )


def _customer(
    spec: ProjectSpec, i: int, raw: list[dict[str, object]], shape: str, crm: str
) -> AccountPlan:
    rng = _rng(spec, "account", i)
    info = raw[i]
    domain = str(info["domain"])
    on_events = bool(info["domain_on_events"])
    users: list[UserPlan] = []
    for k in range(_user_count(rng, spec, shape)):  # type: ignore[arg-type]
        lib = _lib(rng)
        if k == 0 and info["numeric_id"]:
            lib = "python"  # numeric ids reach Mixpanel as numbers from the backend
        value = _group_value(rng, info, lib)
        users.append(
            _user(rng, spec, domain=domain, group_value=value, domain_on_events=on_events, lib=lib)
        )
    if len(raw) >= 10 and rng.random() < 0.08:
        # A consultant working for two customers: add_group writes both ids as a list.
        other = raw[(i + 1 + rng.randrange(len(raw) - 1)) % len(raw)]
        value = [str(info["company_id"]), str(other["company_id"])]
        users.append(
            _user(rng, spec, domain=domain, group_value=value, domain_on_events=False, lib="web")
        )
    event_names, cum, features = _weights(rng)
    us_hours = rng.random() < 0.7
    peak_hour = rng.uniform(14.0, 21.0) if us_hours else rng.uniform(7.0, 12.0)
    return AccountPlan(
        index=i,
        kind="customer",
        name=str(info["name"]),
        domain=domain,
        company_id=str(info["company_id"]),
        numeric_id=bool(info["numeric_id"]),
        list_style=bool(info["list_style"]),
        shape=shape,  # type: ignore[arg-type]
        decline_mode=rng.choice(("users", "depth")) if shape == "declining" else None,
        churned_days_ago=rng.randint(14, 30),
        started_days_ago=rng.randint(5, 20),
        intensity=spec.events_per_active_user * rng.uniform(0.5, 1.5),
        peak_ms=int(peak_hour * 3_600_000),
        event_names=event_names,
        cum_weights=cum,
        features=features,
        users=tuple(users),
        crm_status=crm,  # type: ignore[arg-type]
        domain_on_events=on_events,
    )


def _qa_account(spec: ProjectSpec, index: int, value: str) -> AccountPlan:
    rng = _rng(spec, "qa", value)
    domain = "example-product.com"
    users = tuple(
        _user(rng, spec, domain=domain, group_value=value, domain_on_events=True, lib=_lib(rng))
        for _ in range(3)
    )
    event_names, cum, features = _weights(rng)
    return AccountPlan(
        index=index,
        kind="qa",
        name=f"Internal ({value})",
        domain=domain,
        company_id=value,
        numeric_id=False,
        list_style=False,
        shape="steady",
        decline_mode=None,
        churned_days_ago=0,
        started_days_ago=0,
        intensity=spec.events_per_active_user,
        peak_ms=16 * 3_600_000,
        event_names=event_names,
        cum_weights=cum,
        features=features,
        users=users,
        crm_status="internal",
        domain_on_events=True,
    )


def _unassigned(spec: ProjectSpec, index: int, accounts: list[AccountPlan]) -> AccountPlan:
    """Users whose events carry a blank, null, empty or missing group value."""
    rng = _rng(spec, "unassigned")
    total_users = sum(len(a.users) for a in accounts)
    count = max(len(BLANK_GROUP_VALUES), round(total_users * 0.004))
    users = []
    for k in range(count):
        value = BLANK_GROUP_VALUES[k % len(BLANK_GROUP_VALUES)]
        users.append(
            _user(
                rng,
                spec,
                domain="gmail.com",
                group_value=value,
                domain_on_events=False,
                lib=_lib(rng),
            )
        )
    event_names, cum, features = _weights(rng)
    return AccountPlan(
        index=index,
        kind="unassigned",
        name="(no account)",
        domain="gmail.com",
        company_id="",
        numeric_id=False,
        list_style=False,
        shape="steady",
        decline_mode=None,
        churned_days_ago=0,
        started_days_ago=0,
        intensity=spec.events_per_active_user * 0.5,
        peak_ms=15 * 3_600_000,
        event_names=event_names,
        cum_weights=cum,
        features=features,
        users=tuple(users),
        crm_status="internal",
        domain_on_events=False,
    )


def expected_weekday_events(accounts: list[AccountPlan]) -> float:
    """Expected events of a weekday like yesterday at scale 1 (shapes at yesterday's level)."""
    total = 0.0
    for account in accounts:
        level = day_level(account, 0)
        for pos, user in enumerate(account.users):
            if level.silence_even_users and pos % 2 == 0:
                continue
            total += user.activity * account.intensity * level.depth * user.depth
    return total
