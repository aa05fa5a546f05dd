"""The CRM side of the synthetic world: the platform's accounts that group values map to.

Built from the same seed as the project, so most `company_id` values equal an account's
`external_crm_id` and most `company_domain` values equal its domain (spelled with `www.` or
other case now and then). Some project accounts are missing (quarantine has work), a few
sit under another external id (found by domain or `cf::mixpanel_id`), and some arrive
later (`crm_late_additions`, for the nightly rematch demo). A few CRM accounts have no
Mixpanel usage at all.
"""

from __future__ import annotations

import random

from local.mixpanel_sim import catalog
from local.mixpanel_sim.plan import AccountPlan, build_plan
from local.mixpanel_sim.spec import DEFAULT_ACCOUNTS, DEFAULT_SEED, ProjectSpec

CRM_ONLY_SHARE = 0.05
SEAT_COUNT_SHARE = 0.7
TIERS = ("enterprise", "growth", "starter")


def crm_accounts(
    seed: int = DEFAULT_SEED,
    accounts: int = DEFAULT_ACCOUNTS,
    *,
    include_late_additions: bool = False,
    spec: ProjectSpec | None = None,
) -> list[dict[str, object]]:
    """The CRM's accounts today (with the late additions too when asked).

    Pass `spec` when the project was built with other user knobs; `seed` and `accounts`
    are then taken from it.
    """
    spec = _spec(seed, accounts, spec)
    plan = build_plan(spec)
    rng = random.Random(f"{spec.seed}:crm")
    records = []
    for account in plan.customers:
        status = account.crm_status
        if status in ("matched", "crm_id_mismatch") or (
            status == "late" and include_late_additions
        ):
            records.append(_record(account, random.Random(f"{spec.seed}:crm:{account.index}")))
    records.extend(_crm_only(rng, spec, {a.name for a in plan.customers}))
    return records


def crm_late_additions(
    seed: int = DEFAULT_SEED, accounts: int = DEFAULT_ACCOUNTS, *, spec: ProjectSpec | None = None
) -> list[dict[str, object]]:
    """Accounts the CRM gains later: their group values sit in quarantine until then."""
    spec = _spec(seed, accounts, spec)
    plan = build_plan(spec)
    return [
        _record(a, random.Random(f"{spec.seed}:crm:{a.index}"))
        for a in plan.customers
        if a.crm_status == "late"
    ]


def _spec(seed: int, accounts: int, spec: ProjectSpec | None) -> ProjectSpec:
    return spec if spec is not None else ProjectSpec(seed=seed, accounts=accounts)


def _record(account: AccountPlan, rng: random.Random) -> dict[str, object]:
    external = account.company_id
    if account.crm_status == "crm_id_mismatch":
        external = "0015g00000" + "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(5))
    custom_fields: dict[str, object] = {"tier": rng.choice(TIERS)}
    if rng.random() < 0.92 or account.crm_status == "crm_id_mismatch":
        custom_fields["mixpanel_id"] = account.company_id
    record: dict[str, object] = {
        "id": f"acct_{rng.getrandbits(48):012x}",
        "name": account.name,
        "domain": _domain_variant(account.domain, rng),
        "external_crm_id": external,
        "custom_fields": custom_fields,
    }
    if rng.random() < SEAT_COUNT_SHARE:
        users = len(account.users)
        record["seat_count"] = max(users, round(users * rng.uniform(1.0, 2.2)))
    return record


def _domain_variant(domain: str, rng: random.Random) -> str:
    """How people type domains into a CRM."""
    r = rng.random()
    if r < 0.12:
        return "www." + domain
    if r < 0.22:
        return domain.capitalize()
    if r < 0.27:
        return ("www." + domain).upper()
    return domain


def _crm_only(rng: random.Random, spec: ProjectSpec, taken: set[str]) -> list[dict[str, object]]:
    count = max(1, round(spec.accounts * CRM_ONLY_SHARE))
    records: list[dict[str, object]] = []
    while len(records) < count:
        name = f"{rng.choice(catalog.NAME_HEADS)} {rng.choice(catalog.NAME_TAILS)} Group"
        if name in taken:
            name = f"{name} {len(records) + 2}"
        if name in taken:
            continue
        taken.add(name)
        domain = "".join(ch for ch in name.lower() if ch.isalnum()) + ".com"
        record: dict[str, object] = {
            "id": f"acct_{rng.getrandbits(48):012x}",
            "name": name,
            "domain": domain,
            "external_crm_id": "0015g00000"
            + "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(5)),
            "custom_fields": {"tier": rng.choice(TIERS)},
        }
        if rng.random() < SEAT_COUNT_SHARE:
            record["seat_count"] = rng.randint(5, 80)
        records.append(record)
    return records
