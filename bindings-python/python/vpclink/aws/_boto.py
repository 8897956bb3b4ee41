"""boto3 and botocore, loaded lazily and typed loosely.

The `aws` extra is optional: `import vpclink` must work without boto3, so nothing here is
imported until `vpclink.aws` is. boto3 ships no type information (boto3-stubs is a separate
download), so the modules are held as `Any`: the package type-checks the same with and
without the stubs installed.
"""

from __future__ import annotations

import importlib
from typing import Any, Optional

try:
    boto3: Any = importlib.import_module("boto3")
    botocore_config: Any = importlib.import_module("botocore.config")
    botocore_exceptions: Any = importlib.import_module("botocore.exceptions")
except ModuleNotFoundError as exc:  # pragma: no cover - depends on the environment
    raise ModuleNotFoundError(
        "vpclink.aws needs boto3: pip install 'vpclink[aws]' (or pip install boto3)"
    ) from exc

#: A `boto3.session.Session` (typed loosely: boto3 has no inline types).
Session = Any
#: A boto3 client.
Client = Any

USER_AGENT = "vpclink"


def make_session(session: Optional[Session], region: Optional[str]) -> Session:
    """The caller's session, or a default one (environment, shared config, instance role)."""
    if session is not None:
        return session
    return boto3.session.Session(region_name=region)


def make_client(
    session: Session,
    service: str,
    region: Optional[str],
    endpoint_url: Optional[str],
    *,
    botocore_retries: bool,
) -> Client:
    """A client for `service`. With `botocore_retries` off, botocore makes each call once:
    the executor owns retries and backoff (and records them in the checkpoint), so a
    throttled call is seen, counted and resumed by it rather than hidden inside botocore."""
    retries = {"mode": "standard"} if botocore_retries else {"total_max_attempts": 1, "mode": "standard"}
    config = botocore_config.Config(retries=retries, user_agent_extra=USER_AGENT)
    return session.client(service, region_name=region, endpoint_url=endpoint_url, config=config)


def session_region(session: Session) -> Optional[str]:
    region = getattr(session, "region_name", None)
    return region if isinstance(region, str) and region else None
