"""Names shared by the CDK code and the embedded AWS (kept free of aws-cdk-lib imports,
which start a Node process)."""

# Tag on every function naming its real handler; the embedded AWS runs that in-process.
ENTRY_TAG = "usage-analytics:entry"
