//! The causes diagnosis knows, which findings are evidence of each, and how typical each is
//! of each symptom (0–10). Weights follow the failure patterns in facts §3.5, §12 and C16.

use super::symptom::SymptomKind::{self, *};

pub struct CauseSpec {
    pub id: &'static str,
    pub title: &'static str,
    /// Diagnostic codes that are evidence of this cause.
    pub codes: &'static [&'static str],
    pub weights: &'static [(SymptomKind, u8)],
    /// Why the cause produces the symptoms, in one or two sentences.
    pub explanation: &'static str,
    pub fix: &'static str,
}

impl CauseSpec {
    pub fn weight(&self, kind: SymptomKind) -> u8 {
        self.weights
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, w)| *w)
            .unwrap_or(0)
    }
}

/// Codes derived from observed state: what the account reports outranks what the
/// configuration suggests.
pub const OBSERVED_CODES: &[&str] = &["VL111", "VL112", "VL223", "VL224"];

/// The cause reported when references do not resolve: no graph, so no other analysis.
pub const MISSING_RESOURCE: CauseSpec = CauseSpec {
    id: "missing-resource",
    title: "The topology refers to resources that do not exist",
    codes: &["VL001", "VL002", "VL003", "VL004", "VL005"],
    weights: &[(LinkFailed, 10), (Http500, 9), (NoTraffic, 9), (Http502, 6), (Http503, 6), (TargetsUnhealthy, 6), (Http504, 5), (LinkPending, 5), (Intermittent, 3)],
    explanation: "A reference that does not resolve asks AWS for something that is not there: a VPC link whose load balancer is missing ends FAILED, and a listener without its target group forwards nowhere (facts §1, §12).",
    fix: "Create the missing resource or correct the reference; `vpclink check` lists every one with its place.",
};

pub const CAUSES: &[CauseSpec] = &[
    CauseSpec {
        id: "link-not-available",
        title: "The VPC link is not AVAILABLE",
        codes: &["VL111", "VL112"],
        weights: &[(Http500, 10), (Http503, 8), (LinkFailed, 10), (LinkPending, 10), (NoTraffic, 9), (Http504, 3)],
        explanation: "API Gateway sends nothing through a link that is not AVAILABLE; requests fail with 500 (\"Execution failed due to configuration error\") while it is FAILED, PENDING, DELETING or INACTIVE (facts §3.5, §2.6).",
        fix: "Read the link's status message, correct its target, and recreate the link if it is FAILED; wait 2–4 minutes for a new link to become AVAILABLE.",
    },
    CauseSpec {
        id: "link-target-wrong",
        title: "The VPC link's target is not one usable NLB",
        codes: &["VL101", "VL102", "VL103", "VL104"],
        weights: &[(LinkFailed, 10), (Http500, 8), (NoTraffic, 7), (LinkPending, 3)],
        explanation: "A REST VPC link needs exactly one network load balancer of the same account and Region that no other endpoint service uses; otherwise AWS marks the link FAILED (facts §2.1, §2.2, §12).",
        fix: "Point the link at one internal NLB of this account and Region that no other VPC link uses (the target ARNs cannot change: create a new link).",
    },
    CauseSpec {
        id: "no-listener-for-uri-port",
        title: "No listener on the port the integration uses",
        codes: &["VL105", "VL406", "VL413"],
        weights: &[(Http500, 9), (NoTraffic, 8), (LinkFailed, 7), (Http502, 4)],
        explanation: "The integration URI's port selects the NLB listener; with no listener on that port API Gateway has nowhere to send the request and logs \"vpc link error\" with a 500 (facts C7, §12).",
        fix: "Add a listener on the URI's port that forwards to the target group, or change the URI's port to an existing listener.",
    },
    CauseSpec {
        id: "integration-not-over-link",
        title: "The integration is not wired to the VPC link",
        codes: &["VL401", "VL402", "VL403", "VL404", "VL110", "VL405"],
        weights: &[(Http500, 9), (NoTraffic, 8), (Http502, 3)],
        explanation: "A private integration needs type HTTP or HTTP_PROXY, connection type VPC_LINK and a connection id that resolves in every stage; otherwise the request goes elsewhere or fails (facts §3.1, §2.6).",
        fix: "Set connection type VPC_LINK with the link's id (or a stage variable every stage defines) on an HTTP or HTTP_PROXY integration, then redeploy the stage.",
    },
    CauseSpec {
        id: "targets-reported-unhealthy",
        title: "The account reports targets unhealthy or stopped",
        codes: &["VL223", "VL224"],
        weights: &[(TargetsUnhealthy, 10), (Http502, 9), (Http500, 8), (Http503, 6), (Intermittent, 7), (NoTraffic, 5)],
        explanation: "Targets that fail health checks or are stopped get no traffic; when all are unhealthy the NLB fails open and clients see backend errors rather than a clean refusal (facts §4.6, §4.7, C16).",
        fix: "Follow the reason code: Target.FailedHealthChecks → health check settings, security groups and network ACLs; Target.NotInUse → listener and zones; Target.InvalidState → start the instance.",
    },
    CauseSpec {
        id: "health-check-mismatch",
        title: "The health check does not match the service",
        codes: &["VL216", "VL217", "VL219", "VL220", "VL221"],
        weights: &[(TargetsUnhealthy, 9), (Http502, 8), (Http500, 6), (Intermittent, 5), (Http503, 4)],
        explanation: "A check on a port, protocol or path the instances do not serve marks every target unhealthy (Target.FailedHealthChecks), so traffic fails or goes through fail-open (facts §4.6, §12).",
        fix: "Make the health check's port, protocol and path match what the instances serve, and the target port match a served port.",
    },
    CauseSpec {
        id: "target-zone-not-served",
        title: "Targets sit in zones the load balancer does not serve",
        codes: &["VL214", "VL215"],
        weights: &[(NoTraffic, 8), (Http502, 7), (TargetsUnhealthy, 6), (Http500, 6), (Intermittent, 6)],
        explanation: "A target in an Availability Zone not enabled on the NLB is `unused` (Target.NotInUse) and gets no traffic unless cross-zone reaches it (facts §4.7, I3).",
        fix: "Add a load balancer subnet in each zone that has targets, or move the targets into served zones.",
    },
    CauseSpec {
        id: "no-registered-targets",
        title: "Nothing is registered behind the listener",
        codes: &["VL212", "VL226"],
        weights: &[(NoTraffic, 9), (Http502, 8), (Http500, 7), (Http503, 6), (TargetsUnhealthy, 4)],
        explanation: "An empty target group, or one no listener forwards to, leaves the NLB with nowhere to send connections (facts §4.5, §12).",
        fix: "Register the instances in the target group the listener forwards to.",
    },
    CauseSpec {
        id: "privatelink-inbound-enforced",
        title: "The NLB's security group filters VPC-link traffic",
        codes: &["VL304", "VL305", "VL306"],
        weights: &[(Http500, 9), (Http504, 7), (NoTraffic, 7), (Intermittent, 2)],
        explanation: "With security groups on the NLB and PrivateLink inbound enforcement on, traffic from the REST VPC link arrives from addresses you cannot allow, so it is dropped — the classic \"works from a test instance, fails from API Gateway\" (facts C14, §4.3, §12).",
        fix: "Turn EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic off on the NLB (or allow the link's security groups for a V2 link).",
    },
    CauseSpec {
        id: "security-group-drops",
        title: "A security group drops traffic or health checks",
        codes: &["VL301", "VL302", "VL303"],
        weights: &[(Http504, 9), (Http500, 8), (TargetsUnhealthy, 8), (NoTraffic, 7), (Http502, 4), (Intermittent, 3)],
        explanation: "Security groups drop packets silently: the connection attempt times out (504 INTEGRATION_TIMEOUT/FAILURE, or 500) and health checks fail with Target.FailedHealthChecks (facts §3.5, §5.3, §12).",
        fix: "Allow the target and health-check ports from the NLB (its security group, or its subnets' CIDRs) on the targets' security group, and out on the NLB's.",
    },
    CauseSpec {
        id: "network-acl-drops",
        title: "A network ACL drops traffic or its replies",
        codes: &["VL308", "VL309", "VL310", "VL311", "VL312", "VL313"],
        weights: &[(Http504, 9), (TargetsUnhealthy, 8), (Http500, 7), (NoTraffic, 7), (Intermittent, 3)],
        explanation: "Network ACLs are stateless: without the ephemeral return ports (1024–65535) both ways, SYNs go unanswered and requests time out (504) while health checks fail (facts §6, §12).",
        fix: "Allow the traffic and health-check ports toward the targets and TCP 1024–65535 for the replies, on both the target and the NLB subnets' ACLs.",
    },
    CauseSpec {
        id: "tls-to-backend",
        title: "TLS to the backend does not fit",
        codes: &["VL407", "VL408"],
        weights: &[(Http500, 9), (Http502, 7), (Http504, 3)],
        explanation: "For an https URI API Gateway verifies the backend certificate against the URI's host; a name mismatch fails with \"Host name ... does not match the certificate subject\" (500), and a scheme the backend does not speak fails the exchange (facts §3.4, IN-05, IN-06).",
        fix: "Use a URI host that is on the backend certificate and the scheme the target speaks behind the listener.",
    },
    CauseSpec {
        id: "integration-timeout",
        title: "The integration timeout is out of range",
        codes: &["VL409"],
        weights: &[(Http504, 7), (Http500, 2)],
        explanation: "API Gateway answers 504 INTEGRATION_TIMEOUT when the backend does not answer within timeoutInMillis (50–29,000 ms for REST) (facts §3.3, §3.5).",
        fix: "Set timeout_ms within 50–29,000 and long enough for the backend.",
    },
    CauseSpec {
        id: "uneven-zones",
        title: "Capacity is uneven across zones",
        codes: &["VL201", "VL213", "VL225", "VL218"],
        weights: &[(Intermittent, 7), (Http503, 3), (Http502, 2)],
        explanation: "Without cross-zone load balancing each NLB node sends only to its own zone, so a zone with few or failing targets fails part of the requests (facts §4.2, LB-07, TG-06).",
        fix: "Spread targets over every served zone, or enable cross-zone load balancing (with its inter-AZ transfer cost).",
    },
    CauseSpec {
        id: "v2-link-placement",
        title: "The HTTP-API VPC link is placed wrongly",
        codes: &["VL107", "VL108", "VL109", "VL414"],
        weights: &[(LinkFailed, 6), (LinkPending, 6), (Http500, 6), (NoTraffic, 6)],
        explanation: "A V2 link reaches only load balancers in its own VPC, through one to ten subnets of that VPC (facts §2.6, §2.3).",
        fix: "Give the link subnets (one to ten) in the load balancer's VPC.",
    },
    CauseSpec {
        id: "link-quota",
        title: "Too many VPC links for the default quota",
        codes: &["VL113"],
        weights: &[(LinkPending, 5), (LinkFailed, 4)],
        explanation: "An account may hold 20 REST VPC links per Region by default; creation beyond it is refused (facts §2.3).",
        fix: "Share one NLB and link per VPC across services by listener port, or request a quota increase.",
    },
    CauseSpec {
        id: "api-not-deployed",
        title: "The API has no stage",
        codes: &["VL412"],
        weights: &[(NoTraffic, 8)],
        explanation: "Routes reach clients only through a deployed stage (facts §9, IN-08).",
        fix: "Create a deployment and a stage for the API.",
    },
];

/// Hints read from a status message or log line the user pasted (facts §3.5, §12).
pub const MESSAGE_HINTS: &[(&str, &str)] = &[
    ("malformed", "link-target-wrong"),
    ("already associated", "link-target-wrong"),
    ("another vpc endpoint service", "link-target-wrong"),
    ("does not match the certificate", "tls-to-backend"),
    ("host name", "tls-to-backend"),
    ("vpc link error", "no-listener-for-uri-port"),
    ("timed out", "security-group-drops"),
];

/// Target health reason codes and the causes they point at (facts §4.7).
pub const REASON_HINTS: &[(&str, &[&str])] = &[
    (
        "Target.FailedHealthChecks",
        &[
            "health-check-mismatch",
            "security-group-drops",
            "network-acl-drops",
        ],
    ),
    (
        "Target.NotInUse",
        &["target-zone-not-served", "no-registered-targets"],
    ),
    ("Target.InvalidState", &["targets-reported-unhealthy"]),
    ("Target.NotRegistered", &["no-registered-targets"]),
    (
        "Target.Timeout",
        &["security-group-drops", "network-acl-drops"],
    ),
    ("Target.ResponseCodeMismatch", &["health-check-mismatch"]),
];
