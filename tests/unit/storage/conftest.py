"""Tables created in moto (in-process) from the declarations in `tables.py`, the contract."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from usage_analytics.storage.tables import QUARANTINE, USAGE, TableSpec


def create_table(resource: Any, spec: TableSpec, name: str) -> Any:
    """A table with the keys and indexes the spec declares, as CDK would build it."""
    attributes = {spec.partition_key.name: spec.partition_key.type}
    key_schema = [{"AttributeName": spec.partition_key.name, "KeyType": "HASH"}]
    if spec.sort_key:
        attributes[spec.sort_key.name] = spec.sort_key.type
        key_schema.append({"AttributeName": spec.sort_key.name, "KeyType": "RANGE"})
    global_indexes: list[dict[str, Any]] = []
    local_indexes: list[dict[str, Any]] = []
    for index in spec.indexes:
        schema = [{"AttributeName": index.partition_key.name, "KeyType": "HASH"}]
        attributes[index.partition_key.name] = index.partition_key.type
        if index.sort_key:
            schema.append({"AttributeName": index.sort_key.name, "KeyType": "RANGE"})
            attributes[index.sort_key.name] = index.sort_key.type
        declared = {
            "IndexName": index.name,
            "KeySchema": schema,
            "Projection": {"ProjectionType": index.projection},
        }
        (local_indexes if index.local else global_indexes).append(declared)
    kwargs: dict[str, Any] = {
        "TableName": name,
        "KeySchema": key_schema,
        "AttributeDefinitions": [
            {"AttributeName": n, "AttributeType": t} for n, t in attributes.items()
        ],
        "BillingMode": "PAY_PER_REQUEST",
    }
    if global_indexes:
        kwargs["GlobalSecondaryIndexes"] = global_indexes
    if local_indexes:
        kwargs["LocalSecondaryIndexes"] = local_indexes
    return resource.create_table(**kwargs)


@pytest.fixture
def dynamodb(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for var, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(var, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        yield boto3.resource("dynamodb", region_name="us-east-1")


@pytest.fixture
def usage_table(dynamodb: Any) -> Any:
    return create_table(dynamodb, USAGE, "usage")


@pytest.fixture
def quarantine_table(dynamodb: Any) -> Any:
    return create_table(dynamodb, QUARANTINE, "quarantine")
