"""One AWS call, answered in the executor's terms.

The executor hands out calls as `{"service", "operation", "params"}` with boto3's names and
the API's casing, so a call is `getattr(client, operation)(**params)`. Its answer goes back
as an outcome: `{"type": "success", "response": {...}}` with the response as JSON, or
`{"type": "error", "code", "message", "retryable"}`.
"""

from __future__ import annotations

import base64
import datetime as _dt
from decimal import Decimal
from typing import Any, Dict, Mapping, Optional, Tuple

from ._boto import Client, Session, botocore_exceptions, make_client
from .redact import Redactor

Outcome = Dict[str, Any]

# Error codes that say "try again later" besides the throttling codes the executor knows
# (facts §10: AWS's transient server-side errors).
TRANSIENT_CODES = frozenset(
    {
        "InternalError",
        "InternalFailure",
        "InternalServerError",
        "ServiceUnavailable",
        "ServiceUnavailableException",
        "RequestTimeout",
        "RequestTimeoutException",
        "PriorRequestNotComplete",
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottledException",
        "TooManyRequestsException",
        "RequestLimitExceeded",
        "RequestThrottled",
        "EC2ThrottledException",
        "SlowDown",
    }
)


class Clients:
    """One client per service, made on first use from the session."""

    def __init__(
        self,
        session: Session,
        region: Optional[str],
        endpoint_url: Optional[str],
        *,
        botocore_retries: bool,
    ) -> None:
        self._session = session
        self._region = region
        self._endpoint_url = endpoint_url
        self._botocore_retries = botocore_retries
        self._clients: Dict[str, Client] = {}

    def get(self, service: str) -> Client:
        client = self._clients.get(service)
        if client is None:
            client = make_client(
                self._session,
                service,
                self._region,
                self._endpoint_url,
                botocore_retries=self._botocore_retries,
            )
            self._clients[service] = client
        return client


def to_json(value: Any) -> Any:
    """A boto3 response as JSON data: datetimes as ISO 8601 text, bytes as base64, Decimals as
    numbers; `ResponseMetadata` (request id, HTTP headers) is dropped at the top level."""
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    # Streaming bodies and other objects: none of the plan's operations return them.
    return str(value)


def response_json(response: Mapping[str, Any]) -> Dict[str, Any]:
    body = {k: v for k, v in response.items() if k != "ResponseMetadata"}
    converted: Dict[str, Any] = to_json(body)
    return converted


class CallFailed(Exception):
    """Internal: an AWS error answer, already redacted."""

    def __init__(self, code: str, message: str, retryable: bool) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.retryable = retryable


def classify(exc: BaseException, redactor: Redactor) -> Optional[Tuple[str, str, bool]]:
    """`(code, message, retryable)` for an exception that is an answer about the call, or
    None for one that is not (missing credentials or region, a bug, an interrupt): those
    are raised to the caller, who fixes the cause and resumes from the checkpoint."""
    if isinstance(exc, botocore_exceptions.ClientError):
        response: Mapping[str, Any] = getattr(exc, "response", None) or {}
        error: Mapping[str, Any] = response.get("Error") or {}
        code = str(error.get("Code") or "UnknownError")
        message = str(error.get("Message") or exc)
        status = (response.get("ResponseMetadata") or {}).get("HTTPStatusCode")
        retryable = code in TRANSIENT_CODES or (isinstance(status, int) and status >= 500)
        return code, redactor.text(message), retryable
    # Before the call was answered: a connection refused or reset, a timeout. Whether the
    # change was made is unknown; the executor looks the resource up before re-sending.
    if isinstance(exc, (botocore_exceptions.ConnectionError, botocore_exceptions.HTTPClientError)):
        return type(exc).__name__, redactor.text(str(exc)), True
    if isinstance(
        exc,
        (
            botocore_exceptions.NoCredentialsError,
            botocore_exceptions.PartialCredentialsError,
            botocore_exceptions.NoRegionError,
            botocore_exceptions.CredentialRetrievalError,
        ),
    ):
        return None
    # Parameter validation and other botocore refusals: the call can never succeed as is.
    if isinstance(exc, botocore_exceptions.BotoCoreError):
        return type(exc).__name__, redactor.text(str(exc)), False
    return None


def make_call(
    clients: Clients,
    call: Mapping[str, Any],
    redactor: Redactor,
) -> Dict[str, Any]:
    """Makes `call` and returns its response as JSON; raises :class:`CallFailed` for an error
    answer, and anything else that is not one as it is."""
    service = str(call["service"])
    operation = str(call["operation"])
    params: Mapping[str, Any] = call.get("params") or {}
    client = clients.get(service)
    method = getattr(client, operation, None)
    if method is None or not callable(method):
        raise CallFailed("UnknownOperation", f"boto3 `{service}` client has no operation `{operation}`", False)
    try:
        response = method(**dict(params))
    except Exception as exc:
        answer = classify(exc, redactor)
        if answer is None:
            raise
        raise CallFailed(*answer) from None
    return response_json(response if isinstance(response, Mapping) else {})


def outcome(clients: Clients, call: Mapping[str, Any], redactor: Redactor) -> Outcome:
    """The executor's answer to a `call` action."""
    try:
        return {"type": "success", "response": make_call(clients, call, redactor)}
    except CallFailed as failed:
        return {"type": "error", "code": failed.code, "message": failed.message, "retryable": failed.retryable}


def observation(clients: Clients, call: Mapping[str, Any], redactor: Redactor) -> Outcome:
    """The executor's answer to a `check` action."""
    try:
        return {"type": "response", "response": make_call(clients, call, redactor)}
    except CallFailed as failed:
        return {"type": "error", "code": failed.code, "message": failed.message, "retryable": failed.retryable}
