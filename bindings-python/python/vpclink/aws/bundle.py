"""Gathers a live-state bundle (docs/live-state.md) from an account with boto3.

Only read calls, each through boto3's paginator where it has one (every page is kept):

| service | calls | IAM actions |
| --- | --- | --- |
| ec2 | describe_vpcs, describe_subnets, describe_security_groups, describe_network_acls, describe_instances | ec2:DescribeVpcs, ec2:DescribeSubnets, ec2:DescribeSecurityGroups, ec2:DescribeNetworkAcls, ec2:DescribeInstances |
| elbv2 | describe_load_balancers, describe_load_balancer_attributes, describe_listeners, describe_target_groups, describe_target_group_attributes, describe_target_health | elasticloadbalancing:DescribeLoadBalancers, DescribeLoadBalancerAttributes, DescribeListeners, DescribeTargetGroups, DescribeTargetGroupAttributes, DescribeTargetHealth |
| apigateway | get_vpc_links, get_rest_apis, get_resources (embed methods), get_integration, get_stages | apigateway:GET on /vpclinks, /restapis, /restapis/*/resources, /restapis/*/resources/*/methods/*/integration, /restapis/*/stages |
| apigatewayv2 | get_vpc_links, get_apis, get_integrations, get_routes, get_stages | apigateway:GET on /v2/vpclinks, /v2/apis, /v2/apis/*/integrations, /v2/apis/*/routes, /v2/apis/*/stages |
| cloudwatch | describe_alarms | cloudwatch:DescribeAlarms |
| sts | get_caller_identity (the bundle's `account`) | none needed |

`READ_PERMISSIONS` lists the IAM actions for a policy.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Set

from ._boto import Session, make_session, session_region
from .calls import Clients, response_json

BUNDLE_FORMAT = "vpclink-aws-bundle"
BUNDLE_VERSION = 1

#: Every IAM action `snapshot` uses: all of them read-only.
READ_PERMISSIONS = (
    "ec2:DescribeVpcs",
    "ec2:DescribeSubnets",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeNetworkAcls",
    "ec2:DescribeInstances",
    "elasticloadbalancing:DescribeLoadBalancers",
    "elasticloadbalancing:DescribeLoadBalancerAttributes",
    "elasticloadbalancing:DescribeListeners",
    "elasticloadbalancing:DescribeTargetGroups",
    "elasticloadbalancing:DescribeTargetGroupAttributes",
    "elasticloadbalancing:DescribeTargetHealth",
    "apigateway:GET",
    "cloudwatch:DescribeAlarms",
)

Page = Dict[str, Any]


class _Recorder:
    """Makes read calls and keeps every page as `{"request": params, "response": page}`."""

    def __init__(self, clients: Clients, timestamps: bool) -> None:
        self._clients = clients
        self._timestamps = timestamps
        self.responses: Dict[str, Dict[str, List[Page]]] = {}

    def call(
        self,
        service: str,
        operation: str,
        keep: Optional[Callable[[Dict[str, Any]], Dict[str, Any]]] = None,
        **params: Any,
    ) -> List[Dict[str, Any]]:
        """Every page of one call; `keep` may narrow a page before it is stored."""
        client = self._clients.get(service)
        pages: Iterable[Mapping[str, Any]]
        if client.can_paginate(operation):
            pages = client.get_paginator(operation).paginate(**params)
        else:
            pages = _token_pages(client, operation, params)
        kept: List[Dict[str, Any]] = []
        for raw in pages:
            page = response_json(raw if self._timestamps else _without_datetimes(raw))
            if keep is not None:
                page = keep(page)
            kept.append(page)
        self.responses.setdefault(service, {}).setdefault(operation, []).extend(
            {"request": dict(params), "response": page} for page in kept
        )
        return kept


def _token_pages(client: Any, operation: str, params: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
    """Pages of an operation boto3 has no paginator for but that pages with `NextToken`
    (apigatewayv2 `get_vpc_links`)."""
    method = getattr(client, operation)
    api_name = client.meta.method_to_api_mapping.get(operation, "")
    input_shape = client.meta.service_model.operation_model(api_name).input_shape if api_name else None
    takes_token = input_shape is not None and "NextToken" in input_shape.members
    request = dict(params)
    seen: Set[str] = set()
    while True:
        page = method(**request)
        yield page
        token = page.get("NextToken") if takes_token else None
        if not token or token in seen:
            return
        seen.add(token)
        request["NextToken"] = token


def _without_datetimes(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_datetimes(v) for k, v in value.items() if not isinstance(v, (_dt.datetime, _dt.date))}
    if isinstance(value, list):
        return [_without_datetimes(v) for v in value if not isinstance(v, (_dt.datetime, _dt.date))]
    return value


def _items(pages: Sequence[Mapping[str, Any]], key: str) -> List[Dict[str, Any]]:
    return [item for page in pages for item in page.get(key) or []]


def snapshot(
    session: Optional[Session] = None,
    region: Optional[str] = None,
    vpc_ids: Optional[Sequence[str]] = None,
    *,
    endpoint_url: Optional[str] = None,
    timestamps: bool = True,
) -> Dict[str, Any]:
    """The live-state bundle of `region` (default: the session's), as a dict ready for
    `vpclink.import_aws` or `json.dump`.

    vpc_ids: only these VPCs: the EC2 calls are filtered by `vpc-id`, load balancers and
        target groups outside them are left out (with their attributes, listeners and
        health), and so are REST VPC links whose targets all are; APIs and alarms are
        kept whole (they name no VPC).
    endpoint_url: a local emulator instead of AWS's endpoints.
    timestamps: False leaves out `captured_at` and every datetime field, so that two
        snapshots of the same state are equal (recorded fixtures).
    """
    if vpc_ids is not None and not vpc_ids:
        raise ValueError("vpc_ids is empty: pass None for every VPC of the Region")
    session = make_session(session, region)
    region = region or session_region(session)
    if not region:
        raise ValueError("no region: pass region=... or configure one for the session")
    clients = Clients(session, region, endpoint_url, botocore_retries=True)
    r = _Recorder(clients, timestamps)
    wanted: Optional[Set[str]] = set(vpc_ids) if vpc_ids is not None else None

    _ec2(r, sorted(wanted) if wanted is not None else None)
    kept_lbs = _elbv2(r, wanted)
    _apigateway(r, kept_lbs if wanted is not None else None)
    _apigatewayv2(r)
    r.call("cloudwatch", "describe_alarms")

    bundle: Dict[str, Any] = {
        "format": BUNDLE_FORMAT,
        "version": BUNDLE_VERSION,
        "region": region,
    }
    account = _account(clients)
    if account is not None:
        bundle["account"] = account
    if timestamps:
        bundle["captured_at"] = _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat().replace(
            "+00:00", "Z"
        )
    bundle["responses"] = r.responses
    return bundle


def _ec2(r: _Recorder, vpc_ids: Optional[List[str]]) -> None:
    if vpc_ids is None:
        r.call("ec2", "describe_vpcs")
        for operation in ("describe_subnets", "describe_security_groups", "describe_network_acls", "describe_instances"):
            r.call("ec2", operation)
        return
    in_vpcs = [{"Name": "vpc-id", "Values": vpc_ids}]
    r.call("ec2", "describe_vpcs", VpcIds=vpc_ids)
    for operation in ("describe_subnets", "describe_security_groups", "describe_network_acls", "describe_instances"):
        r.call("ec2", operation, Filters=in_vpcs)


def _elbv2(r: _Recorder, vpcs: Optional[Set[str]]) -> Set[str]:
    """Load balancers and target groups (of `vpcs`), with their per-resource calls; returns
    the ARNs of the load balancers kept."""

    def narrow(key: str) -> Callable[[Dict[str, Any]], Dict[str, Any]]:
        def keep(page: Dict[str, Any]) -> Dict[str, Any]:
            if vpcs is None:
                return page
            return {**page, key: [i for i in page.get(key) or [] if i.get("VpcId") in vpcs]}

        return keep

    lbs = _items(r.call("elbv2", "describe_load_balancers", narrow("LoadBalancers")), "LoadBalancers")
    for lb in lbs:
        r.call("elbv2", "describe_load_balancer_attributes", LoadBalancerArn=lb["LoadBalancerArn"])
        r.call("elbv2", "describe_listeners", LoadBalancerArn=lb["LoadBalancerArn"])
    tgs = _items(r.call("elbv2", "describe_target_groups", narrow("TargetGroups")), "TargetGroups")
    for tg in tgs:
        r.call("elbv2", "describe_target_group_attributes", TargetGroupArn=tg["TargetGroupArn"])
        r.call("elbv2", "describe_target_health", TargetGroupArn=tg["TargetGroupArn"])
    return {str(lb["LoadBalancerArn"]) for lb in lbs}


def _apigateway(r: _Recorder, load_balancers: Optional[Set[str]]) -> None:
    def links(page: Dict[str, Any]) -> Dict[str, Any]:
        if load_balancers is None:
            return page
        items = [i for i in page.get("items") or [] if set(i.get("targetArns") or []) & load_balancers]
        return {**page, "items": items}

    r.call("apigateway", "get_vpc_links", links)
    for api in _items(r.call("apigateway", "get_rest_apis"), "items"):
        resources = _items(r.call("apigateway", "get_resources", restApiId=api["id"], embed=["methods"]), "items")
        # The embedded integration can lack fields (moto leaves connectionId out); the
        # importer prefers get_integration where both are present.
        for resource in resources:
            for verb, method in sorted((resource.get("resourceMethods") or {}).items()):
                if isinstance(method, dict) and "methodIntegration" in method:
                    r.call(
                        "apigateway",
                        "get_integration",
                        restApiId=api["id"],
                        resourceId=resource["id"],
                        httpMethod=verb,
                    )
        r.call("apigateway", "get_stages", restApiId=api["id"])


def _apigatewayv2(r: _Recorder) -> None:
    r.call("apigatewayv2", "get_vpc_links")
    for api in _items(r.call("apigatewayv2", "get_apis"), "Items"):
        if api.get("ProtocolType") not in (None, "HTTP"):
            continue
        r.call("apigatewayv2", "get_integrations", ApiId=api["ApiId"])
        r.call("apigatewayv2", "get_routes", ApiId=api["ApiId"])
        r.call("apigatewayv2", "get_stages", ApiId=api["ApiId"])


def _account(clients: Clients) -> Optional[str]:
    """The account id; None when STS cannot be asked (the bundle's `account` is optional)."""
    try:
        identity = clients.get("sts").get_caller_identity()
    except Exception:
        return None
    account = identity.get("Account")
    return account if isinstance(account, str) else None
