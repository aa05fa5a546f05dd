"""DynamoDB tables built from the declarations in usage_analytics.storage.tables."""

from __future__ import annotations

from aws_cdk import RemovalPolicy
from aws_cdk import aws_dynamodb as ddb
from aws_cdk import aws_kms as kms
from constructs import Construct

from usage_analytics.storage.tables import ALL_TABLES, Key, TableSpec

_TYPES = {"S": ddb.AttributeType.STRING, "N": ddb.AttributeType.NUMBER}


def _attr(key: Key) -> ddb.Attribute:
    return ddb.Attribute(name=key.name, type=_TYPES[key.type])


def _table(scope: Construct, spec: TableSpec, key: kms.IKey) -> ddb.Table:
    # ddb.Table (AWS::DynamoDB::Table), not TableV2: the embedded AWS deploys it too.
    table = ddb.Table(
        scope,
        spec.id,
        partition_key=_attr(spec.partition_key),
        sort_key=_attr(spec.sort_key) if spec.sort_key else None,
        billing_mode=ddb.BillingMode.PAY_PER_REQUEST,
        point_in_time_recovery_specification=ddb.PointInTimeRecoverySpecification(
            point_in_time_recovery_enabled=True
        ),
        encryption=ddb.TableEncryption.CUSTOMER_MANAGED,
        encryption_key=key,
        time_to_live_attribute=spec.ttl_attribute,
        removal_policy=RemovalPolicy.RETAIN,
    )
    for index in spec.indexes:
        projection = ddb.ProjectionType[index.projection]
        if index.local:
            assert index.sort_key is not None
            table.add_local_secondary_index(
                index_name=index.name, sort_key=_attr(index.sort_key), projection_type=projection
            )
        else:
            table.add_global_secondary_index(
                index_name=index.name,
                partition_key=_attr(index.partition_key),
                sort_key=_attr(index.sort_key) if index.sort_key else None,
                projection_type=projection,
            )
    return table


def build_tables(scope: Construct, key: kms.IKey) -> dict[str, ddb.Table]:
    """Tables keyed by their settings field name (e.g. 'usage_table')."""
    return {spec.settings_field: _table(scope, spec, key) for spec in ALL_TABLES}
