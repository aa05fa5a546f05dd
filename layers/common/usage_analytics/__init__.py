"""usage_analytics: the domain library shared by every function (the common Lambda layer)."""
