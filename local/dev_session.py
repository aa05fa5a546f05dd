"""What `usage-analytics dev` runs: the embedded AWS with the stack deployed, the local
API in front of it, and the Mixpanel simulator (unless MIXPANEL_BASE_URL points elsewhere).

Everything stays in this process: the handlers run in-process (the embedded AWS
dispatches Lambda invokes here), so one Ctrl-C stops it all.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from local.api_server import LocalApiServer
from local.dev_tokens import install_dev_key, mint_token

DEV_WORKSPACE = "ws-dev"
TOKEN_ROLES = ("owner", "admin", "member")


@dataclass
class DevSession:
    api: LocalApiServer
    aws: Any  # EmbeddedAws
    stack: Any  # LocalStack
    workspace_id: str
    mixpanel_base_url: str
    simulator: Any = None  # SimulatorHandle when we started one
    tokens: dict[str, str] = field(default_factory=dict)
    accounts_seeded: int = 0

    def describe(self) -> str:
        lines = [
            f"Local API:   {self.api.base_url}/v1/workspaces/{self.workspace_id}/...",
            f"Mixpanel:    {self.mixpanel_base_url}"
            + (" (simulator started here)" if self.simulator else " (from MIXPANEL_BASE_URL)"),
            f"Embedded AWS (moto): {self.aws.endpoint}",
        ]
        if self.simulator is not None:
            config = self.simulator.config
            lines.append(
                f"Simulator service account: username={config.username} "
                f"project_id={config.project.project_id} region={config.project.region} "
                "(secret: local.mixpanel_sim.DEV_SECRET)"
            )
            lines.append(f"CRM accounts seeded into {self.workspace_id}: {self.accounts_seeded}")
        lines.append(f"Dev tokens for workspace {self.workspace_id} (Authorization: Bearer ...):")
        lines.extend(f"  {role:<6} {token}" for role, token in self.tokens.items())
        lines.append("More: usage-analytics token --workspace W --role owner|admin|member")
        return "\n".join(lines)

    def stop(self) -> None:
        self.api.stop()
        if self.simulator is not None:
            self.simulator.stop()
        self.aws.stop()


def start_dev_session(port: int = 8080, workspace_id: str = DEV_WORKSPACE) -> DevSession:
    from local.embedded_aws import EmbeddedAws
    from usage_analytics.aws import reset_clients
    from usage_analytics.settings import reset_settings

    aws = EmbeddedAws().start()
    reset_clients()
    try:
        stack = aws.deploy()
        install_dev_key(stack.environment)
        simulator = None
        base_url = os.environ.get("MIXPANEL_BASE_URL", "")
        if not base_url:
            simulator = _start_simulator()
            base_url = simulator.base_url
            os.environ["MIXPANEL_BASE_URL"] = base_url
            reset_settings()
        api = LocalApiServer().start(port=port)
    except BaseException:
        aws.stop()
        raise
    session = DevSession(api, aws, stack, workspace_id, base_url, simulator)
    session.tokens = {role: mint_token(workspace_id, role) for role in TOKEN_ROLES}
    if simulator is not None:
        session.accounts_seeded = _seed_accounts(workspace_id, simulator)
    return session


def _start_simulator() -> Any:
    from local.mixpanel_sim import SimConfig, start_simulator
    from local.mixpanel_sim.spec import ProjectSpec
    from usage_analytics.settings import get_settings

    today = get_settings().today
    spec = ProjectSpec(today=today) if today else ProjectSpec()
    return start_simulator(SimConfig(project=spec))


def _seed_accounts(workspace_id: str, simulator: Any) -> int:
    """The simulator's CRM fixture, so the wizard's match preview has accounts to match."""
    from local.mixpanel_sim import crm_accounts
    from usage_analytics import aws
    from usage_analytics.accounts import Account, AccountRepository
    from usage_analytics.settings import get_settings

    records = crm_accounts(spec=simulator.config.project)
    accounts = [Account.model_validate(record) for record in records]
    return AccountRepository(aws.table(get_settings().accounts_table)).upsert(
        workspace_id, accounts
    )
