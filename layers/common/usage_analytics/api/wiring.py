"""The real adapters for the API, built from the settings on first use."""

from __future__ import annotations

from usage_analytics import aws, wiring
from usage_analytics.api.adapters import LambdaProbeLauncher, StepFunctionsWorkflows
from usage_analytics.api.ports import ApiServices
from usage_analytics.clock import default_clock
from usage_analytics.mixpanel.client import MixpanelClient
from usage_analytics.settings import get_settings


def default_services() -> ApiServices:
    """Cheap to call per request: clients and tables are cached in `usage_analytics.aws`,
    and settings in `get_settings()`."""
    settings = get_settings()
    return ApiServices(
        integrations=wiring.integrations(),
        accounts=wiring.accounts(),
        secrets=wiring.secret_store(),
        secret_prefix=settings.secret_prefix,
        mixpanel=lambda account: MixpanelClient.from_settings(account, settings),
        workflows=StepFunctionsWorkflows(
            aws.client("stepfunctions"),
            backfill_arn=settings.backfill_state_machine_arn,
            daily_sync_arn=settings.daily_sync_state_machine_arn,
        ),
        start_probe=LambdaProbeLauncher(aws.client("lambda"), settings.probe_function_name),
        days_done=wiring.progress().days_done,
        history=wiring.history().recent,
        clock=default_clock(),
        unmatched=lambda integration: wiring.quarantine().count(integration.workspace_id),
    )
