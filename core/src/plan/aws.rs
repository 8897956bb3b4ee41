//! AWS conventions every builder shares: tags, lookups by tag, and how long things take.

use serde_json::{json, Value};

/// The tag that marks what this tool created, valued with the topology id, so a crashed
/// run finds its resources again.
pub(crate) const TAG_KEY: &str = "vpclink:id";

/// The public SSM parameter holding the latest Amazon Linux 2023 AMI id.
pub(crate) const AL2023_PARAMETER: &str =
    "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";

/// Instance type when the topology names none.
pub(crate) const DEFAULT_INSTANCE_TYPE: &str = "t3.micro";

// Expected durations, for waves and the critical path (seconds).

/// One plain control-plane call.
pub(crate) const CALL_SECONDS: u32 = 2;
/// A VPC or subnet is usually `available` at the first poll (waiters `vpc_available`,
/// `subnet_available`, facts §9.2); no AWS figure, an estimate.
pub(crate) const NETWORK_SECONDS: u32 = 5;
/// An NLB provisions for "minutes" (facts §9.2 step 8; waiter polls 15 s × 40).
pub(crate) const LOAD_BALANCER_SECONDS: u32 = 180;
/// A V1 link "typically takes 2–4 minutes" (facts §2.2, C3).
pub(crate) const LINK_V1_SECONDS: u32 = 240;
/// A V2 link creates ENIs in the subnets; no AWS figure, an estimate.
pub(crate) const LINK_V2_SECONDS: u32 = 120;
/// An instance from `pending` to `running`; no AWS figure, an estimate.
pub(crate) const INSTANCE_SECONDS: u32 = 45;
/// Registration before the first health check counts (`Elb.RegistrationInProgress`,
/// facts §4.7); no AWS figure, an estimate.
pub(crate) const REGISTRATION_SECONDS: u32 = 30;
/// A deployment; AWS allows one per 5 s (facts §2.3).
pub(crate) const DEPLOYMENT_SECONDS: u32 = 5;
/// Deleting a VPC link removes its endpoint service (facts §2.4); an estimate.
pub(crate) const LINK_DELETE_SECONDS: u32 = 60;
/// Deleting an NLB until `LoadBalancerNotFound`; an estimate.
pub(crate) const LOAD_BALANCER_DELETE_SECONDS: u32 = 30;
/// Terminating an instance until `terminated`; an estimate.
pub(crate) const INSTANCE_DELETE_SECONDS: u32 = 60;
/// Poll interval for long waits (facts §9.3: every ~15–30 s).
pub(crate) const POLL_SECONDS: u32 = 15;
/// The elbv2 and ec2 waiters give up after 40 polls of 15 s (facts §9.3).
pub(crate) const WAITER_TIMEOUT: u32 = 600;
/// VPC links: a ceiling of ~10–15 minutes (facts §9.3).
pub(crate) const LINK_TIMEOUT: u32 = 900;

/// EC2 `TagSpecifications` for a new resource: its name and the topology id.
pub(crate) fn ec2_tags(resource_type: &str, name: &str, id: &str) -> Value {
    json!([{ "ResourceType": resource_type, "Tags": [
        { "Key": "Name", "Value": name },
        { "Key": TAG_KEY, "Value": id },
    ]}])
}

/// The EC2 filter that finds a resource by the topology id.
pub(crate) fn tag_filter(id: &str) -> Value {
    json!({ "Name": format!("tag:{TAG_KEY}"), "Values": [id] })
}

/// ELB, CloudWatch and `create_tags` style tags.
pub(crate) fn key_value_tags(name: Option<&str>, id: &str) -> Value {
    let mut tags = Vec::new();
    if let Some(name) = name {
        tags.push(json!({ "Key": "Name", "Value": name }));
    }
    tags.push(json!({ "Key": TAG_KEY, "Value": id }));
    Value::Array(tags)
}

/// API Gateway tags: a map.
pub(crate) fn map_tags(id: &str) -> Value {
    json!({ TAG_KEY: id })
}

/// A JMESPath string literal: single quotes, with `'` and `\` escaped.
pub(crate) fn lit(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// The JMESPath selecting items whose `tags."vpclink:id"` is `id` (API Gateway lists).
pub(crate) fn tag_select(list: &str, tags: &str, id: &str) -> String {
    format!("{list}[?{tags}.\"{TAG_KEY}\"=={}]", lit(id))
}
