# Generated from vpclink._vpclink.schema("api") by bindings-python/tools/gen_types.py
# (datamodel-code-generator); do not edit. Regenerate after changing a Rust type:
#     python bindings-python/tools/gen_types.py
#
# Names follow the Rust types. Where two Rust types share a name, the schema numbers the
# second: `Action2` is the executor's action (`Executor.poll`), `Action` a plan step's
# kind of change; `Summary2`, `ResourceRef2`, ... likewise.

from __future__ import annotations

from typing import Any, Literal, Optional, Union

from vpclink._typing import NotRequired, TypeAlias, TypedDict

Region: TypeAlias = str


AccountId: TypeAlias = str


Cidr: TypeAlias = str


Id: TypeAlias = str


Az: TypeAlias = str


IpProtocol: TypeAlias = Union[
    Literal['tcp', 'udp', 'icmp', 'icmpv6', 'all', '-1'],
    int,
    str,
]


PortRange: TypeAlias = Union[int, str]


class PeerCidr(TypedDict):
    cidr: Cidr


class PeerSecurityGroup(TypedDict):
    security_group: Id


class PeerPrefixList(TypedDict):
    prefix_list: str


Peer: TypeAlias = Union[PeerCidr, PeerSecurityGroup, PeerPrefixList]


class EgressRule(TypedDict):
    protocol: IpProtocol
    ports: NotRequired[Optional[PortRange]]
    destination: Peer
    description: NotRequired[Optional[str]]


NaclAction: TypeAlias = Literal['allow', 'deny']


IpAddress: TypeAlias = str


AppProtocol: TypeAlias = Literal['TCP', 'UDP', 'TLS', 'HTTP', 'HTTPS']


LoadBalancerType: TypeAlias = Literal['network', 'application', 'gateway']


Scheme: TypeAlias = Union[Literal['internal'], Literal['internet-facing']]


LbProtocol: TypeAlias = Literal['TCP', 'TLS', 'UDP', 'TCP_UDP', 'QUIC', 'TCP_QUIC', 'HTTP', 'HTTPS', 'GENEVE']


Arn: TypeAlias = str


TargetType: TypeAlias = Literal['instance', 'ip', 'alb', 'lambda']


HealthCheckPort: TypeAlias = Union[Literal['traffic-port'], int]


class Target(TypedDict):
    id: str
    port: NotRequired[Optional[int]]
    az: NotRequired[Optional[Az]]


CrossZoneSetting: TypeAlias = Literal['on', 'off', 'use_load_balancer_configuration']


class VpcLink(TypedDict):
    targets: NotRequired[list[Id]]
    subnets: NotRequired[list[Id]]
    security_groups: NotRequired[list[Id]]
    aws_id: NotRequired[Optional[str]]
    name: NotRequired[Optional[str]]


EndpointType: TypeAlias = Literal['REGIONAL', 'EDGE', 'PRIVATE']


IntegrationType: TypeAlias = Literal['HTTP', 'HTTP_PROXY', 'AWS', 'AWS_PROXY', 'MOCK']


ConnectionType: TypeAlias = Literal['INTERNET', 'VPC_LINK']


class ListenerRef(TypedDict):
    load_balancer: Id
    port: NotRequired[Optional[int]]


class TlsConfig(TypedDict):
    insecure_skip_verification: NotRequired[bool]
    server_name_to_verify: NotRequired[Optional[str]]


LogLevel: TypeAlias = Literal['OFF', 'ERROR', 'INFO']


KeyMapOfString: TypeAlias = dict[str, str]


class Dimension(TypedDict):
    name: str
    value: str


VpcLinkStatus: TypeAlias = Literal['PENDING', 'AVAILABLE', 'DELETING', 'FAILED', 'INACTIVE']


LoadBalancerState: TypeAlias = Literal['provisioning', 'active', 'active_impaired', 'failed']


TargetHealthState: TypeAlias = Literal['initial', 'healthy', 'unhealthy', 'unhealthy.draining', 'unused', 'draining', 'unavailable']


InstanceState: TypeAlias = Literal['pending', 'running', 'shutting-down', 'terminated', 'stopping', 'stopped']


SourceFormat: TypeAlias = Literal['cloudformation', 'aws', 'terraform']


class SourceLocation(TypedDict):
    name: str
    file: NotRequired[Optional[str]]
    line: NotRequired[Optional[int]]
    column: NotRequired[Optional[int]]


class UnknownValue(TypedDict):
    path: str
    expression: str
    reason: str


class SkippedResource(TypedDict):
    name: str
    type: str
    reason: str


PlanMode: TypeAlias = Literal['deploy', 'destroy']


Action: TypeAlias = Literal['create', 'update', 'replace', 'delete', 'register', 'deregister', 'wait', 'lookup']


class ResourceRef(TypedDict):
    kind: str
    id: str
    path: str


class ApiCall(TypedDict):
    service: str
    operation: str
    params: NotRequired[dict[str, Any]]


class OutputRef(TypedDict):
    step: str
    name: str


class Wait(TypedDict):
    call: ApiCall
    status_query: str
    success: list[str]
    failure: NotRequired[list[str]]
    success_errors: NotRequired[list[str]]
    message_query: NotRequired[Optional[str]]
    interval_seconds: int
    timeout_seconds: int


class Undo(TypedDict):
    call: ApiCall
    wait: NotRequired[Optional[Wait]]


Change = TypedDict(
    'Change',
    {
        'property': str,
        'from': NotRequired[Any],
        'to': NotRequired[Any],
        'immutable': NotRequired[bool],
        'reason': NotRequired[Optional[str]],
    },
)


class Wave(TypedDict):
    steps: list[str]
    expected_seconds: int


class CriticalPath(TypedDict):
    steps: list[str]
    expected_seconds: int


class PlanSummary(TypedDict):
    create: int
    update: int
    replace: int
    delete: int
    unchanged: int
    steps: int


Severity: TypeAlias = Literal['info', 'warning', 'error']


class ResourceRef2(TypedDict):
    kind: str
    id: str


Applicability: TypeAlias = Literal['safe', 'unsafe']


class PatchOpAdd(TypedDict):
    op: Literal['add']
    path: str
    value: Any


class PatchOpRemove(TypedDict):
    op: Literal['remove']
    path: str


class PatchOpReplace(TypedDict):
    op: Literal['replace']
    path: str
    value: Any


PatchOp: TypeAlias = Union[PatchOpAdd, PatchOpRemove, PatchOpReplace]


class Related(TypedDict):
    path: str
    message: str


class Summary(TypedDict):
    errors: int
    warnings: int
    infos: int


ApiKind: TypeAlias = Literal['rest', 'http']


HopKind: TypeAlias = Union[
    Literal['route', 'vpc_link', 'load_balancer', 'listener', 'target_group', 'target'],
    Literal['vpc_link_security_group_egress'],
    Literal['load_balancer_security_group_private_link'],
    Literal['load_balancer_security_group_ingress'],
    Literal['load_balancer_security_group_egress'],
    Literal['target_security_group_ingress'],
    Literal['load_balancer_subnet_inbound'],
    Literal['load_balancer_subnet_outbound_return'],
    Literal['load_balancer_subnet_outbound'],
    Literal['load_balancer_subnet_inbound_return'],
    Literal['target_subnet_inbound'],
    Literal['target_subnet_outbound_return'],
    Literal['availability_zone'],
]


class VerdictReachable(TypedDict):
    status: Literal['reachable']


class VerdictBlocked(TypedDict):
    component: ResourceRef2
    path: str
    explanation_code: str
    explanation: str
    rule_code: NotRequired[Optional[str]]
    status: Literal['blocked']


class VerdictUnknown(TypedDict):
    status: Literal['unknown']
    reason: str


Verdict: TypeAlias = Union[VerdictReachable, VerdictBlocked, VerdictUnknown]


class Block(TypedDict):
    component: ResourceRef2
    path: str
    explanation_code: str
    explanation: str
    rule_code: NotRequired[Optional[str]]


class HealthResultPasses(TypedDict):
    status: Literal['passes']


class HealthResultNotChecked(TypedDict):
    status: Literal['not_checked']
    reason: str


HealthFailure: TypeAlias = Literal['network', 'availability_zone', 'service', 'observed']


class ReachSummary(TypedDict):
    paths: int
    reachable: int
    blocked: int
    unknown: int
    health_checks_passing: int
    health_checks_failing: int
    health_checks_not_run: int


SymptomKind: TypeAlias = Union[
    Literal['502', '503', '504'],
    Literal['500'],
    Literal['link-pending'],
    Literal['link-failed'],
    Literal['targets-unhealthy'],
    Literal['no-traffic'],
    Literal['intermittent'],
]


Confidence: TypeAlias = Literal['low', 'medium', 'high']


EvidenceSource: TypeAlias = Literal['finding', 'path', 'observed']


class Command(TypedDict):
    purpose: str
    command: str


class Traffic(TypedDict):
    requests_per_month: NotRequired[int]
    request_bytes: NotRequired[int]
    response_bytes: NotRequired[int]
    new_connections_per_second: NotRequired[Optional[float]]
    connection_seconds: NotRequired[float]
    incremental: NotRequired[bool]


NlcuDimension: TypeAlias = Literal['new_connections', 'active_connections', 'processed_bytes']


Family: TypeAlias = Literal['model', 'vpc_link', 'load_balancer', 'network', 'integration', 'observability', 'cost']


OnFailure: TypeAlias = Literal['stop', 'rollback']


class Action2Sleep(TypedDict):
    type: Literal['sleep']
    until_ms: int


class Action2Failed(TypedDict):
    type: Literal['failed']
    step: str
    error: str
    code: NotRequired[Optional[str]]
    rolled_back: bool
    remaining: NotRequired[list[str]]


class ResolvedCall(TypedDict):
    service: str
    operation: str
    params: dict[str, Any]


Purpose: TypeAlias = Literal['apply', 'undo', 'lookup']


class Summary2(TypedDict):
    steps: int
    calls: int
    checks: int
    retries: int
    elapsed_ms: int
    outputs: dict[str, dict[str, Any]]


class OutcomeSuccess(TypedDict):
    type: Literal['success']
    response: Any


class OutcomeError(TypedDict):
    type: Literal['error']
    code: str
    message: str
    retryable: NotRequired[bool]


Outcome: TypeAlias = Union[OutcomeSuccess, OutcomeError]


class ObservationResponse(TypedDict):
    type: Literal['response']
    response: Any


class ObservationError(TypedDict):
    type: Literal['error']
    code: str
    message: str
    retryable: NotRequired[bool]


Observation: TypeAlias = Union[ObservationResponse, ObservationError]


class EventWaveStarted(TypedDict):
    type: Literal['wave_started']
    wave: int
    steps: list[str]
    at_ms: int


class EventWaveDone(TypedDict):
    type: Literal['wave_done']
    wave: int
    steps: int
    elapsed_ms: int


class EventStepStarted(TypedDict):
    type: Literal['step_started']
    step: str
    purpose: Purpose
    attempt: int


class EventStepRetrying(TypedDict):
    type: Literal['step_retrying']
    step: str
    purpose: Purpose
    attempt: int
    delay_ms: int
    code: str
    message: str


class EventStepReconciled(TypedDict):
    type: Literal['step_reconciled']
    step: str
    found: bool


class EventStepWaiting(TypedDict):
    type: Literal['step_waiting']
    step: str
    purpose: Purpose
    status: NotRequired[Optional[str]]
    elapsed_ms: int
    timeout_ms: int


class EventStepDone(TypedDict):
    type: Literal['step_done']
    step: str


class EventStepFailed(TypedDict):
    type: Literal['step_failed']
    step: str
    error: str
    code: NotRequired[Optional[str]]


class EventRollbackStarted(TypedDict):
    type: Literal['rollback_started']
    failed_step: str
    steps: list[str]


class EventStepRolledBack(TypedDict):
    type: Literal['step_rolled_back']
    step: str


class EventUndoFailed(TypedDict):
    type: Literal['undo_failed']
    step: str
    error: str


Event: TypeAlias = Union[
    EventWaveStarted,
    EventWaveDone,
    EventStepStarted,
    EventStepRetrying,
    EventStepReconciled,
    EventStepWaiting,
    EventStepDone,
    EventStepFailed,
    EventRollbackStarted,
    EventStepRolledBack,
    EventUndoFailed,
]


RunPhase: TypeAlias = Union[
    Literal['running', 'rolling_back', 'done', 'failed'],
    Literal['stopping'],
]


ErrorKind: TypeAlias = Literal['topology', 'import', 'plan', 'render', 'cost', 'executor', 'argument']


class Vpc(TypedDict):
    cidr: Cidr
    secondary_cidrs: NotRequired[list[Cidr]]
    aws_id: NotRequired[Optional[str]]
    name: NotRequired[Optional[str]]


class Subnet(TypedDict):
    vpc: Id
    az: Az
    cidr: Cidr
    network_acl: NotRequired[Optional[Id]]
    aws_id: NotRequired[Optional[str]]
    name: NotRequired[Optional[str]]


class IngressRule(TypedDict):
    protocol: IpProtocol
    ports: NotRequired[Optional[PortRange]]
    source: Peer
    description: NotRequired[Optional[str]]


class NaclEntry(TypedDict):
    rule: int
    protocol: IpProtocol
    ports: NotRequired[Optional[PortRange]]
    cidr: Cidr
    action: NaclAction


class ServedPort(TypedDict):
    port: int
    protocol: AppProtocol
    health_path: NotRequired[Optional[str]]
    certificate_names: NotRequired[list[str]]


class Listener(TypedDict):
    port: int
    protocol: LbProtocol
    forward: Id
    certificate: NotRequired[Optional[str]]
    aws_id: NotRequired[Optional[str]]


class HealthCheck(TypedDict):
    enabled: NotRequired[Optional[bool]]
    protocol: NotRequired[Optional[LbProtocol]]
    port: NotRequired[HealthCheckPort]
    path: NotRequired[Optional[str]]
    interval_seconds: NotRequired[Optional[int]]
    timeout_seconds: NotRequired[Optional[int]]
    healthy_threshold: NotRequired[Optional[int]]
    unhealthy_threshold: NotRequired[Optional[int]]
    matcher: NotRequired[Optional[str]]


MapOfVpcLink: TypeAlias = dict[str, VpcLink]


class Integration(TypedDict):
    type: IntegrationType
    connection_type: NotRequired[Optional[ConnectionType]]
    vpc_link: NotRequired[Optional[str]]
    uri: NotRequired[Optional[str]]
    target: NotRequired[Optional[ListenerRef]]
    method: NotRequired[Optional[str]]
    timeout_ms: NotRequired[Optional[int]]
    tls: NotRequired[Optional[TlsConfig]]


class Stage(TypedDict):
    logging: NotRequired[Optional[LogLevel]]
    metrics: NotRequired[Optional[bool]]
    access_log_destination: NotRequired[Optional[str]]
    variables: NotRequired[KeyMapOfString]


class Alarm(TypedDict):
    metric: str
    namespace: NotRequired[Optional[str]]
    target_group: NotRequired[Optional[Id]]
    load_balancer: NotRequired[Optional[Id]]
    api: NotRequired[Optional[Id]]
    stage: NotRequired[Optional[str]]
    dimensions: NotRequired[list[Dimension]]
    statistic: NotRequired[Optional[str]]
    period_seconds: NotRequired[Optional[int]]
    evaluation_periods: NotRequired[Optional[int]]
    threshold: float
    comparison: NotRequired[Optional[str]]
    treat_missing_data: NotRequired[Optional[str]]
    name: NotRequired[Optional[str]]


class ObservedVpcLink(TypedDict):
    status: VpcLinkStatus
    status_message: NotRequired[Optional[str]]


class ObservedLoadBalancer(TypedDict):
    state: LoadBalancerState
    reason: NotRequired[Optional[str]]


class ObservedTargetHealth(TypedDict):
    target: str
    port: NotRequired[Optional[int]]
    state: TargetHealthState
    reason: NotRequired[Optional[str]]
    description: NotRequired[Optional[str]]


class ObservedInstance(TypedDict):
    state: InstanceState


class Origin(TypedDict):
    format: SourceFormat
    file: NotRequired[Optional[str]]
    sources: NotRequired[dict[str, SourceLocation]]
    unknowns: NotRequired[list[UnknownValue]]
    skipped: NotRequired[list[SkippedResource]]


JoinPartOutput = TypedDict(
    'JoinPartOutput',
    {
        '$output': OutputRef
    },
)


JoinPart: TypeAlias = Union[str, JoinPartOutput]


class Fix(TypedDict):
    description: str
    applicability: Applicability
    patch: list[PatchOp]


class Hop(TypedDict):
    kind: HopKind
    resource: ResourceRef2
    path: str


class HealthResultFails(TypedDict):
    status: Literal['fails']
    cause: HealthFailure
    explanation: str
    block: NotRequired[Optional[Block]]
    reason_code: NotRequired[Optional[str]]


HealthResult: TypeAlias = Union[
    HealthResultPasses,
    HealthResultFails,
    HealthResultNotChecked,
]


class Symptom(TypedDict):
    kind: SymptomKind
    detail: NotRequired[Optional[str]]
    reasons: NotRequired[list[str]]


class Evidence(TypedDict):
    source: EvidenceSource
    code: NotRequired[Optional[str]]
    resource: ResourceRef2
    path: str
    message: str


class LineItem(TypedDict):
    item: str
    quantity: float
    unit: str
    unit_price_usd: float
    monthly_usd: float
    detail: NotRequired[Optional[str]]
    dominant_dimension: NotRequired[Optional[NlcuDimension]]


class RuleMeta(TypedDict):
    code: str
    name: str
    family: Family
    severity: Severity
    title: str
    rationale: str
    source: str


class ExecOptions(TypedDict):
    on_failure: NotRequired[OnFailure]
    max_attempts: NotRequired[int]
    base_backoff_ms: NotRequired[int]
    max_backoff_ms: NotRequired[int]
    seed: NotRequired[int]


class Action2Call(TypedDict):
    type: Literal['call']
    request_id: int
    step: str
    call: ResolvedCall
    attempt: int
    purpose: Purpose


class Action2Check(TypedDict):
    type: Literal['check']
    request_id: int
    step: str
    call: ResolvedCall
    purpose: Purpose


class Action2Done(TypedDict):
    type: Literal['done']
    summary: Summary2


Action2: TypeAlias = Union[
    Action2Call,
    Action2Check,
    Action2Sleep,
    Action2Done,
    Action2Failed,
]


class ExecStatus(TypedDict):
    phase: RunPhase
    pending: int
    running: int
    waiting: int
    done: int
    failed: int
    undoing: int
    rolled_back: int
    undo_failed: int
    in_flight: int
    current_wave: NotRequired[Optional[int]]
    waves: int


class ApiError(TypedDict):
    kind: ErrorKind
    code: str
    message: str
    path: NotRequired[Optional[str]]
    file: NotRequired[Optional[str]]
    line: NotRequired[Optional[int]]
    column: NotRequired[Optional[int]]


MapOfVpc: TypeAlias = dict[str, Vpc]


MapOfSubnet: TypeAlias = dict[str, Subnet]


class SecurityGroup(TypedDict):
    vpc: Id
    ingress: NotRequired[list[IngressRule]]
    egress: NotRequired[Optional[list[EgressRule]]]
    default: NotRequired[bool]
    aws_id: NotRequired[Optional[str]]
    name: NotRequired[Optional[str]]
    description: NotRequired[Optional[str]]


class NetworkAcl(TypedDict):
    vpc: Id
    ingress: NotRequired[list[NaclEntry]]
    egress: NotRequired[list[NaclEntry]]
    default: NotRequired[bool]
    aws_id: NotRequired[Optional[str]]
    name: NotRequired[Optional[str]]


class Instance(TypedDict):
    subnet: Id
    security_groups: NotRequired[list[Id]]
    private_ip: NotRequired[Optional[IpAddress]]
    serves: NotRequired[Optional[list[ServedPort]]]
    instance_type: NotRequired[Optional[str]]
    image_id: NotRequired[Optional[str]]
    aws_id: NotRequired[Optional[str]]
    name: NotRequired[Optional[str]]


class LoadBalancer(TypedDict):
    type: LoadBalancerType
    scheme: NotRequired[Scheme]
    subnets: NotRequired[list[Id]]
    security_groups: NotRequired[list[Id]]
    cross_zone: NotRequired[Optional[bool]]
    enforce_inbound_rules_on_privatelink: NotRequired[Optional[bool]]
    listeners: NotRequired[list[Listener]]
    arn: NotRequired[Optional[Arn]]
    name: NotRequired[Optional[str]]


class TargetGroup(TypedDict):
    vpc: Id
    protocol: LbProtocol
    port: int
    target_type: NotRequired[TargetType]
    health_check: NotRequired[HealthCheck]
    targets: NotRequired[list[Target]]
    preserve_client_ip: NotRequired[Optional[bool]]
    cross_zone: NotRequired[Optional[CrossZoneSetting]]
    arn: NotRequired[Optional[Arn]]
    name: NotRequired[Optional[str]]


class Route(TypedDict):
    integration: Integration
    authorization: NotRequired[Optional[str]]


KeyMapOfStage: TypeAlias = dict[str, Stage]


MapOfAlarm: TypeAlias = dict[str, Alarm]


MapOfObservedVpcLink: TypeAlias = dict[str, ObservedVpcLink]


MapOfObservedLoadBalancer: TypeAlias = dict[str, ObservedLoadBalancer]


MapOfArrayOfObservedTargetHealth: TypeAlias = dict[str, list[ObservedTargetHealth]]


MapOfObservedInstance: TypeAlias = dict[str, ObservedInstance]


class Output(TypedDict):
    name: str
    query: str
    after: NotRequired[Optional[str]]
    query_join: NotRequired[list[JoinPart]]


class Lookup(TypedDict):
    call: ApiCall
    outputs: list[Output]


class Diagnostic(TypedDict):
    code: str
    severity: Severity
    title: str
    message: str
    resource: ResourceRef2
    path: str
    help: NotRequired[Optional[str]]
    fix: NotRequired[Optional[Fix]]
    related: list[Related]
    source: NotRequired[Optional[SourceLocation]]


class PathVerdict(TypedDict):
    api_kind: ApiKind
    api_id: str
    route_key: str
    vpc_link: NotRequired[Optional[str]]
    load_balancer: NotRequired[Optional[str]]
    listener_port: NotRequired[Optional[int]]
    target_group: NotRequired[Optional[str]]
    target: NotRequired[Optional[str]]
    target_port: NotRequired[Optional[int]]
    hops: list[Hop]
    verdict: Verdict


class HealthCheckVerdict(TypedDict):
    target_group: str
    target: str
    target_port: int
    health_check_port: int
    load_balancer: NotRequired[Optional[str]]
    result: HealthResult


class Cause(TypedDict):
    rank: int
    id: str
    title: str
    confidence: Confidence
    explanation: str
    evidence: list[Evidence]
    next_checks: list[Command]
    fix: str
    patches: list[Fix]


class ResourceCost(TypedDict):
    resource: ResourceRef2
    items: list[LineItem]
    monthly_usd: float
    shared: bool
    note: NotRequired[Optional[str]]


MapOfSecurityGroup: TypeAlias = dict[str, SecurityGroup]


MapOfNetworkAcl: TypeAlias = dict[str, NetworkAcl]


MapOfInstance: TypeAlias = dict[str, Instance]


MapOfLoadBalancer: TypeAlias = dict[str, LoadBalancer]


MapOfTargetGroup: TypeAlias = dict[str, TargetGroup]


KeyMapOfRoute: TypeAlias = dict[str, Route]


class HttpApi(TypedDict):
    name: NotRequired[Optional[str]]
    routes: NotRequired[KeyMapOfRoute]
    stages: NotRequired[KeyMapOfStage]
    aws_id: NotRequired[Optional[str]]


class Observed(TypedDict):
    vpc_links: NotRequired[MapOfObservedVpcLink]
    load_balancers: NotRequired[MapOfObservedLoadBalancer]
    target_health: NotRequired[MapOfArrayOfObservedTargetHealth]
    instances: NotRequired[MapOfObservedInstance]


class Step(TypedDict):
    id: str
    action: Action
    resource: ResourceRef
    description: str
    depends_on: NotRequired[list[str]]
    call: ApiCall
    outputs: NotRequired[list[Output]]
    wait: NotRequired[Optional[Wait]]
    lookup: NotRequired[Optional[Lookup]]
    undo: NotRequired[Optional[Undo]]
    expected_seconds: int
    changes: NotRequired[list[Change]]


class Report(TypedDict):
    diagnostics: list[Diagnostic]
    summary: Summary
    rules_ran: bool


class ReachReport(TypedDict):
    paths: list[PathVerdict]
    health_checks: list[HealthCheckVerdict]
    summary: ReachSummary


class Diagnosis(TypedDict):
    symptom: Symptom
    causes: list[Cause]
    configuration_looks_right: bool
    summary: str
    next_checks: list[Command]


class CostEstimate(TypedDict):
    region: str
    prices_as_of: str
    currency: str
    hours_per_month: int
    traffic: Traffic
    resources: list[ResourceCost]
    monthly_usd: float
    assumptions: list[str]
    not_included: list[str]


class RestApi(TypedDict):
    name: NotRequired[Optional[str]]
    endpoint_type: NotRequired[EndpointType]
    routes: NotRequired[KeyMapOfRoute]
    stages: NotRequired[KeyMapOfStage]
    aws_id: NotRequired[Optional[str]]


MapOfHttpApi: TypeAlias = dict[str, HttpApi]


class Plan(TypedDict):
    version: int
    region: Region
    mode: PlanMode
    steps: list[Step]
    waves: list[Wave]
    critical_path: CriticalPath
    unchanged: NotRequired[list[ResourceRef]]
    summary: PlanSummary


MapOfRestApi: TypeAlias = dict[str, RestApi]


class Topology(TypedDict):
    version: int
    region: Region
    account: NotRequired[Optional[AccountId]]
    vpcs: NotRequired[MapOfVpc]
    subnets: NotRequired[MapOfSubnet]
    security_groups: NotRequired[MapOfSecurityGroup]
    network_acls: NotRequired[MapOfNetworkAcl]
    instances: NotRequired[MapOfInstance]
    load_balancers: NotRequired[MapOfLoadBalancer]
    target_groups: NotRequired[MapOfTargetGroup]
    vpc_links: NotRequired[MapOfVpcLink]
    rest_apis: NotRequired[MapOfRestApi]
    http_apis: NotRequired[MapOfHttpApi]
    alarms: NotRequired[MapOfAlarm]
    observed: NotRequired[Optional[Observed]]
    origin: NotRequired[Optional[Origin]]


class Api(TypedDict):
    topology: Topology
    plan: Plan
    report: Report
    reach: ReachReport
    diagnosis: Diagnosis
    symptom: Symptom
    cost: CostEstimate
    traffic: Traffic
    rule: RuleMeta
    exec_options: ExecOptions
    action: Action2
    outcome: Outcome
    observation: Observation
    event: Event
    exec_status: ExecStatus
    error: ApiError
