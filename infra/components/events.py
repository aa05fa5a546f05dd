"""EventBridge: the custom domain bus, the schedules, and the backfill watchdog."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

DAILY_SYNC_CRON = events.Schedule.expression("cron(0 5 * * ? *)")
# Before the daily sync, after the platform's overnight CRM sync.
REMATCH_CRON = events.Schedule.expression("cron(0 2 * * ? *)")


def domain_bus(scope: Construct) -> events.EventBus:
    return events.EventBus(scope, "DomainBus", event_bus_name="usage-analytics")


def schedules(
    scope: Construct, *, daily_sync: sfn.IStateMachine, rematch: sfn.IStateMachine
) -> None:
    events.Rule(
        scope,
        "DailySyncSchedule",
        description="Sync yesterday for every connected workspace at 05:00 UTC",
        schedule=DAILY_SYNC_CRON,
        targets=[targets.SfnStateMachine(daily_sync, input=events.RuleTargetInput.from_object({}))],
    )
    events.Rule(
        scope,
        "RematchSchedule",
        description="Re-match quarantined account values nightly",
        schedule=REMATCH_CRON,
        targets=[targets.SfnStateMachine(rematch, input=events.RuleTargetInput.from_object({}))],
    )


def backfill_watchdog(
    scope: Construct,
    *,
    backfill: sfn.IStateMachine,
    mark_failed: lambda_.IFunction,
    dead_letter_queue: sqs.IQueue,
) -> events.Rule:
    """An execution cut by its hard timeout or aborted never reaches its Catch: this rule
    hands it to MarkFailed so the card still says "Backfill failed"."""
    return events.Rule(
        scope,
        "BackfillWatchdog",
        description="Mark the integration backfill_failed when a backfill times out or is aborted",
        event_pattern=events.EventPattern(
            source=["aws.states"],
            detail_type=["Step Functions Execution Status Change"],
            detail={
                "status": ["TIMED_OUT", "ABORTED"],
                "stateMachineArn": [backfill.state_machine_arn],
            },
        ),
        targets=[
            targets.LambdaFunction(
                mark_failed,
                dead_letter_queue=dead_letter_queue,
                max_event_age=Duration.hours(2),
                retry_attempts=4,
            )
        ],
    )
