"""Deployment settings read from CDK context (`-c key=value` or cdk.json), validated."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import aws_cdk as cdk
from constructs import Construct


class ConfigError(ValueError):
    pass


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes"):
        return True
    if text in ("0", "false", "no", ""):
        return False
    raise ConfigError(f"expected true/false, got {value!r}")


@dataclass(frozen=True)
class StackConfig:
    stack_name: str = "UsageAnalytics"
    account: str | None = None
    region: str | None = None
    # Synthesize for the embedded AWS: no bootstrap-version rule, no dependency bundling.
    local: bool = False
    # Bundle the layer's third-party wheels (aarch64) into the layer asset. Off for tests and
    # local runs, where handlers execute in-process and only the template matters.
    bundle_dependencies: bool = True
    spa_origin: str = "http://localhost:5173"
    backfill_timeout_minutes: int = 30
    backfill_max_concurrency: int = 3
    daily_sync_max_concurrency: int = 40
    jwt_algorithm: str = "HS256"
    jwt_issuer: str = "https://platform.example.com"
    jwt_audience: str = "usage-analytics"
    jwks_url: str = ""
    alarm_email: str = ""
    log_retention_days: int = 30

    @classmethod
    def from_context(cls, scope: Construct) -> StackConfig:
        node = scope.node

        def ctx(key: str, default: Any) -> Any:
            value = node.try_get_context(key)
            return default if value is None else value

        try:
            config = cls(
                stack_name=str(ctx("stack_name", cls.stack_name)),
                account=ctx("account", None) or cdk.Aws.ACCOUNT_ID,
                region=ctx("region", None) or cdk.Aws.REGION,
                local=_flag(ctx("local", False)),
                bundle_dependencies=_flag(ctx("bundle_dependencies", True)),
                spa_origin=str(ctx("spa_origin", cls.spa_origin)),
                backfill_timeout_minutes=int(ctx("backfill_timeout_minutes", 30)),
                backfill_max_concurrency=int(ctx("backfill_max_concurrency", 3)),
                daily_sync_max_concurrency=int(ctx("daily_sync_max_concurrency", 40)),
                jwt_algorithm=str(ctx("jwt_algorithm", cls.jwt_algorithm)).upper(),
                jwt_issuer=str(ctx("jwt_issuer", cls.jwt_issuer)),
                jwt_audience=str(ctx("jwt_audience", cls.jwt_audience)),
                jwks_url=str(ctx("jwks_url", "")),
                alarm_email=str(ctx("alarm_email", "")),
                log_retention_days=int(ctx("log_retention_days", 30)),
            )
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"bad CDK context value: {exc}") from None
        config.validate()
        return config

    def validate(self) -> None:
        if not 1 <= self.backfill_timeout_minutes <= 24 * 60:
            raise ConfigError("backfill_timeout_minutes must be between 1 and 1440")
        if not 1 <= self.backfill_max_concurrency <= 3:
            raise ConfigError(
                "backfill_max_concurrency must be 1..3: Mixpanel allows 3 export requests "
                "per second per project"
            )
        if not 1 <= self.daily_sync_max_concurrency <= 1000:
            raise ConfigError("daily_sync_max_concurrency must be between 1 and 1000")
        if self.jwt_algorithm not in ("HS256", "RS256"):
            raise ConfigError("jwt_algorithm must be HS256 or RS256")
        if self.jwt_algorithm == "RS256" and not self.jwks_url.startswith("https://"):
            raise ConfigError("jwt_algorithm RS256 needs jwks_url=https://...")
