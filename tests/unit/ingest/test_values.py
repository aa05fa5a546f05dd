"""How a raw property becomes account values: strings, numbers, lists, blanks."""

from __future__ import annotations

import pytest

from usage_analytics.ingest.values import account_values, number_to_value


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (42, "42"),
        (42.0, "42"),
        (-0.0, "0"),
        (4.2e1, "42"),
        (1e20, "100000000000000000000"),
        (12345678901234567890, "12345678901234567890"),
        (42.5, "42.5"),
        (0.1, "0.1"),
        (1e-7, "0.0000001"),
        (-3.25, "-3.25"),
    ],
)
def test_a_number_is_written_as_its_decimal_string(number: float, text: str) -> None:
    assert number_to_value(number) == text


def test_non_finite_numbers_name_no_account() -> None:
    assert number_to_value(float("inf")) is None


@pytest.mark.parametrize(
    ("raw", "values"),
    [
        ("acme", ("acme",)),
        ("  acme \n", ("acme",)),
        ("", ()),
        (" \t ", ()),
        (None, ()),
        (True, ()),
        (False, ()),
        ({"id": "acme"}, ()),
        ([], ()),
        (["b", "a", "b", " a"], ("b", "a")),
        ([1, 1.0, "1"], ("1",)),
        ([["nested"], None, "", "x"], ("x",)),
    ],
)
def test_account_values_are_trimmed_distinct_and_in_first_seen_order(
    raw: object, values: tuple[str, ...]
) -> None:
    assert account_values(raw) == values
