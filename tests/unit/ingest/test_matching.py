"""SPEC "Mapping": crm_id, domain and cf::KEY, shared by ingest, preview and rematch."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from usage_analytics.ingest import AccountIndex, AccountMapping, CrmAccount, MappingKind

ACCOUNTS = [
    CrmAccount(
        id="A1",
        name="Acme",
        domain="WWW.Acme.com",
        external_crm_id="0015g00000AbC",
        custom_fields={"mixpanel_id": "acme-mp", "num": 42},
        seat_count=50,
    ),
    CrmAccount(id="A2", domain="globex.io", external_crm_id=7, custom_fields={"num": 42.0}),
    CrmAccount(id="A3", domain="", external_crm_id="   ", custom_fields={"mixpanel_id": None}),
]


def index(mapping: str, accounts: list[CrmAccount] = ACCOUNTS) -> AccountIndex:
    return AccountIndex(accounts, AccountMapping.parse(mapping))


def test_crm_id_matches_exactly_after_trimming() -> None:
    crm = index("crm_id")
    assert crm.resolve(" 0015g00000AbC ") == "A1"
    assert crm.resolve("0015g00000abc") is None  # CRM ids are case-sensitive
    assert crm.resolve("7") == "A2"  # a numeric CRM id compares as its decimal string


def test_domain_matches_case_insensitively_ignoring_a_leading_www() -> None:
    domain = index("domain")
    for value in ("acme.com", "ACME.COM", "www.acme.com", " Www.Acme.Com "):
        assert domain.resolve(value) == "A1", value
    assert domain.resolve("globex.io") == "A2"
    assert domain.resolve("mail.acme.com") is None
    assert domain.resolve("wwwacme.com") is None


def test_custom_field_matches_the_named_field() -> None:
    custom = index("cf::mixpanel_id")
    assert custom.resolve("acme-mp") == "A1"
    assert custom.resolve("A1") is None


def test_blank_account_keys_are_never_matched() -> None:
    assert index("crm_id").resolve("") is None
    assert index("domain").resolve("") is None


def test_a_key_shared_by_two_accounts_is_ambiguous_and_matches_none() -> None:
    numbers = index("cf::num")  # 42 and 42.0 are the same number
    assert numbers.resolve("42") is None
    assert numbers.ambiguous == {"42": ("A1", "A2")}
    assert numbers.candidates("42") == ("A1", "A2")


def test_the_preview_lists_each_value_with_its_account_or_why_not() -> None:
    preview = index("cf::num").preview(["42", "nope"])
    assert [(m.value, m.account_id, m.ambiguous) for m in preview] == [
        ("42", None, True),
        ("nope", None, False),
    ]
    matched = index("domain").preview(["acme.com"])[0]
    assert (matched.account_id, matched.candidates) == ("A1", ("A1",))


def test_accounts_may_be_plain_dicts_from_the_crm_mirror() -> None:
    crm = AccountIndex(
        [{"id": "D1", "external_crm_id": "x", "unknown_field": 1}], AccountMapping.parse("crm_id")
    )
    assert crm.resolve("x") == "D1" and len(crm) == 1


@pytest.mark.parametrize(
    ("text", "kind", "key"),
    [
        ("crm_id", MappingKind.CRM_ID, None),
        ("domain", MappingKind.DOMAIN, None),
        ("cf::Mixpanel Id", MappingKind.CUSTOM_FIELD, "Mixpanel Id"),
    ],
)
def test_mappings_parse_and_print_in_their_wire_form(
    text: str, kind: MappingKind, key: str | None
) -> None:
    mapping = AccountMapping.parse(text)
    assert (mapping.kind, mapping.key) == (kind, key)
    assert str(mapping) == text


@pytest.mark.parametrize("text", ["cf::", "cf::  ", "email", ""])
def test_an_unusable_mapping_is_refused(text: str) -> None:
    with pytest.raises((ValueError, ValidationError)):
        AccountMapping.parse(text)


def test_a_key_is_refused_on_mappings_that_take_none() -> None:
    with pytest.raises(ValidationError):
        AccountMapping(kind=MappingKind.DOMAIN, key="x")
