"""Route modules of the REST API, one `router` each (see app.ROUTE_MODULES)."""
