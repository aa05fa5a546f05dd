"""Step 3 of the wizard: mapping, tracked features (1 to 25) and exclusions; saving starts
the 30-day backfill. A write based on a stale card is refused (409)."""

from __future__ import annotations

from pydantic import ValidationError

from usage_analytics.api.backfill_start import start_backfill
from usage_analytics.api.card import build_card
from usage_analytics.api.errors import Conflict, Unprocessable
from usage_analytics.api.identity import refuse_while_backfilling
from usage_analytics.api.loading import check_version, load_integration, save
from usage_analytics.api.mapping_check import check_mapping
from usage_analytics.api.ports import ApiServices
from usage_analytics.api.requests import ConfigurationRequest
from usage_analytics.api.responses import Card
from usage_analytics.integration.model import TRACKED_FEATURE_CAP, Integration, Status


def configure(services: ApiServices, workspace_id: str, request: ConfigurationRequest) -> Card:
    integration = load_integration(services, workspace_id)
    check_version(integration, request.version)
    refuse_while_backfilling(integration)
    if not (integration.identity_mode and integration.identity_key):
        raise Conflict(
            "Choose the identity mode (step 2) before saving the configuration.",
            code="identity_not_chosen",
        )
    features = tracked_features(request.tracked_features)
    check_mapping(request.mapping, services.accounts.list(workspace_id))
    configured = integration.model_copy(
        update={
            "mapping": request.mapping,
            "tracked_features": features,
            "excluded_keys": _distinct(request.excluded_keys),
            "status": Status.BACKFILLING,
            "backfill_error": None,
            "backfill_execution_arn": None,
            "updated_at": services.clock.now(),
        }
    )
    _check_ingestible(configured)
    saved = save(services, configured, integration.version)
    return build_card(services, start_backfill(services, saved))


def tracked_features(names: list[str]) -> list[str]:
    """Trimmed, distinct, in the order given; 1 to 25 of them (SPEC: 26 is refused)."""
    features = _distinct(names)
    if not features:
        raise Unprocessable(
            "Track at least one feature (an event name).", code="no_tracked_features"
        )
    if len(features) > TRACKED_FEATURE_CAP:
        extra = len(features) - TRACKED_FEATURE_CAP
        raise Unprocessable(
            f"At most {TRACKED_FEATURE_CAP} tracked features (you chose {len(features)}): "
            f"remove {extra} before saving.",
            code="too_many_features",
            details={"cap": TRACKED_FEATURE_CAP, "chosen": len(features)},
        )
    return features


def _distinct(values: list[str]) -> list[str]:
    return list(dict.fromkeys(v.strip() for v in values if v.strip()))


def _check_ingestible(integration: Integration) -> None:
    """The same validation the ingest engine applies, so a config it cannot run is refused
    now, with a message, instead of failing the backfill."""
    try:
        integration.ingest_config()
    except (ValidationError, ValueError) as exc:
        message = _first_message(exc)
        raise Unprocessable(
            f"This configuration cannot be synced: {message}", code="invalid_configuration"
        ) from None


def _first_message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        errors = exc.errors()
        return str(errors[0]["msg"]).removeprefix("Value error, ") if errors else "invalid"
    return str(exc)
