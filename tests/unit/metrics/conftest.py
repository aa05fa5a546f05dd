from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws

from tests.unit.metrics.api import UsageApi, usage_api
from tests.unit.metrics.stack import Stack


@pytest.fixture
def stack(monkeypatch: pytest.MonkeyPatch) -> Iterator[Stack]:
    for var, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(var, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        yield Stack(boto3.resource("dynamodb", region_name="us-east-1"))


@pytest.fixture
def api(stack: Stack) -> Iterator[UsageApi]:
    with usage_api(stack) as client:
        yield client
