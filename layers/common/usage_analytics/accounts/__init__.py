"""The CRM mirror: the platform's accounts of a workspace, as its CRM sync upserts them."""

from usage_analytics.accounts.model import ACCOUNT_ID_PATTERN, MAX_ACCOUNTS_PER_REQUEST, Account
from usage_analytics.accounts.repository import AccountRepository, InMemoryAccounts

__all__ = [
    "ACCOUNT_ID_PATTERN",
    "MAX_ACCOUNTS_PER_REQUEST",
    "Account",
    "AccountRepository",
    "InMemoryAccounts",
]
