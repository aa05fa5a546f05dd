"""Keeping credentials out of third-party debug logs.

botocore logs every request and response body at DEBUG, including Secrets Manager's
`SecretString` (checked: tests/integration/api/test_wizard_over_http.py). Whatever the
function's log level, these wire loggers are held at INFO, where they log no bodies.
"""

from __future__ import annotations

import logging

WIRE_LOGGERS = ("botocore", "boto3", "urllib3", "s3transfer")


def hold_wire_loggers_at_info() -> None:
    for name in WIRE_LOGGERS:
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET or logger.level < logging.INFO:
            logger.setLevel(logging.INFO)
