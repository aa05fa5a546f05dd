"""The probe's real adapters, built from the settings on first use."""

from __future__ import annotations

from usage_analytics import aws
from usage_analytics.clock import default_clock
from usage_analytics.integration.repository import IntegrationRepository
from usage_analytics.mixpanel.client import MixpanelClient
from usage_analytics.probe.run import ProbeDeps
from usage_analytics.secrets import SecretsManagerStore
from usage_analytics.settings import get_settings
from usage_analytics.wire_logs import hold_wire_loggers_at_info


def default_probe_deps() -> ProbeDeps:
    hold_wire_loggers_at_info()
    settings = get_settings()
    return ProbeDeps(
        integrations=IntegrationRepository(aws.table(settings.integrations_table)),
        secrets=SecretsManagerStore(aws.client("secretsmanager")),
        mixpanel=lambda account: MixpanelClient.from_settings(account, settings),
        clock=default_clock(),
    )
