"""A service account never shows its secret, whatever renders it."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from tests.unit.mixpanel.fakes import SECRET, account
from usage_analytics.mixpanel import Region, ServiceAccount


def test_the_secret_is_hidden_from_repr_str_and_json_dumps() -> None:
    sa = account()
    for rendered in (repr(sa), str(sa), sa.model_dump_json(), f"{sa}", str(sa.model_dump())):
        assert SECRET not in rendered
    assert sa.secret.get_secret_value() == SECRET


def test_the_region_defaults_to_us_and_accepts_any_case() -> None:
    raw = {"username": "u", "secret": "s", "project_id": 1}
    assert ServiceAccount.model_validate(raw).region is Region.US
    assert ServiceAccount.model_validate({**raw, "region": "in"}).region is Region.IN


@pytest.mark.parametrize(
    "bad",
    [
        {"username": " ", "secret": SECRET, "project_id": 1},
        {"username": "u", "secret": SECRET, "project_id": 0},
        {"username": "u", "secret": SECRET, "project_id": 1, "region": "MARS"},
        {"username": "u", "secret": 12345678, "project_id": 1},
    ],
)
def test_invalid_accounts_are_refused_without_echoing_the_input(bad: dict[str, object]) -> None:
    with pytest.raises(ValidationError) as caught:
        ServiceAccount.model_validate(bad)
    assert SECRET not in str(caught.value)
    assert "12345678" not in str(caught.value)


def test_in_region_keeps_everything_but_the_region() -> None:
    moved = account().in_region(Region.IN)
    assert (moved.username, moved.project_id, moved.region) == (
        "usage-analytics.sa",
        4242,
        Region.IN,
    )
    assert moved.secret.get_secret_value() == SECRET
