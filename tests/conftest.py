"""Fixtures shared by the whole suite.

`local_stack` is the embedded AWS with the synthesized stack deployed into it (one per test
process, ~15 s the first time). Tests that use it must leave it clean for the next test:
use a fresh workspace id (`workspace_id` fixture) rather than deleting tables.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "1")
os.environ.setdefault("POWERTOOLS_DEV", "0")


@pytest.fixture(scope="session")
def embedded_aws() -> Iterator[object]:
    from local.embedded_aws import EmbeddedAws
    from usage_analytics.aws import reset_clients

    aws = EmbeddedAws().start()
    reset_clients()
    try:
        yield aws
    finally:
        aws.stop()
        reset_clients()


@pytest.fixture(scope="session")
def local_stack(embedded_aws: object) -> object:
    from local.embedded_aws import EmbeddedAws

    assert isinstance(embedded_aws, EmbeddedAws)
    return embedded_aws.deploy()


@pytest.fixture
def workspace_id() -> str:
    return f"ws-{uuid.uuid4().hex[:10]}"
