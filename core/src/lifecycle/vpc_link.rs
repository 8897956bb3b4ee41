//! VPC link status: `PENDING → AVAILABLE | FAILED`, then `DELETING`; V2 links also go
//! `INACTIVE` after 60 idle days and come back through `PENDING` (facts §2.1, §2.4, §2.6).

use schemars::JsonSchema;
use serde::Serialize;

use super::machine::{IllegalTransition, Lifecycle, Machine};
use crate::model::{VpcLinkStatus, VpcLinkVersion};

use VpcLinkStatus::{Available, Deleting, Failed, Inactive, Pending};

impl Lifecycle for VpcLinkStatus {
    const MACHINE: Machine = Machine::VpcLink;
    const ALL: &'static [Self] = &[Pending, Available, Deleting, Failed, Inactive];

    fn aws_name(self) -> &'static str {
        match self {
            Pending => "PENDING",
            Available => "AVAILABLE",
            Deleting => "DELETING",
            Failed => "FAILED",
            Inactive => "INACTIVE",
        }
    }

    fn next_states(self) -> &'static [Self] {
        match self {
            // Creation ends AVAILABLE or FAILED (facts §2.1, §2.2); a link can be deleted
            // while it is still being created (facts §2.4).
            Pending => &[Available, Failed, Deleting],
            // V2: 60 days without traffic make it INACTIVE (facts §2.6).
            Available => &[Deleting, Inactive],
            // A FAILED link stays FAILED until it is deleted (facts §2.1, §9.3).
            Failed => &[Deleting],
            // Traffic re-provisions it (PENDING, then AVAILABLE); it can also be deleted
            // (facts §2.6; deletion of an inactive link is derived from §2.4).
            Inactive => &[Pending, Deleting],
            // The link then disappears: get_vpc_link answers NotFoundException (facts §2.4).
            Deleting => &[],
        }
    }
}

/// Like [`transition`](super::transition) but knows that only V2 links go INACTIVE: the V1
/// `status` enum has no `INACTIVE` (facts §2.1, §2.6).
pub fn vpc_link_transition(
    version: VpcLinkVersion,
    from: VpcLinkStatus,
    to: VpcLinkStatus,
) -> Result<VpcLinkStatus, IllegalTransition> {
    if version == VpcLinkVersion::V1 && (from == Inactive || to == Inactive) {
        return Err(IllegalTransition::new(
            from,
            to,
            Some(
                "a V1 (REST, `apigateway`) VPC link has no INACTIVE status; only V2 links go idle",
            ),
        ));
    }
    super::transition(from, to)
}

/// A deployment would go through a VPC link that is not AVAILABLE. Like the crate's other
/// errors it serialises (for bindings) but is never read back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema, thiserror::Error)]
#[error("VPC link `{link_id}` is {status_name}{}: {meaning}. {help}",
    self.status_message.as_deref().map(|m| format!(" (\"{m}\")")).unwrap_or_default())]
pub struct LinkNotAvailable {
    pub link_id: String,
    pub status: VpcLinkStatus,
    /// The status as AWS writes it (`PENDING`).
    pub status_name: &'static str,
    /// AWS's `statusMessage`, when the caller has it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_message: Option<String>,
    /// What the status means for traffic and deployments.
    pub meaning: &'static str,
    /// What to do about it.
    pub help: &'static str,
}

impl LinkNotAvailable {
    /// Adds AWS's `statusMessage` (a FAILED link's message names the cause).
    pub fn with_status_message(mut self, message: impl Into<String>) -> Self {
        let message = message.into();
        self.status_message = (!message.is_empty()).then_some(message);
        self
    }
}

/// Refuses a deployment through a link that is not AVAILABLE, saying what the state means
/// and what to do (facts §2.1, §2.4, §2.6).
pub fn require_available(link_id: &str, status: VpcLinkStatus) -> Result<(), LinkNotAvailable> {
    let (meaning, help) = match status {
        Available => return Ok(()),
        Pending => (
            "it is still being created (typically 2–4 minutes), so a deployment waits and requests through it fail until it is AVAILABLE",
            "Poll get_vpc_link until the status is AVAILABLE (allow 10–15 minutes before calling it stuck), then deploy.",
        ),
        Failed => (
            "AWS could not create it, and it never recovers; integrations through it fail",
            "Read its statusMessage (often: the NLB already belongs to another VPC endpoint service, or the ARN is not an NLB), fix the cause, delete the link and create a new one.",
        ),
        Deleting => (
            "it is being deleted, so a deployment through it fails",
            "Create a new VPC link and point the integrations' connectionId at it, or keep the link if the deletion was a mistake (it cannot be cancelled).",
        ),
        Inactive => (
            "this V2 link carried no traffic for 60 days, so AWS removed its network interfaces and requests fail until it is re-provisioned",
            "Send a request through it to re-provision it, wait for PENDING to become AVAILABLE, then deploy.",
        ),
    };
    Err(LinkNotAvailable {
        link_id: link_id.to_string(),
        status,
        status_name: status.aws_name(),
        status_message: None,
        meaning,
        help,
    })
}
