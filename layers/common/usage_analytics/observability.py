"""Powertools logger and metrics, built on first use (never at import time)."""

from __future__ import annotations

from functools import cache

from aws_lambda_powertools import Logger, Metrics


@cache
def logger() -> Logger:
    return Logger()


@cache
def metrics() -> Metrics:
    return Metrics()
