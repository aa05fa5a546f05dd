"""SPEC "Attributing events to accounts" and "Account-day row", group mode, rule by rule."""

from __future__ import annotations

import pytest

from tests.unit.ingest.world import (
    T0,
    by_account,
    by_value,
    event,
    group_config,
    run,
)

pytestmark = pytest.mark.usefixtures("engine")

# -- account values -------------------------------------------------------------------------


def test_given_a_string_group_value_then_the_event_counts_for_the_matching_account() -> None:
    rows = run([event(company_id="acme")])
    assert by_account(rows)["A-acme"].events == 1
    assert rows.quarantine == []


def test_given_a_value_with_surrounding_whitespace_then_it_is_trimmed_before_matching() -> None:
    rows = run([event(company_id="  acme\t")])
    assert by_account(rows)["A-acme"].events == 1


@pytest.mark.parametrize("number", [42, 42.0, 4.2e1])
def test_given_a_number_then_it_matches_as_its_decimal_string(number: float) -> None:
    """42 and 42.0 are the same JSON number; both name CRM id "42"."""
    rows = run([event(company_id=number)])
    assert by_account(rows) == {"A-42": by_account(rows)["A-42"]}
    assert by_account(rows)["A-42"].events == 1


def test_given_a_non_integral_number_then_it_is_quarantined_under_its_decimal_string() -> None:
    rows = run([event(company_id=42.5), event(company_id=1e-7)])
    assert set(by_value(rows)) == {"42.5", "0.0000001"}


def test_given_the_string_42_point_0_then_it_stays_a_string_and_does_not_match_42() -> None:
    """Only numbers are normalized; a string is the value as written."""
    rows = run([event(company_id="42.0")])
    assert rows.accounts == []
    assert set(by_value(rows)) == {"42.0"}


def test_given_a_list_then_each_distinct_element_counts_once() -> None:
    rows = run([event("Report Viewed", company_id=["acme", "globex", "acme", " acme "])])
    accounts = by_account(rows)
    assert set(accounts) == {"A-acme", "A-globex"}
    assert accounts["A-acme"].events == 1
    assert accounts["A-acme"].feature_counts == {"Report Viewed": 1}
    assert accounts["A-globex"].events == 1


def test_given_an_event_with_three_values_then_it_counts_once_for_each_of_the_three() -> None:
    rows = run([event(company_id=["acme", "globex", "initech"])])
    assert {k: u.events for k, u in by_account(rows).items()} == {
        "A-acme": 1,
        "A-globex": 1,
        "A-initech": 1,
    }
    assert rows.stats.attributed == 1


def test_given_a_list_of_numbers_and_strings_then_each_is_normalized() -> None:
    rows = run([event(company_id=[42, "acme", True, None, {"x": 1}, ["nested"]])])
    assert set(by_account(rows)) == {"A-42", "A-acme"}
    assert rows.quarantine == []


def test_given_two_values_naming_the_same_account_then_the_event_counts_once_for_it() -> None:
    """Under the domain mapping `acme.com` and `WWW.acme.com` are one account."""
    config = group_config(mapping=group_config().mapping.parse("domain"))
    rows = run([event(company_id=["acme.com", "WWW.acme.com"])], config=config)
    assert by_account(rows)["A-acme"].events == 1


@pytest.mark.parametrize(
    "value", [None, "", "   ", "\t\n", [], [None, "", "  "], True, {"id": "acme"}]
)
def test_given_no_usable_value_then_the_event_goes_to_no_account(value: object) -> None:
    rows = run([event(company_id=value)])
    assert rows.accounts == [] and rows.quarantine == []
    assert rows.stats.no_account == 1 and rows.stats.attributed == 0


def test_given_the_group_property_is_missing_then_the_event_goes_to_no_account() -> None:
    rows = run([event(other="acme")])
    assert rows.stats.no_account == 1 and rows.accounts == []


# -- exclusions and quarantine ----------------------------------------------------------------


def test_given_an_excluded_value_then_it_is_never_counted_nor_quarantined() -> None:
    config = group_config(excluded_keys=["qa-internal", " acme "])
    rows = run([event(company_id="acme"), event(company_id=" qa-internal")], config=config)
    assert rows.accounts == [] and rows.quarantine == []
    assert rows.stats.excluded == 2


def test_given_a_list_with_an_excluded_value_then_only_the_others_count() -> None:
    config = group_config(excluded_keys=["qa-internal"])
    rows = run([event(company_id=["qa-internal", "acme", "unknown-co"])], config=config)
    assert set(by_account(rows)) == {"A-acme"}
    assert set(by_value(rows)) == {"unknown-co"}
    assert rows.stats.attributed == 1 and rows.stats.excluded == 0


def test_given_a_value_matching_no_account_then_it_is_quarantined_with_its_day_usage() -> None:
    rows = run(
        [
            event("Report Viewed", company_id=" newco ", distinct_id="u1", time=T0 + 10),
            event("Page View", company_id="newco", distinct_id="u2", time=T0 + 5),
        ]
    )
    assert rows.accounts == []
    usage = by_value(rows)["newco"]
    assert (usage.events, usage.active_users, usage.first_seen, usage.last_seen) == (
        2,
        2,
        T0 + 5,
        T0 + 10,
    )
    assert usage.feature_counts == {"Report Viewed": 1}
    assert rows.quarantine[0].workspace_id == "ws-1"


def test_given_a_value_shared_by_two_crm_accounts_then_it_is_quarantined_not_guessed() -> None:
    accounts = [{"id": "X1", "external_crm_id": "dup"}, {"id": "X2", "external_crm_id": "dup"}]
    rows = run([event(company_id="dup")], accounts=accounts)
    assert rows.accounts == [] and set(by_value(rows)) == {"dup"}


# -- duplicates and identity events ------------------------------------------------------------


def test_given_two_events_with_the_same_four_keys_then_they_count_once() -> None:
    line = event("Report Viewed", insert_id="x1", company_id="acme")
    rows = run([line, line])
    assert by_account(rows)["A-acme"].events == 1
    assert rows.stats.duplicates == 1


def test_given_a_duplicate_with_other_properties_then_it_still_counts_once() -> None:
    """The dedupe key is the four fields, whatever else the copies carry."""
    first = event(insert_id="x1", company_id="acme", page="/a")
    second = event(insert_id="x1", company_id="acme", page="/b")
    assert run([first, second]).stats.duplicates == 1


@pytest.mark.parametrize(
    "change",
    [
        {"name": "Export CSV"},
        {"distinct_id": "u2"},
        {"time": T0 + 1},
        {"insert_id": "x2"},
    ],
)
def test_given_events_differing_in_any_one_of_the_four_keys_then_both_count(
    change: dict[str, object],
) -> None:
    base: dict[str, object] = {
        "name": "Report Viewed",
        "distinct_id": "u1",
        "time": T0,
        "insert_id": "x1",
    }
    other = {**base, **change}
    rows = run(
        [event(company_id="acme", **base), event(company_id="acme", **other)]  # type: ignore[arg-type]
    )
    assert by_account(rows)["A-acme"].events == 2 and rows.stats.duplicates == 0


def test_given_identical_events_without_insert_id_then_they_are_never_deduplicated() -> None:
    line = event(insert_id=None, company_id="acme")
    rows = run([line, line, line])
    assert by_account(rows)["A-acme"].events == 3 and rows.stats.duplicates == 0


@pytest.mark.parametrize("name", ["$identify", "$create_alias", "$merge"])
def test_given_an_identity_bookkeeping_event_then_it_is_ignored(name: str) -> None:
    rows = run([event(name, company_id="acme")])
    assert rows.accounts == [] and rows.stats.ignored_identity == 1


# -- hot shards ------------------------------------------------------------------------------


def test_given_a_hot_shard_event_then_its_original_name_and_user_are_restored() -> None:
    line = event(
        "$hotshard_events",
        distinct_id="",
        company_id="acme",
        mp_original_event_name="Report Viewed",
        mp_original_distinct_id="power-user",
    )
    usage = by_account(run([line, event(company_id="acme", distinct_id="power-user")]))["A-acme"]
    assert usage.events == 2
    assert usage.feature_counts == {"Report Viewed": 1}
    assert usage.active_users == 1  # the restored user is the same person


def test_given_hot_shard_copies_of_one_event_then_they_dedupe_on_the_restored_key() -> None:
    line = event(
        "$hotshard_events",
        distinct_id="",
        insert_id="h1",
        company_id="acme",
        mp_original_event_name="Export CSV",
        mp_original_distinct_id="u9",
    )
    rows = run([line, line])
    assert by_account(rows)["A-acme"].events == 1 and rows.stats.hotshard_restored == 2


def test_given_a_hot_shard_event_without_originals_then_it_still_counts_without_a_user() -> None:
    usage = by_account(run([event("$hotshard_events", distinct_id="", company_id="acme")]))
    assert usage["A-acme"].events == 1 and usage["A-acme"].active_users == 0


def test_given_a_hot_shard_of_an_identity_event_then_it_is_still_ignored() -> None:
    line = event(
        "$hotshard_events", distinct_id="", company_id="acme", mp_original_event_name="$identify"
    )
    assert run([line]).stats.ignored_identity == 1


# -- the account-day row -------------------------------------------------------------------------


def test_feature_counts_hold_only_tracked_features() -> None:
    rows = run(
        [
            event("Report Viewed", company_id="acme"),
            event("Report Viewed", company_id="acme"),
            event("Export CSV", company_id="acme"),
            event("Page View", company_id="acme"),
        ]
    )
    usage = by_account(rows)["A-acme"]
    assert usage.events == 4
    assert usage.feature_counts == {"Export CSV": 1, "Report Viewed": 2}


def test_active_users_are_the_distinct_non_empty_distinct_ids() -> None:
    rows = run(
        [
            event(company_id="acme", distinct_id="u1"),
            event(company_id="acme", distinct_id="u1"),
            event(company_id="acme", distinct_id="u2"),
            event(company_id="acme", distinct_id=""),
            event(company_id="acme", distinct_id=None),
            event(company_id="acme", distinct_id=7),
            event(company_id="acme", distinct_id="7"),
        ]
    )
    usage = by_account(rows)["A-acme"]
    assert usage.events == 7
    assert usage.active_users == 3  # u1, u2, 7 (the number and the string are one user)
    assert usage.users_sketch is not None


def test_first_and_last_seen_are_the_earliest_and_latest_event_times() -> None:
    rows = run(
        [
            event(company_id="acme", time=T0 + 500),
            event(company_id="acme", time=T0 + 20),
            event(company_id="acme", time=T0 + 86_399),
            event(company_id="globex", time=T0 + 7),
        ]
    )
    acme = by_account(rows)["A-acme"]
    assert (acme.first_seen, acme.last_seen) == (T0 + 20, T0 + 86_399)
    assert by_account(rows)["A-globex"].first_seen == T0 + 7


def test_fractional_times_are_floored_to_epoch_seconds() -> None:
    usage = by_account(run([event(company_id="acme", time=T0 + 0.9)]))["A-acme"]
    assert usage.first_seen == T0 and usage.last_seen == T0


def test_rows_carry_the_workspace_and_day_sorted_by_account() -> None:
    rows = run([event(company_id="initech"), event(company_id="acme")])
    assert [r.account_id for r in rows.accounts] == ["A-acme", "A-initech"]
    assert {(r.workspace_id, r.day) for r in rows.accounts} == {("ws-1", rows.day)}


def test_an_empty_export_gives_no_rows_and_zero_stats() -> None:
    rows = run([])
    assert rows.accounts == [] and rows.quarantine == [] and rows.stats.lines_read == 0


def test_a_day_fed_in_parts_gives_the_same_rows_as_fed_at_once() -> None:
    from usage_analytics.ingest import DayAggregator

    lines = [event(company_id=c, distinct_id=f"u{i}") for i, c in enumerate(["acme"] * 3)]
    lines.append(lines[0])  # a duplicate across the parts
    config = group_config()
    aggregator = DayAggregator(config, config.resolver([{"id": "A", "external_crm_id": "acme"}]))
    aggregator.feed(lines[:2])
    aggregator.feed(lines[2:])
    result = aggregator.result()
    assert result.accounts["A"].events == 3
    assert result.stats.duplicates == 1 and result.stats.lines_read == 4


# -- dedupe memory -------------------------------------------------------------------------------


def test_dedupe_keeps_a_compact_key_per_event_with_an_insert_id_and_none_without(
    engine: str,
) -> None:
    lines = [event(company_id="acme", distinct_id=f"u{i}") for i in range(20_000)]
    lines += [event(company_id="acme", insert_id=None) for _ in range(5_000)]
    stats = run(lines).stats
    assert stats.dedupe_keys == 20_000
    if engine == "native":
        # an 8-byte slot in a table kept 35-70% full: 11 to 23 bytes per key
        assert 8 / 0.7 <= stats.dedupe_bytes_per_event <= 8 / 0.35
    else:
        # a 32-byte int plus its set slot (16 bytes at a 12-50% load, the set's growth
        # steps): ~137 bytes here, ~69 at 2M events, vs ~250 for the key itself
        assert 32 + 16 <= stats.dedupe_bytes_per_event < 150


def test_a_day_result_can_be_taken_only_once() -> None:
    from usage_analytics.ingest import DayAggregator

    config = group_config()
    aggregator = DayAggregator(config, config.resolver([]))
    aggregator.feed([event(company_id="acme")])
    aggregator.result()
    with pytest.raises(RuntimeError, match="double count"):
        aggregator.result()
