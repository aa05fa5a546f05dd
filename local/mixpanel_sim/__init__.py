"""A faithful local stand-in for Mixpanel's export, query and app APIs (dev only).

Synthetic data: `ProjectSpec` -> `SyntheticProject` (lazy per-day events, profiles) and the
matching CRM fixture `crm_accounts` / `crm_late_additions`. Server: `start_simulator`
with a `SimConfig`. See docs/mixpanel-simulator.md.
"""

from local.mixpanel_sim.config import (
    DEV_SECRET,
    DEV_USERNAME,
    FREE_PLAN_USERNAME,
    NO_ME_SCOPE_USERNAME,
    NO_PROJECT_USERNAME,
    UNLIMITED,
    Limits,
    ServiceAccount,
    SimConfig,
)
from local.mixpanel_sim.crm import crm_accounts, crm_late_additions
from local.mixpanel_sim.project import SyntheticProject
from local.mixpanel_sim.scenarios import scenario_config
from local.mixpanel_sim.server import SimulatorHandle, start_simulator
from local.mixpanel_sim.spec import DEV_PROJECT_ID, ProjectSpec

__all__ = [
    "DEV_PROJECT_ID",
    "DEV_SECRET",
    "DEV_USERNAME",
    "FREE_PLAN_USERNAME",
    "NO_ME_SCOPE_USERNAME",
    "NO_PROJECT_USERNAME",
    "UNLIMITED",
    "Limits",
    "ProjectSpec",
    "ServiceAccount",
    "SimConfig",
    "SimulatorHandle",
    "SyntheticProject",
    "crm_accounts",
    "crm_late_additions",
    "scenario_config",
    "start_simulator",
]
