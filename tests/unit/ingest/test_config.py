"""SPEC "Tracked features" (1 to 25, hard cap), exclusions, identity property."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from usage_analytics.ingest import AccountMapping, IdentityMode, IngestConfig

CRM = AccountMapping.parse("crm_id")


def test_twenty_five_features_are_accepted() -> None:
    config = IngestConfig.group(
        "company_id", tracked_features=[f"f{i}" for i in range(25)], mapping=CRM
    )
    assert len(config.tracked_features) == 25 and config.identity_mode is IdentityMode.GROUP


def test_a_twenty_sixth_feature_is_refused_with_a_clear_error() -> None:
    with pytest.raises(ValidationError, match="at most 25 tracked features"):
        IngestConfig.group("company_id", tracked_features=[f"f{i}" for i in range(26)], mapping=CRM)


def test_at_least_one_feature_is_required() -> None:
    with pytest.raises(ValidationError):
        IngestConfig.group("company_id", tracked_features=[], mapping=CRM)


def test_repeated_features_count_once() -> None:
    config = IngestConfig.group("company_id", tracked_features=["a", "b", "a"], mapping=CRM)
    assert config.tracked_features == ("a", "b")


def test_a_blank_feature_is_refused() -> None:
    with pytest.raises(ValidationError, match="cannot be blank"):
        IngestConfig.group("company_id", tracked_features=["a", " "], mapping=CRM)


@pytest.mark.parametrize("prop", ["time", "distinct_id", "$insert_id"])
def test_a_property_the_engine_reads_itself_cannot_name_the_account(prop: str) -> None:
    with pytest.raises(ValidationError, match="reads itself"):
        IngestConfig.user_property(prop, tracked_features=["a"], mapping=CRM)


def test_excluded_keys_are_trimmed_like_the_values_they_exclude() -> None:
    config = IngestConfig.group(
        "company_id", tracked_features=["a"], excluded_keys=[" qa ", "", "test"], mapping=CRM
    )
    assert config.excluded_keys == frozenset({"qa", "test"})


def test_the_resolver_maps_values_with_the_configured_mapping() -> None:
    config = IngestConfig.group(
        "company_id", tracked_features=["a"], mapping=AccountMapping.parse("domain")
    )
    resolve = config.resolver([{"id": "A1", "domain": "acme.com"}])
    assert resolve("www.ACME.com") == "A1" and resolve("other.com") is None
