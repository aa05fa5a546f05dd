"""The three Standard state machines, written with the CDK chaining API.

Business rules live in the handlers; this file only says which step follows which, what is
retried (rate limits and transient Mixpanel failures, never bad credentials) and where a
failure is caught. Step inputs carry ids, never data (256 KiB state limit).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

from usage_analytics.workflows.errors import RETRYABLE_RATE_LIMIT, RETRYABLE_TRANSIENT


@dataclass(frozen=True)
class RetryTiming:
    """Retry intervals; the embedded AWS really sleeps them, so local runs scale them down."""

    rate_limit_interval_s: int = 30
    rate_limit_attempts: int = 6
    transient_interval_s: int = 5
    transient_attempts: int = 4
    max_delay_s: int = 300


def _invoke(
    scope: Construct,
    id: str,
    function: lambda_.IFunction,
    payload: Mapping[str, object] | None = None,
    *,
    result_path: str | None = None,
    timeout_s: int,
    timing: RetryTiming | None = None,
) -> tasks.LambdaInvoke:
    task = tasks.LambdaInvoke(
        scope,
        id,
        lambda_function=function,
        payload=sfn.TaskInput.from_object(dict(payload)) if payload is not None else None,
        payload_response_only=True,
        result_path=result_path if result_path is not None else sfn.JsonPath.DISCARD,
        task_timeout=sfn.Timeout.duration(Duration.seconds(timeout_s)),
        retry_on_service_exceptions=True,
    )
    if timing is not None:
        task.add_retry(
            errors=list(RETRYABLE_RATE_LIMIT),
            interval=Duration.seconds(timing.rate_limit_interval_s),
            max_attempts=timing.rate_limit_attempts,
            backoff_rate=2,
            max_delay=Duration.seconds(timing.max_delay_s),
            jitter_strategy=sfn.JitterType.FULL,
        )
        task.add_retry(
            errors=[*RETRYABLE_TRANSIENT, "States.Timeout"],
            interval=Duration.seconds(timing.transient_interval_s),
            max_attempts=timing.transient_attempts,
            backoff_rate=2,
            max_delay=Duration.seconds(timing.max_delay_s),
            jitter_strategy=sfn.JitterType.FULL,
        )
    return task


def _state_machine(
    scope: Construct,
    id: str,
    definition: sfn.IChainable,
    timeout: Duration,
    retention: logs.RetentionDays,
) -> sfn.StateMachine:
    log_group = logs.LogGroup(
        scope, f"{id}Logs", retention=retention, removal_policy=RemovalPolicy.DESTROY
    )
    return sfn.StateMachine(
        scope,
        id,
        definition_body=sfn.DefinitionBody.from_chainable(definition),
        state_machine_type=sfn.StateMachineType.STANDARD,
        timeout=timeout,
        tracing_enabled=True,
        logs=sfn.LogOptions(
            destination=log_group, level=sfn.LogLevel.ALL, include_execution_data=False
        ),
    )


def backfill_state_machine(
    scope: Construct,
    *,
    plan: lambda_.IFunction,
    day: lambda_.IFunction,
    finalize: lambda_.IFunction,
    mark_failed: lambda_.IFunction,
    max_concurrency: int,
    timeout_minutes: int,
    timing: RetryTiming,
    retention: logs.RetentionDays,
) -> sfn.StateMachine:
    """Plan -> Map(one iteration per day) -> Finalize; any failure -> MarkFailed -> Fail.

    Plan hands every day a deadline a little inside the execution timeout, so a run out of
    time ends through MarkFailed (the card says "Backfill failed") rather than being cut.
    """
    scope = Construct(scope, "BackfillWorkflow")
    execution = {
        "workspace_id.$": "$.workspace_id",
        "execution_id.$": "$$.Execution.Id",
        "started_at.$": "$$.Execution.StartTime",
    }
    plan_step = _invoke(
        scope,
        "Plan",
        plan,
        execution,
        result_path="$.plan",
        timeout_s=60,
        timing=timing,
    )
    day_step = _invoke(
        scope,
        "BackfillDay",
        day,
        {
            "workspace_id.$": "$.workspace_id",
            "config_id.$": "$.config_id",
            "day.$": "$.day",
            "deadline.$": "$.deadline",
        },
        timeout_s=900,
        timing=timing,
    )
    days = sfn.Map(
        scope,
        "Days",
        items_path="$.plan.days",
        max_concurrency=max_concurrency,
        item_selector={
            "workspace_id.$": "$.workspace_id",
            "config_id.$": "$.plan.config_id",
            "deadline.$": "$.plan.deadline",
            "day.$": "$$.Map.Item.Value",
        },
        result_path=sfn.JsonPath.DISCARD,
    )
    days.item_processor(day_step)
    finalize_step = _invoke(
        scope,
        "Finalize",
        finalize,
        {**execution, "config_id.$": "$.plan.config_id"},
        timeout_s=300,
        timing=timing,
    )
    mark_failed_step = _invoke(
        scope,
        "MarkFailed",
        mark_failed,
        {**execution, "error.$": "$.error"},
        timeout_s=60,
        timing=timing,
    )
    failed = sfn.Fail(
        scope, "BackfillFailed", cause_path="$.error.Cause", error_path="$.error.Error"
    )
    on_failure = mark_failed_step.next(failed)
    for step in (plan_step, days, finalize_step):
        step.add_catch(on_failure, errors=["States.ALL"], result_path="$.error")
    definition = plan_step.next(days).next(finalize_step).next(sfn.Succeed(scope, "Connected"))
    # The hard stop sits 2 minutes past the soft deadline the days honour.
    return _state_machine(
        scope, "Backfill", definition, Duration.minutes(timeout_minutes + 2), retention
    )


def _per_workspace_fan_out(
    scope: Construct,
    name: str,
    *,
    list_workspaces: lambda_.IFunction,
    per_workspace: lambda_.IFunction,
    record_failure: lambda_.IFunction,
    max_concurrency: int,
    timing: RetryTiming,
    retention: logs.RetentionDays,
    job: str,
) -> sfn.StateMachine:
    """List -> Distributed Map over workspaces; each child catches its own failure, records
    it on the workspace and ends cleanly, so one workspace never stops the others (and
    correctness does not rest on tolerated-failure semantics)."""
    scope = Construct(scope, f"{name}Workflow")
    listing = _invoke(
        scope,
        f"{name}List",
        list_workspaces,
        {"job": job, "input.$": "$", "execution_id.$": "$$.Execution.Id"},
        result_path="$.listing",
        timeout_s=300,
        timing=timing,
    )
    work = _invoke(
        scope,
        f"{name}Workspace",
        per_workspace,
        {"workspace_id.$": "$.workspace_id", "day.$": "$.day", "execution_id.$": "$.execution_id"},
        result_path="$.result",
        timeout_s=900,
        timing=timing,
    )
    record = _invoke(
        scope,
        f"{name}RecordFailure",
        record_failure,
        {"job": job, "workspace_id.$": "$.workspace_id", "day.$": "$.day", "error.$": "$.error"},
        timeout_s=60,
    )
    work.add_catch(record, errors=["States.ALL"], result_path="$.error")
    fan_out = sfn.DistributedMap(
        scope,
        f"{name}Workspaces",
        items_path="$.listing.workspaces",
        max_concurrency=max_concurrency,
        item_selector={
            "workspace_id.$": "$$.Map.Item.Value",
            "day.$": "$.listing.day",
            "execution_id.$": "$$.Execution.Id",
        },
        result_path=sfn.JsonPath.DISCARD,
        tolerated_failure_percentage=100,
    )
    fan_out.item_processor(work)
    definition = listing.next(fan_out).next(sfn.Succeed(scope, f"{name}Done"))
    return _state_machine(scope, name, definition, Duration.hours(6), retention)


def daily_sync_state_machine(scope: Construct, **kwargs: object) -> sfn.StateMachine:
    return _per_workspace_fan_out(scope, "DailySync", job="daily_sync", **kwargs)  # type: ignore[arg-type]


def rematch_state_machine(scope: Construct, **kwargs: object) -> sfn.StateMachine:
    return _per_workspace_fan_out(scope, "Rematch", job="rematch", **kwargs)  # type: ignore[arg-type]
