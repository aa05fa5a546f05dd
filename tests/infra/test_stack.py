"""The synthesized template says what the architecture promises."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_cdk.assertions import Match

from tests.infra.conftest import definition_of
from usage_analytics.storage.tables import ALL_TABLES


def _of_type(resources: dict[str, Any], kind: str) -> dict[str, Any]:
    return {k: v for k, v in resources.items() if v["Type"] == kind}


def test_every_declared_table_exists_with_its_keys_indexes_pitr_and_kms(
    resources: dict[str, Any],
) -> None:
    tables = list(_of_type(resources, "AWS::DynamoDB::Table").values())
    assert len(tables) == len(ALL_TABLES)
    by_keys = {}
    for table in tables:
        props = table["Properties"]
        assert props["BillingMode"] == "PAY_PER_REQUEST"
        assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
        assert props["SSESpecification"]["SSEEnabled"] is True
        index_names = sorted(
            i["IndexName"]
            for i in props.get("GlobalSecondaryIndexes", [])
            + props.get("LocalSecondaryIndexes", [])
        )
        by_keys[tuple(index_names)] = props["KeySchema"]
    for spec in ALL_TABLES:
        names = tuple(sorted(i.name for i in spec.indexes))
        assert names in by_keys, f"{spec.id} indexes missing"
        assert by_keys[names][0] == {"AttributeName": "pk", "KeyType": "HASH"}


def test_daily_sync_runs_at_five_utc_and_rematch_nightly(
    template: Any, resources: dict[str, Any]
) -> None:
    rules = _of_type(resources, "AWS::Events::Rule")
    schedules = {r["Properties"].get("ScheduleExpression") for r in rules.values()}
    assert "cron(0 5 * * ? *)" in schedules
    assert "cron(0 2 * * ? *)" in schedules
    daily = next(
        r
        for r in rules.values()
        if r["Properties"].get("ScheduleExpression") == "cron(0 5 * * ? *)"
    )
    target = daily["Properties"]["Targets"][0]
    assert target["Arn"]["Ref"].startswith("DailySyncWorkflowDailySync")


def test_functions_are_python_312_arm64_with_the_layer_and_tracing(
    resources: dict[str, Any],
) -> None:
    functions = _of_type(resources, "AWS::Lambda::Function")
    assert len(functions) == 11
    for fn in functions.values():
        props = fn["Properties"]
        assert props["Runtime"] == "python3.12"
        assert props["Architectures"] == ["arm64"]
        assert len(props["Layers"]) == 1
        assert props["TracingConfig"] == {"Mode": "Active"}
        assert any(t["Key"] == "usage-analytics:entry" for t in props["Tags"])


def _policies_of(resources: dict[str, Any], function_prefix: str) -> list[dict[str, Any]]:
    role = next(
        k
        for k, v in resources.items()
        if v["Type"] == "AWS::IAM::Role" and k.startswith(function_prefix + "Role")
    )
    return [
        s
        for v in _of_type(resources, "AWS::IAM::Policy").values()
        if {"Ref": role} in v["Properties"]["Roles"]
        for s in v["Properties"]["PolicyDocument"]["Statement"]
    ]


def _resources_text(statements: list[dict[str, Any]], action_prefix: str) -> str:
    return json.dumps(
        [
            s["Resource"]
            for s in statements
            if any(
                a.startswith(action_prefix)
                for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
            )
        ]
    )


def test_no_function_has_wildcard_data_access(resources: dict[str, Any]) -> None:
    for logical, res in _of_type(resources, "AWS::IAM::Policy").items():
        for statement in res["Properties"]["PolicyDocument"]["Statement"]:
            actions = (
                statement["Action"]
                if isinstance(statement["Action"], list)
                else [statement["Action"]]
            )
            data_plane = [
                a for a in actions if a.startswith(("dynamodb:", "secretsmanager:", "states:Start"))
            ]
            if data_plane:
                assert statement["Resource"] != "*", f"{logical} grants {data_plane} on *"


def test_list_workspaces_only_reads_integrations(resources: dict[str, Any]) -> None:
    statements = _policies_of(resources, "ListWorkspaces")
    ddb = _resources_text(statements, "dynamodb:")
    assert "Integrations" in ddb
    for other in ("Usage", "Quarantine", "Accounts", "SyncHistory", "BackfillProgress"):
        assert other not in ddb
    writes = [
        a
        for s in statements
        for a in (s["Action"] if isinstance(s["Action"], list) else [s["Action"]])
        if a in ("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem")
    ]
    assert writes == []


def test_only_the_workers_and_the_api_can_read_mixpanel_secrets(resources: dict[str, Any]) -> None:
    readers = set()
    for logical, res in _of_type(resources, "AWS::IAM::Policy").items():
        text = json.dumps(res["Properties"]["PolicyDocument"])
        if "secretsmanager:GetSecretValue" in text and "usage-analytics/mixpanel/" in text:
            readers.add(logical.split("Role")[0])
    assert readers == {"Api", "Probe", "BackfillDay", "DailySyncWorkspace"}


def test_the_authorizer_reads_only_the_jwt_secret(resources: dict[str, Any]) -> None:
    text = json.dumps(_policies_of(resources, "Authorizer"))
    assert "JwtSigningSecret" in text
    assert "usage-analytics/mixpanel/" not in text
    assert "dynamodb:" not in text


def test_backfill_is_plan_map_finalize_with_catch_to_mark_failed(resources: dict[str, Any]) -> None:
    d = definition_of(resources, "BackfillWorkflowBackfill")
    states = d["States"]
    assert d["StartAt"] == "Plan"
    assert states["Plan"]["Next"] == "Days"
    assert states["Days"]["Type"] == "Map"
    assert 1 <= states["Days"]["MaxConcurrency"] <= 3
    assert states["Days"]["Next"] == "Finalize"
    for name in ("Plan", "Days", "Finalize"):
        assert states[name]["Catch"][0]["ErrorEquals"] == ["States.ALL"]
        assert states[name]["Catch"][0]["Next"] == "MarkFailed"
    assert states["MarkFailed"]["Next"] == "BackfillFailed"
    assert states["BackfillFailed"]["Type"] == "Fail"
    day = states["Days"]["ItemProcessor"]["States"]["BackfillDay"]
    retried = {e for r in day["Retry"] for e in r["ErrorEquals"]}
    assert {"RateLimited", "TransientFailure"} <= retried
    assert "PermanentFailure" not in retried and "States.ALL" not in retried
    rate_limit = next(r for r in day["Retry"] if r["ErrorEquals"] == ["RateLimited"])
    assert rate_limit["BackoffRate"] == 2 and rate_limit["JitterStrategy"] == "FULL"
    assert day["TimeoutSeconds"] == 900


def test_backfill_times_out_just_after_its_soft_deadline(resources: dict[str, Any]) -> None:
    d = definition_of(resources, "BackfillWorkflowBackfill")
    assert d["TimeoutSeconds"] == (30 + 2) * 60
    plan = next(
        fn
        for k, fn in resources.items()
        if fn["Type"] == "AWS::Lambda::Function" and k.startswith("BackfillPlan")
    )
    assert plan["Properties"]["Environment"]["Variables"]["BACKFILL_TIMEOUT_MINUTES"] == "30"


@pytest.mark.parametrize(
    "machine,task",
    [
        ("DailySyncWorkflowDailySync", "DailySyncWorkspace"),
        ("RematchWorkflowRematch", "RematchWorkspace"),
    ],
)
def test_fan_outs_catch_each_workspace_failure_inside_the_distributed_map(
    resources: dict[str, Any], machine: str, task: str
) -> None:
    d = definition_of(resources, machine)
    fan_out = next(s for s in d["States"].values() if s["Type"] == "Map")
    assert fan_out["ItemProcessor"]["ProcessorConfig"]["Mode"] == "DISTRIBUTED"
    assert fan_out["ToleratedFailurePercentage"] == 100
    child = fan_out["ItemProcessor"]["States"][task]
    assert child["Catch"][0]["ErrorEquals"] == ["States.ALL"]
    assert child["Catch"][0]["Next"].endswith("RecordFailure")


def test_state_machines_log_and_trace(resources: dict[str, Any]) -> None:
    machines = _of_type(resources, "AWS::StepFunctions::StateMachine")
    assert len(machines) == 3
    for machine in machines.values():
        props = machine["Properties"]
        assert props["TracingConfiguration"] == {"Enabled": True}
        assert props["LoggingConfiguration"]["Level"] == "ALL"


def test_every_api_method_but_cors_preflight_uses_the_jwt_authorizer(
    resources: dict[str, Any],
) -> None:
    methods = _of_type(resources, "AWS::ApiGateway::Method")
    authorizer = next(iter(_of_type(resources, "AWS::ApiGateway::Authorizer")))
    assert resources[authorizer]["Properties"]["Type"] == "REQUEST"
    assert (
        resources[authorizer]["Properties"]["IdentitySource"]
        == "method.request.header.Authorization"
    )
    guarded = [m for m in methods.values() if m["Properties"]["HttpMethod"] != "OPTIONS"]
    assert guarded, "no routes"
    for method in guarded:
        assert method["Properties"]["AuthorizationType"] == "CUSTOM"
        assert method["Properties"]["AuthorizerId"] == {"Ref": authorizer}


def test_cors_allows_the_spa_origin(template: Any) -> None:
    template.has_resource_properties(
        "AWS::ApiGateway::Method",
        {
            "HttpMethod": "OPTIONS",
            "Integration": Match.object_like(
                {
                    "IntegrationResponses": Match.array_with(
                        [
                            Match.object_like(
                                {
                                    "ResponseParameters": Match.object_like(
                                        {
                                            "method.response.header.Access-Control-Allow-Origin": "'http://localhost:5173'"
                                        }
                                    )
                                }
                            )
                        ]
                    )
                }
            ),
        },
    )


def test_alarms_page_on_alert_lines_failed_executions_and_dead_letters(
    resources: dict[str, Any],
) -> None:
    filters = _of_type(resources, "AWS::Logs::MetricFilter")
    assert all(
        "ALERT: Mixpanel integration for workspace" in f["Properties"]["FilterPattern"]
        for f in filters.values()
    )
    assert len(filters) == 2
    alarms = _of_type(resources, "AWS::CloudWatch::Alarm")
    metrics = sorted(a["Properties"].get("MetricName", "") for a in alarms.values())
    assert metrics.count("ExecutionsFailed") == 3
    assert "IntegrationAlerts" in metrics
    assert "ApproximateNumberOfMessagesVisible" in metrics
    assert all(a["Properties"]["AlarmActions"] for a in alarms.values())


def test_backfill_watchdog_catches_timeouts_and_aborts(resources: dict[str, Any]) -> None:
    rules = _of_type(resources, "AWS::Events::Rule")
    watchdog = next(r for k, r in rules.items() if k.startswith("BackfillWatchdog"))
    pattern = watchdog["Properties"]["EventPattern"]
    assert pattern["detail"]["status"] == ["TIMED_OUT", "ABORTED"]
    assert "DeadLetterConfig" in watchdog["Properties"]["Targets"][0]


def test_custom_event_bus_exists(template: Any) -> None:
    template.has_resource_properties("AWS::Events::EventBus", {"Name": "usage-analytics"})


def test_gateway_refusals_use_the_api_error_shape_with_cors(resources: dict[str, Any]) -> None:
    responses = {
        r["Properties"]["ResponseType"]: r["Properties"]
        for r in _of_type(resources, "AWS::ApiGateway::GatewayResponse").values()
    }
    assert {"UNAUTHORIZED", "ACCESS_DENIED", "THROTTLED", "DEFAULT_4XX", "DEFAULT_5XX"} <= set(
        responses
    )
    unauthorized = responses["UNAUTHORIZED"]
    assert unauthorized["StatusCode"] == "401"
    body = json.loads(unauthorized["ResponseTemplates"]["application/json"])
    assert body["error"]["code"] == "unauthorized"
    assert (
        "gatewayresponse.header.Access-Control-Allow-Origin" in unauthorized["ResponseParameters"]
    )
    default = responses["DEFAULT_4XX"]["ResponseTemplates"]["application/json"]
    assert '"message": $context.error.messageString' in default


def test_the_api_function_knows_the_spa_origin(resources: dict[str, Any]) -> None:
    api = next(
        fn
        for k, fn in resources.items()
        if fn["Type"] == "AWS::Lambda::Function" and k.startswith("ApiFunction")
    )
    assert api["Properties"]["Environment"]["Variables"]["SPA_ORIGIN"] == "http://localhost:5173"
