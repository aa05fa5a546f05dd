"""PUT /accounts: the platform's CRM sync (or an admin) upserts accounts in bulk."""

from __future__ import annotations

from usage_analytics.api.ports import ApiServices
from usage_analytics.api.requests import AccountsRequest
from usage_analytics.api.responses import AccountsUpserted


def upsert_accounts(
    services: ApiServices, workspace_id: str, request: AccountsRequest
) -> AccountsUpserted:
    return AccountsUpserted(upserted=services.accounts.upsert(workspace_id, request.accounts))
