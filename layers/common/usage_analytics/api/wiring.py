"""The real adapters for the API, built from the settings on first use."""

from __future__ import annotations

from usage_analytics import aws
from usage_analytics.accounts.repository import AccountRepository
from usage_analytics.api.adapters import LambdaProbeLauncher, StepFunctionsWorkflows
from usage_analytics.api.ports import ApiServices
from usage_analytics.clock import default_clock
from usage_analytics.integration.repository import IntegrationRepository
from usage_analytics.mixpanel.client import MixpanelClient
from usage_analytics.secrets import SecretsManagerStore
from usage_analytics.settings import get_settings
from usage_analytics.sync_history import SyncHistoryRepository
from usage_analytics.workflows.progress import ProgressRepository


def default_services() -> ApiServices:
    """Cheap to call per request: clients and tables are cached in `usage_analytics.aws`,
    and settings in `get_settings()`."""
    settings = get_settings()
    return ApiServices(
        integrations=IntegrationRepository(aws.table(settings.integrations_table)),
        accounts=AccountRepository(aws.table(settings.accounts_table)),
        secrets=SecretsManagerStore(aws.client("secretsmanager")),
        secret_prefix=settings.secret_prefix,
        mixpanel=lambda account: MixpanelClient.from_settings(account, settings),
        workflows=StepFunctionsWorkflows(
            aws.client("stepfunctions"),
            backfill_arn=settings.backfill_state_machine_arn,
            daily_sync_arn=settings.daily_sync_state_machine_arn,
        ),
        start_probe=LambdaProbeLauncher(aws.client("lambda"), settings.probe_function_name),
        days_done=ProgressRepository(aws.table(settings.backfill_progress_table)).days_done,
        history=SyncHistoryRepository(aws.table(settings.sync_history_table)).recent,
        clock=default_clock(),
    )
