"""API Gateway REST API: every /v1 route goes to the api function behind the JWT
REQUEST authorizer; CORS for the SPA origin; throttling; access logs."""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

GATEWAY_ERRORS = (
    (
        apigw.ResponseType.UNAUTHORIZED,
        "401",
        "unauthorized",
        "A valid bearer token is required (Authorization: Bearer <token>).",
    ),
    (apigw.ResponseType.ACCESS_DENIED, "403", "forbidden", "This token may not call this route."),
    (apigw.ResponseType.THROTTLED, "429", "throttled", "Too many requests: retry in a moment."),
    (apigw.ResponseType.DEFAULT_4_XX, None, "bad_request", "$context.error.messageString"),
    (apigw.ResponseType.DEFAULT_5_XX, None, "gateway_error", "$context.error.messageString"),
)


def _error_template(code: str, message: str) -> str:
    # $context.error.messageString is already a quoted JSON string
    text = message if message.startswith("$context") else '"' + message + '"'
    return (
        '{"error": {"code": "' + code + '", "message": ' + text + ", "
        '"details": {"request_id": "$context.requestId"}}}'
    )


def rest_api(
    scope: Construct,
    *,
    handler: lambda_.IFunction,
    authorizer_fn: lambda_.IFunction,
    spa_origin: str,
    retention: logs.RetentionDays,
) -> apigw.RestApi:
    scope = Construct(scope, "RestApi")
    access_logs = logs.LogGroup(
        scope, "ApiAccessLogs", retention=retention, removal_policy=RemovalPolicy.DESTROY
    )
    cors_headers = {
        "Access-Control-Allow-Origin": f"'{spa_origin}'",
        "Access-Control-Allow-Headers": "'Authorization,Content-Type'",
    }
    api = apigw.RestApi(
        scope,
        "Api",
        rest_api_name="usage-analytics",
        description="Mixpanel usage analytics: setup wizard, integration card, usage, signals",
        cloud_watch_role=True,
        cloud_watch_role_removal_policy=RemovalPolicy.DESTROY,
        deploy_options=apigw.StageOptions(
            stage_name="prod",
            throttling_rate_limit=50,
            throttling_burst_limit=100,
            tracing_enabled=True,
            logging_level=apigw.MethodLoggingLevel.ERROR,
            data_trace_enabled=False,
            access_log_destination=apigw.LogGroupLogDestination(access_logs),
            access_log_format=apigw.AccessLogFormat.json_with_standard_fields(
                caller=False,
                http_method=True,
                ip=True,
                protocol=True,
                request_time=True,
                resource_path=True,
                response_length=True,
                status=True,
                user=True,
            ),
        ),
        default_cors_preflight_options=apigw.CorsOptions(
            allow_origins=[spa_origin],
            allow_methods=["GET", "POST", "PUT", "DELETE", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type"],
            max_age=Duration.hours(1),
        ),
    )
    # Answers API Gateway gives itself (the authorizer's refusals, throttling) use the same
    # error shape as the handler's, and carry CORS headers so the SPA can read them.
    for kind, status, code, message in GATEWAY_ERRORS:
        api.add_gateway_response(
            f"Error{kind.response_type}",
            type=kind,
            status_code=status,
            response_headers=cors_headers,
            templates={"application/json": _error_template(code, message)},
        )
    authorizer = apigw.RequestAuthorizer(
        scope,
        "JwtAuthorizer",
        handler=authorizer_fn,
        identity_sources=[apigw.IdentitySource.header("Authorization")],
        results_cache_ttl=Duration.minutes(5),
    )
    validator = api.add_request_validator(
        "Validator", validate_request_body=True, validate_request_parameters=True
    )
    v1 = api.root.add_resource("v1")
    v1.add_proxy(
        any_method=True,
        default_integration=apigw.LambdaIntegration(handler),
        default_method_options=apigw.MethodOptions(
            authorizer=authorizer,
            authorization_type=apigw.AuthorizationType.CUSTOM,
            request_validator=validator,
        ),
    )
    return api
