//! VPC links: V1 for REST APIs (one NLB), V2 with subnets and groups (facts §2, §9.2
//! step 13, §9.3).

use serde_json::{json, Value};

use crate::model::VpcLinkVersion;

use super::super::aws::{self, map_tags, LINK_TIMEOUT, POLL_SECONDS};
use super::super::ctx::Ctx;
use super::super::error::PlanError;
use super::super::key::{Key, Kind};
use super::super::step::{call, out, output_ref, wait, wait_gone};
use super::super::types::{Action, Step, Wait};

impl Ctx<'_> {
    pub(crate) fn create_vpc_link(&mut self, key: &Key) -> Result<(), PlanError> {
        let Some(link) = self.d.vpc_links.get(&key.id) else {
            return Ok(());
        };
        let name = self.name(key);
        let id = Ctx::create_id(key);
        let me = output_ref(&id, "VpcLinkId");
        let step = match link.version() {
            VpcLinkVersion::V1 => {
                let mut arns = Vec::new();
                let mut listeners = Vec::new();
                for lb in &link.targets {
                    let lb_key = Key::new(Kind::LoadBalancer, lb.as_str());
                    arns.push(self.id_of(&lb_key)?);
                    // AWS advises the listener before the link (facts §9.1).
                    for l in self
                        .d
                        .load_balancers
                        .get(lb.as_str())
                        .map(|x| x.listeners.as_slice())
                        .unwrap_or_default()
                    {
                        let lk = Key::sub(Kind::Listener, lb.as_str(), l.port.to_string());
                        if self.creates(&lk) {
                            listeners.push(lk.step("create"));
                        }
                    }
                }
                let targets = link
                    .targets
                    .iter()
                    .map(|t| format!("`{t}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                Step::new(
                    id.clone(),
                    Action::Create,
                    self.res(key),
                    format!(
                        "{} REST VPC link `{key}` to load balancer {targets} and wait until it is \
                         AVAILABLE (typically 2–4 minutes, facts §2.2).",
                        self.verb(key)
                    ),
                    call(
                        "apigateway",
                        "create_vpc_link",
                        json!({ "name": name, "targetArns": arns,
                                "tags": map_tags(&Ctx::tag_id(key)) }),
                    ),
                )
                .outputs(vec![out("VpcLinkId", "id")])
                .wait(link_wait(VpcLinkVersion::V1, me.clone()))
                .lookup(
                    call("apigateway", "get_vpc_links", json!({ "limit": 500 })),
                    vec![out(
                        "VpcLinkId",
                        &format!(
                            "{}.id | [0]",
                            aws::tag_select("items", "tags", &Ctx::tag_id(key))
                        ),
                    )],
                )
                .undo(
                    call(
                        "apigateway",
                        "delete_vpc_link",
                        json!({ "vpcLinkId": me.clone() }),
                    ),
                    Some(link_gone(VpcLinkVersion::V1, me)),
                )
                .seconds(aws::LINK_V1_SECONDS)
                .after(listeners)
            }
            VpcLinkVersion::V2 => {
                let mut subnets = Vec::new();
                for s in &link.subnets {
                    subnets.push(self.id_of(&Key::new(Kind::Subnet, s.as_str()))?);
                }
                let mut groups = Vec::new();
                for g in &link.security_groups {
                    groups.push(self.id_of(&Key::new(Kind::SecurityGroup, g.as_str()))?);
                }
                Step::new(
                    id.clone(),
                    Action::Create,
                    self.res(key),
                    format!(
                        "{} VPC link `{key}` (V2) with ENIs in {} subnet{} and wait until it is \
                         AVAILABLE.",
                        self.verb(key),
                        link.subnets.len(),
                        if link.subnets.len() == 1 { "" } else { "s" }
                    ),
                    call(
                        "apigatewayv2",
                        "create_vpc_link",
                        json!({ "Name": name, "SubnetIds": subnets, "SecurityGroupIds": groups,
                                "Tags": map_tags(&Ctx::tag_id(key)) }),
                    ),
                )
                .outputs(vec![out("VpcLinkId", "VpcLinkId")])
                .wait(link_wait(VpcLinkVersion::V2, me.clone()))
                .lookup(
                    call(
                        "apigatewayv2",
                        "get_vpc_links",
                        json!({ "MaxResults": "100" }),
                    ),
                    vec![out(
                        "VpcLinkId",
                        &format!(
                            "{}.VpcLinkId | [0]",
                            aws::tag_select("Items", "Tags", &Ctx::tag_id(key))
                        ),
                    )],
                )
                .undo(
                    call(
                        "apigatewayv2",
                        "delete_vpc_link",
                        json!({ "VpcLinkId": me.clone() }),
                    ),
                    Some(link_gone(VpcLinkVersion::V2, me)),
                )
                .seconds(aws::LINK_V2_SECONDS)
            }
        };
        self.add_create(key, step.changes(self.replace_changes(key)))?;
        Ok(())
    }
}

/// Polls `get_vpc_link` until AVAILABLE; FAILED ends it with the status message (facts
/// §9.3: no waiter exists; poll every ~15 s, give up after ~15 minutes).
pub(crate) fn link_wait(version: VpcLinkVersion, id: Value) -> Wait {
    match version {
        VpcLinkVersion::V1 => wait(
            call("apigateway", "get_vpc_link", json!({ "vpcLinkId": id })),
            "status",
            &["AVAILABLE"],
            &["FAILED"],
            POLL_SECONDS,
            LINK_TIMEOUT,
        )
        .with_message("statusMessage"),
        VpcLinkVersion::V2 => wait(
            call("apigatewayv2", "get_vpc_link", json!({ "VpcLinkId": id })),
            "VpcLinkStatus",
            &["AVAILABLE"],
            &["FAILED"],
            POLL_SECONDS,
            LINK_TIMEOUT,
        )
        .with_message("VpcLinkStatusMessage"),
    }
}

/// Polls `get_vpc_link` until `NotFoundException`: the link is gone (facts §2.4).
pub(crate) fn link_gone(version: VpcLinkVersion, id: Value) -> Wait {
    match version {
        VpcLinkVersion::V1 => wait_gone(
            call("apigateway", "get_vpc_link", json!({ "vpcLinkId": id })),
            "status",
            &["NotFoundException"],
            POLL_SECONDS,
            LINK_TIMEOUT,
        ),
        VpcLinkVersion::V2 => wait_gone(
            call("apigatewayv2", "get_vpc_link", json!({ "VpcLinkId": id })),
            "VpcLinkStatus",
            &["NotFoundException"],
            POLL_SECONDS,
            LINK_TIMEOUT,
        ),
    }
}
