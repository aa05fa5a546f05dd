"""Cached AWS clients. Created on first use, never at import time; the endpoint comes from
the standard AWS_ENDPOINT_URL when set (the embedded AWS sets it)."""

from __future__ import annotations

from functools import cache
from typing import Any

import boto3
from botocore.config import Config

_CONFIG = Config(
    retries={"mode": "standard", "max_attempts": 5}, connect_timeout=5, read_timeout=30
)


@cache
def client(service: str) -> Any:
    return boto3.client(service, config=_CONFIG)  # type: ignore[call-overload]


@cache
def dynamodb() -> Any:
    return boto3.resource("dynamodb", config=_CONFIG)


def table(name: str) -> Any:
    return dynamodb().Table(name)


def reset_clients() -> None:
    """Tests that restart the embedded AWS on another port call this."""
    client.cache_clear()
    dynamodb.cache_clear()
