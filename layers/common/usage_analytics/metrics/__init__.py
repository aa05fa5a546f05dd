"""What a customer-success manager sees: account usage, health pillars, the usage-decline
signal, the workspace table and the assistant's tools (SPEC "Account usage", "Health
pillars", "Usage-decline churn signal"; docs/metrics.md says how every number is made).

Pure formulas (`windows`, `change`, `account_usage`, `percentile`, `health`, `decline`,
`explanation`) take plain values; `recompute` runs them over a workspace with its adapters
(`window_rows`, `rollup_store`, `signal_store`) and stores rollups that the routes read.
"""
