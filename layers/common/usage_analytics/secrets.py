"""The Mixpanel service-account secret of a workspace, in Secrets Manager and nowhere else.

One secret per workspace, named SECRET_PREFIX + workspace_id, holding JSON
`{"username", "secret", "project_id", "region"}`, encrypted with the stack's KMS key.
Nothing here logs or returns the secret except as a `ServiceAccount` (whose secret is a
SecretStr); error messages name the workspace, never the value.
"""

from __future__ import annotations

import json
import os
from typing import Any, Protocol

from botocore.exceptions import ClientError

from usage_analytics.mixpanel.credentials import ServiceAccount


class SecretNotFound(Exception):
    pass


class SecretStore(Protocol):
    def put(self, name: str, account: ServiceAccount) -> None: ...
    def get(self, name: str) -> ServiceAccount: ...
    def delete(self, name: str) -> None: ...


def secret_name(prefix: str, workspace_id: str) -> str:
    return f"{prefix}{workspace_id}"


class SecretsManagerStore:
    def __init__(self, client: Any, kms_key_id: str | None = None) -> None:
        self._client = client
        self._kms_key_id = (
            kms_key_id if kms_key_id is not None else os.environ.get("SECRETS_KMS_KEY_ID")
        )

    def put(self, name: str, account: ServiceAccount) -> None:
        value = json.dumps(
            {
                "username": account.username,
                "secret": account.secret.get_secret_value(),
                "project_id": account.project_id,
                "region": account.region.value,
            }
        )
        try:
            self._client.put_secret_value(SecretId=name, SecretString=value)
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ResourceNotFoundException":
                raise
            kwargs: dict[str, Any] = {
                "Name": name,
                "SecretString": value,
                "Description": "Mixpanel service account (usage-analytics)",
            }
            if self._kms_key_id:
                kwargs["KmsKeyId"] = self._kms_key_id
            self._client.create_secret(**kwargs)

    def get(self, name: str) -> ServiceAccount:
        try:
            value = self._client.get_secret_value(SecretId=name)["SecretString"]
        except ClientError as exc:
            if exc.response["Error"]["Code"] in (
                "ResourceNotFoundException",
                "InvalidRequestException",
            ):
                raise SecretNotFound(f"no Mixpanel credentials stored ({name})") from None
            raise
        return ServiceAccount.model_validate(json.loads(value))

    def delete(self, name: str) -> None:
        try:
            self._client.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True)
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ResourceNotFoundException":
                raise


class InMemorySecretStore:
    """For unit tests of domain code."""

    def __init__(self) -> None:
        self.values: dict[str, ServiceAccount] = {}

    def put(self, name: str, account: ServiceAccount) -> None:
        self.values[name] = account

    def get(self, name: str) -> ServiceAccount:
        if name not in self.values:
            raise SecretNotFound(f"no Mixpanel credentials stored ({name})")
        return self.values[name]

    def delete(self, name: str) -> None:
        self.values.pop(name, None)
