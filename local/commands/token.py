"""`usage-analytics token`: a bearer token for the local API (last line of the output)."""

from __future__ import annotations

import argparse
import datetime as dt

from local.cli import arg, command
from local.dev_tokens import DEV_JWT_SECRET_ENV, ROLES, mint_token


@command(
    "token",
    "print a bearer token for the local API (its last line)",
    arg("--workspace", required=True, help="workspace id the token is for"),
    arg("--role", required=True, choices=ROLES, help="owner, admin, member (or service)"),
    arg("--user", default="dev-user", help="the token's sub (user id)"),
    arg("--hours", type=float, default=12.0, help="lifetime in hours"),
)
def token(args: argparse.Namespace) -> int:
    print(
        f"# HS256 dev token for workspace {args.workspace}, role {args.role}, "
        f"valid {args.hours:g} h (key: ${DEV_JWT_SECRET_ENV} or the dev default)"
    )
    print(
        mint_token(args.workspace, args.role, user_id=args.user, ttl=dt.timedelta(hours=args.hours))
    )
    return 0
