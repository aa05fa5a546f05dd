"""What pages on-call: the ALERT line, failed executions, dead letters."""

from __future__ import annotations

from collections.abc import Iterable

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_cloudwatch_actions as cw_actions
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subs
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

ALERT_PATTERN = '"ALERT: Mixpanel integration for workspace"'
METRIC_NAMESPACE = "UsageAnalytics"


def alarm_topic(scope: Construct, key: kms.IKey, email: str) -> sns.Topic:
    topic = sns.Topic(scope, "AlarmTopic", master_key=key, enforce_ssl=True)
    if email:
        topic.add_subscription(subs.EmailSubscription(email))
    return topic


def alarms(
    scope: Construct,
    *,
    topic: sns.ITopic,
    alert_log_groups: Iterable[logs.ILogGroup],
    state_machines: Iterable[sfn.StateMachine],
    dead_letter_queues: Iterable[sqs.IQueue],
) -> list[cw.Alarm]:
    action = cw_actions.SnsAction(topic)
    made: list[cw.Alarm] = []
    for i, group in enumerate(alert_log_groups):
        logs.MetricFilter(
            scope,
            f"AlertLines{i}",
            log_group=group,
            filter_pattern=logs.FilterPattern.literal(ALERT_PATTERN),
            metric_namespace=METRIC_NAMESPACE,
            metric_name="IntegrationAlerts",
            metric_value="1",
        )
    alert_metric = cw.Metric(
        namespace=METRIC_NAMESPACE,
        metric_name="IntegrationAlerts",
        statistic="Sum",
        period=Duration.minutes(5),
    )
    made.append(
        alert_metric.create_alarm(
            scope,
            "IntegrationAlertAlarm",
            alarm_description="An integration failed 3 syncs in a row (ALERT line logged)",
            threshold=1,
            evaluation_periods=1,
            comparison_operator=cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cw.TreatMissingData.NOT_BREACHING,
        )
    )
    for machine in state_machines:
        made.append(
            machine.metric_failed(period=Duration.minutes(5)).create_alarm(
                scope,
                f"{machine.node.id}FailedAlarm",
                alarm_description=f"{machine.node.id} executions failed: see the runbook",
                threshold=1,
                evaluation_periods=1,
                treat_missing_data=cw.TreatMissingData.NOT_BREACHING,
            )
        )
    for queue in dead_letter_queues:
        made.append(
            queue.metric_approximate_number_of_messages_visible().create_alarm(
                scope,
                f"{queue.node.id}Alarm",
                alarm_description="Events that could not be delivered are waiting in a DLQ",
                threshold=1,
                evaluation_periods=1,
                treat_missing_data=cw.TreatMissingData.NOT_BREACHING,
            )
        )
    for alarm in made:
        alarm.add_alarm_action(action)
    return made
