"""The embedded AWS: a moto server on loopback running the synthesized CDK stack, with every
Lambda invoke dispatched in-process to our real handlers."""

from local.embedded_aws.stack import EmbeddedAws, LocalStack

__all__ = ["EmbeddedAws", "LocalStack"]
