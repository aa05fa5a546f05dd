"""The one stack: every resource of the architecture, wired with least privilege."""

from __future__ import annotations

from aws_cdk import Aws, Duration, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra import nag
from infra.components import api as api_component
from infra.components import events as events_component
from infra.components import monitoring, workflows
from infra.components.functions import FunctionFactory, FunctionSpec
from infra.components.layer import common_layer
from infra.components.tables import build_tables
from infra.config import StackConfig
from usage_analytics.storage.tables import ALL_TABLES

SECRET_PREFIX = "usage-analytics/mixpanel/"


class UsageAnalyticsStack(Stack):
    def __init__(self, scope: Construct, id: str, *, config: StackConfig, **kwargs: object) -> None:
        super().__init__(scope, id, **kwargs)  # type: ignore[arg-type]
        self.config = config
        retention = logs.RetentionDays(_retention_name(config.log_retention_days))

        key = kms.Key(
            self,
            "DataKey",
            alias="alias/usage-analytics",
            enable_key_rotation=True,
            description="Encrypts the tables, the Mixpanel secrets and the alarm topic",
            removal_policy=RemovalPolicy.RETAIN,
        )
        tables = build_tables(self, key)
        jwt_secret = secretsmanager.Secret(
            self,
            "JwtSigningSecret",
            description="HS256 key shared with the platform that issues user tokens",
            encryption_key=key,
            generate_secret_string=secretsmanager.SecretStringGenerator(
                password_length=64, exclude_punctuation=True
            ),
        )
        bus = events_component.domain_bus(self)
        dlq = sqs.Queue(
            self,
            "WatchdogDeadLetters",
            encryption=sqs.QueueEncryption.KMS,
            encryption_master_key=key,
            enforce_ssl=True,
            retention_period=Duration.days(14),
        )

        common_env = {
            **{spec.env_var: tables[spec.settings_field].table_name for spec in ALL_TABLES},
            "SECRET_PREFIX": SECRET_PREFIX,
            "SECRETS_KMS_KEY_ID": key.key_arn,
            "EVENT_BUS_NAME": bus.event_bus_name,
            "POWERTOOLS_METRICS_NAMESPACE": monitoring.METRIC_NAMESPACE,
            "LOG_LEVEL": "INFO",
        }
        factory = FunctionFactory(
            self,
            layer=common_layer(self, bundle_dependencies=config.bundle_dependencies),
            common_env=common_env,
            log_retention=retention,
        )
        fn = _build_functions(factory, config)

        # --- permissions: each function gets what it uses, nothing more ---
        t = tables
        for name in (
            "api",
            "probe",
            "backfill_plan",
            "backfill_finalize",
            "backfill_mark_failed",
            "daily_sync_workspace",
            "workflow_record_failure",
            "rematch_workspace",
            "backfill_day",
        ):
            t["integrations_table"].grant_read_write_data(fn[name])
        t["integrations_table"].grant_read_data(fn["list_workspaces"])
        for name in (
            "api",
            "backfill_day",
            "backfill_finalize",
            "daily_sync_workspace",
            "rematch_workspace",
            "probe",
        ):
            t["accounts_table"].grant_read_data(fn[name])
        t["accounts_table"].grant_read_write_data(fn["api"])
        for name in (
            "backfill_day",
            "backfill_finalize",
            "daily_sync_workspace",
            "rematch_workspace",
        ):
            t["usage_table"].grant_read_write_data(fn[name])
            t["quarantine_table"].grant_read_write_data(fn[name])
        t["usage_table"].grant_read_write_data(fn["api"])  # disconnect may purge usage
        t["quarantine_table"].grant_read_write_data(fn["api"])
        for name in (
            "api",
            "backfill_day",
            "backfill_finalize",
            "backfill_mark_failed",
            "daily_sync_workspace",
            "workflow_record_failure",
            "rematch_workspace",
        ):
            t["sync_history_table"].grant_read_write_data(fn[name])
        for name in ("api", "backfill_plan", "backfill_day", "daily_sync_workspace"):
            t["backfill_progress_table"].grant_read_write_data(fn[name])
        for name in (
            "backfill_finalize",
            "daily_sync_workspace",
            "workflow_record_failure",
            "rematch_workspace",
            "backfill_mark_failed",
        ):
            bus.grant_put_events_to(fn[name])

        secret_arn = (
            f"arn:{Aws.PARTITION}:secretsmanager:{Aws.REGION}:{Aws.ACCOUNT_ID}"
            f":secret:{SECRET_PREFIX}*"
        )
        fn["api"].add_to_role_policy(
            iam.PolicyStatement(
                actions=[
                    "secretsmanager:CreateSecret",
                    "secretsmanager:PutSecretValue",
                    "secretsmanager:DescribeSecret",
                    "secretsmanager:DeleteSecret",
                    "secretsmanager:GetSecretValue",
                    "secretsmanager:TagResource",
                ],
                resources=[secret_arn],
            )
        )
        key.grant_encrypt_decrypt(fn["api"])
        for name in ("probe", "backfill_day", "daily_sync_workspace"):
            fn[name].add_to_role_policy(
                iam.PolicyStatement(
                    actions=["secretsmanager:GetSecretValue"], resources=[secret_arn]
                )
            )
            key.grant_decrypt(fn[name])
        jwt_secret.grant_read(fn["authorizer"])
        fn["authorizer"].add_environment("JWT_SECRET_ARN", jwt_secret.secret_arn)

        # --- workflows ---
        timing = workflows.RetryTiming(**_retry_timing(config))
        backfill = workflows.backfill_state_machine(
            self,
            plan=fn["backfill_plan"],
            day=fn["backfill_day"],
            finalize=fn["backfill_finalize"],
            mark_failed=fn["backfill_mark_failed"],
            max_concurrency=config.backfill_max_concurrency,
            timeout_minutes=config.backfill_timeout_minutes,
            timing=timing,
            retention=retention,
        )
        fan_out = dict(
            list_workspaces=fn["list_workspaces"],
            record_failure=fn["workflow_record_failure"],
            max_concurrency=config.daily_sync_max_concurrency,
            timing=timing,
            retention=retention,
        )
        daily_sync = workflows.daily_sync_state_machine(
            self, per_workspace=fn["daily_sync_workspace"], **fan_out
        )
        rematch = workflows.rematch_state_machine(
            self, per_workspace=fn["rematch_workspace"], **fan_out
        )
        backfill.grant_start_execution(fn["api"])
        daily_sync.grant_start_execution(fn["api"])
        fn["api"].add_environment("BACKFILL_STATE_MACHINE_ARN", backfill.state_machine_arn)
        fn["api"].add_environment("DAILY_SYNC_STATE_MACHINE_ARN", daily_sync.state_machine_arn)
        fn["api"].add_environment("PROBE_FUNCTION_NAME", fn["probe"].function_name)
        fn["api"].add_environment("SPA_ORIGIN", config.spa_origin)
        fn["backfill_plan"].add_environment(
            "BACKFILL_TIMEOUT_MINUTES", str(config.backfill_timeout_minutes)
        )
        fn["probe"].grant_invoke(fn["api"])

        # --- API, schedules, watchdog, alarms ---
        self.api = api_component.rest_api(
            self,
            handler=fn["api"],
            authorizer_fn=fn["authorizer"],
            spa_origin=config.spa_origin,
            retention=retention,
        )
        events_component.schedules(self, daily_sync=daily_sync, rematch=rematch)
        events_component.backfill_watchdog(
            self, backfill=backfill, mark_failed=fn["backfill_mark_failed"], dead_letter_queue=dlq
        )
        monitoring.alarms(
            self,
            topic=monitoring.alarm_topic(self, key, config.alarm_email),
            alert_log_groups=[
                fn[n].log_group for n in ("daily_sync_workspace", "workflow_record_failure")
            ],
            state_machines=[backfill, daily_sync, rematch],
            dead_letter_queues=[dlq],
        )
        self.functions = fn
        self.state_machines = {"backfill": backfill, "daily_sync": daily_sync, "rematch": rematch}
        nag.apply(
            self,
            tables=tables.values(),
            invoked_functions=[f for n, f in fn.items() if n != "authorizer"],
            distributed_maps=[daily_sync, rematch],
            secret_prefix=SECRET_PREFIX,
        )


def _build_functions(factory: FunctionFactory, config: StackConfig) -> dict[str, lambda_.Function]:
    jwt_env = {
        "JWT_ALGORITHM": config.jwt_algorithm,
        "JWT_ISSUER": config.jwt_issuer,
        "JWT_AUDIENCE": config.jwt_audience,
        "JWKS_URL": config.jwks_url,
    }
    specs = {
        "api": FunctionSpec(
            "Api", "api", "handler", "REST API for the SPA and the assistant", 29, 1024
        ),
        "authorizer": FunctionSpec(
            "Authorizer", "api", "authorizer", "Validates the platform JWT", 10, 256, jwt_env
        ),
        "probe": FunctionSpec(
            "Probe",
            "probe",
            "handler",
            "Samples one day: event names and account values",
            300,
            1024,
        ),
        "backfill_plan": FunctionSpec(
            "BackfillPlan", "backfill", "plan", "Plans the 30 backfill days", 60, 256
        ),
        "backfill_day": FunctionSpec(
            "BackfillDay", "backfill", "day", "Exports and ingests one day", 900, 2048
        ),
        "backfill_finalize": FunctionSpec(
            "BackfillFinalize",
            "backfill",
            "finalize",
            "Rollups, health, signals; connected",
            300,
            1024,
        ),
        "backfill_mark_failed": FunctionSpec(
            "BackfillMarkFailed",
            "backfill",
            "mark_failed",
            "Records a failed backfill on the card",
            60,
            256,
        ),
        "list_workspaces": FunctionSpec(
            "ListWorkspaces",
            "daily_sync",
            "list_workspaces",
            "Lists connected workspaces for a fan-out",
            300,
            512,
        ),
        "daily_sync_workspace": FunctionSpec(
            "DailySyncWorkspace",
            "daily_sync",
            "sync_workspace",
            "Syncs yesterday for one workspace",
            900,
            2048,
        ),
        "workflow_record_failure": FunctionSpec(
            "RecordFailure",
            "daily_sync",
            "record_failure",
            "Records a crashed per-workspace step",
            60,
            256,
        ),
        "rematch_workspace": FunctionSpec(
            "RematchWorkspace",
            "rematch",
            "handler",
            "Promotes quarantined values that now match",
            900,
            1024,
        ),
    }
    return {name: factory.build(spec) for name, spec in specs.items()}


def _retry_timing(config: StackConfig) -> dict[str, int]:
    # The embedded AWS really sleeps retry intervals: keep them to a second locally.
    if config.local:
        return {"rate_limit_interval_s": 1, "transient_interval_s": 1, "max_delay_s": 2}
    return {}


def _retention_name(days: int) -> str:
    names = {
        1: "ONE_DAY",
        7: "ONE_WEEK",
        14: "TWO_WEEKS",
        30: "ONE_MONTH",
        90: "THREE_MONTHS",
        180: "SIX_MONTHS",
        365: "ONE_YEAR",
    }
    if days not in names:
        raise ValueError(f"log_retention_days must be one of {sorted(names)}")
    return names[days]
