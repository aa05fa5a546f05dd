"""The REST API's domain services: the setup wizard's steps, the integration card, match
preview, accounts, and the operations (retry, re-sync, disconnect).

Nothing here knows about Lambda or API Gateway: the routes in `functions/api/` parse the
request, call one function here with an `ApiServices` bundle of adapters, and dump the
pydantic model it returns. Failures are `ApiError`s that carry the HTTP status, a stable
code and a message a person can act on.
"""
