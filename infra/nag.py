"""cdk-nag (AwsSolutions) on every synth; each acknowledgement names its evidence and why.

Wildcard findings (IAM5) are acknowledged one by one with the exact resource they cover,
so a new wildcard anywhere else still fails the synth.
"""

from __future__ import annotations

from collections.abc import Iterable

from aws_cdk import Acknowledgment, CfnResource, Stack, Token, Validations
from aws_cdk import aws_dynamodb as ddb
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_stepfunctions as sfn
from cdk_nag import AwsSolutionsChecks

RULES = {
    "AwsSolutions-L1": "Python 3.12 is pinned on purpose: the layer's binary wheels are built and "
    "tested for it; a runtime upgrade is a deliberate, tested change.",
    "AwsSolutions-APIG3": "No WAF web ACL in this stack: the JWT authorizer and stage throttling "
    "guard the API; the platform attaches its edge WAF per deployment.",
    "AwsSolutions-APIG4": "Only CORS preflight (OPTIONS) methods are unauthenticated, as browsers "
    "require; every /v1 route uses the JWT REQUEST authorizer.",
    "AwsSolutions-COG4": "Users authenticate with the platform's JWT through a Lambda authorizer, "
    "not Cognito; OPTIONS preflights carry no credentials.",
    "AwsSolutions-SQS3": "This queue is itself the dead-letter queue of the backfill watchdog.",
    "AwsSolutions-SMG4": "The JWT signing key is shared with the platform that issues tokens; it "
    "rotates with the platform's key ceremony, not on a Lambda schedule.",
    "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
    "AmazonAPIGatewayPushToCloudWatchLogs]": "API Gateway's account-level logging role needs "
    "exactly this AWS managed policy; no function uses a managed policy.",
    "AwsSolutions-IAM5[Resource::*]": "X-Ray PutTraceSegments/PutTelemetryRecords support no "
    "resource-level permissions.",
    "AwsSolutions-IAM5[Action::kms:ReEncrypt*]": "CDK's grant on our one data key, needed to "
    "read and write the KMS-encrypted tables and secrets.",
    "AwsSolutions-IAM5[Action::kms:GenerateDataKey*]": "CDK's grant on our one data key, needed "
    "to write the KMS-encrypted tables and secrets.",
}


def _logical_id(construct: CfnResource) -> str:
    stack = Stack.of(construct)
    return str(stack.resolve(stack.get_logical_id(construct)))


def _cfn(construct: object) -> CfnResource:
    child = construct.node.default_child  # type: ignore[attr-defined]
    assert isinstance(child, CfnResource)
    return child


def apply(
    stack: Stack,
    *,
    tables: Iterable[ddb.Table],
    invoked_functions: Iterable[lambda_.IFunction],
    distributed_maps: Iterable[sfn.StateMachine],
    secret_prefix: str,
) -> None:
    acks = dict(RULES)
    region = "<AWS::Region>" if Token.is_unresolved(stack.region) else stack.region
    account = "<AWS::AccountId>" if Token.is_unresolved(stack.account) else stack.account
    where = f"{region}:{account}"
    for table in tables:
        acks[f"AwsSolutions-IAM5[Resource::<{_logical_id(_cfn(table))}.Arn>/index/*]"] = (
            "Grants on our own table cover its own secondary indexes."
        )
    for function in invoked_functions:
        acks[f"AwsSolutions-IAM5[Resource::<{_logical_id(_cfn(function))}.Arn>:*]"] = (
            "Invoke rights on our own function's versions and aliases (CDK LambdaInvoke grant)."
        )
    for machine in distributed_maps:
        ref = '{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"' + _logical_id(_cfn(machine)) + '"}]}]}'
        base = f"AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:{where}:execution:{ref}"
        for suffix in (":*]", "/*:*]"):
            acks[base + suffix] = (
                "A Distributed Map manages its own child executions, named at run time."
            )
    acks[
        f"AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:{where}:"
        f"secret:{secret_prefix}*]"
    ] = "One Mixpanel secret per workspace is created at run time under our own prefix."
    Validations.of(stack).add_plugins(AwsSolutionsChecks(stack))
    Validations.of(stack).acknowledge(
        *(Acknowledgment(id=f"AwsSolutions::{rule}", reason=why) for rule, why in acks.items())
    )
