"""The CRM fixture matches the project the way a real CRM half-matches product data."""

from __future__ import annotations

import pytest

from local.mixpanel_sim.crm import crm_accounts, crm_late_additions
from local.mixpanel_sim.project import SyntheticProject
from local.mixpanel_sim.spec import ProjectSpec
from tests.unit.mixpanel_sim.conftest import TODAY


def normal(domain: str) -> str:
    domain = domain.strip().lower()
    return domain[4:] if domain.startswith("www.") else domain


@pytest.fixture(scope="module")
def default_project() -> SyntheticProject:
    return SyntheticProject(ProjectSpec(today=TODAY))


@pytest.fixture(scope="module")
def crm() -> list[dict[str, object]]:
    return crm_accounts()


def test_records_have_the_documented_fields(crm: list[dict[str, object]]) -> None:
    for record in crm:
        assert {"id", "name", "domain", "external_crm_id", "custom_fields"} <= set(record)
        assert isinstance(record["custom_fields"], dict)
        assert set(record) <= {
            "id",
            "name",
            "domain",
            "external_crm_id",
            "custom_fields",
            "seat_count",
        }
    with_seats = [r for r in crm if "seat_count" in r]
    assert 0.5 * len(crm) < len(with_seats) < len(crm)
    assert all(isinstance(r["seat_count"], int) and r["seat_count"] > 0 for r in with_seats)
    assert len({r["id"] for r in crm}) == len(crm)


def test_most_company_ids_are_external_crm_ids_and_some_are_missing(
    default_project: SyntheticProject, crm: list[dict[str, object]]
) -> None:
    external = {r["external_crm_id"] for r in crm}
    ids = [a.company_id for a in default_project.customers]
    matched = [i for i in ids if i in external]
    assert 0.8 * len(ids) <= len(matched) < len(ids)


def test_mismatched_ids_are_still_found_by_domain_and_custom_field(
    default_project: SyntheticProject, crm: list[dict[str, object]]
) -> None:
    by_name = {r["name"]: r for r in crm}
    mismatched = [a for a in default_project.customers if a.crm_status == "crm_id_mismatch"]
    assert mismatched
    for account in mismatched:
        record = by_name[account.name]
        assert record["external_crm_id"] != account.company_id
        assert normal(str(record["domain"])) == account.domain
        assert record["custom_fields"]["mixpanel_id"] == account.company_id  # type: ignore[index]


def test_domains_match_after_ignoring_case_and_a_leading_www(
    default_project: SyntheticProject, crm: list[dict[str, object]]
) -> None:
    domains = {a.domain for a in default_project.customers}
    crm_domains = [str(r["domain"]) for r in crm]
    assert any(d.lower().startswith("www.") for d in crm_domains)
    assert any(d != d.lower() for d in crm_domains)
    assert sum(normal(d) in domains for d in crm_domains) > 0.8 * len(crm_domains)


def test_late_additions_are_new_to_the_crm_and_join_it_when_asked(
    crm: list[dict[str, object]],
) -> None:
    late = crm_late_additions()
    assert late
    assert not {r["id"] for r in late} & {r["id"] for r in crm}
    with_late = crm_accounts(include_late_additions=True)
    assert {r["id"] for r in with_late} == {r["id"] for r in crm} | {r["id"] for r in late}


def test_some_crm_accounts_have_no_mixpanel_usage(
    default_project: SyntheticProject, crm: list[dict[str, object]]
) -> None:
    names = {a.name for a in default_project.customers}
    assert [r for r in crm if r["name"] not in names]


def test_the_fixture_is_deterministic_for_a_seed() -> None:
    assert crm_accounts(seed=3, accounts=50) == crm_accounts(seed=3, accounts=50)
    assert crm_accounts(seed=3, accounts=50) != crm_accounts(seed=4, accounts=50)
