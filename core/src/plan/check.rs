//! What must hold before planning: one Region, a desired topology without errors, and no
//! deployment through an existing VPC link that is not AVAILABLE.

use std::collections::BTreeSet;

use crate::diagnostic::Severity;
use crate::model::Topology;
use crate::pointer::JsonPointer;

use super::diff::{Fate, Fates};
use super::error::{PlanError, PlanErrorCode};
use super::key::{self, Key, Kind};

/// Desired and current must be in one Region: a plan acts in one.
pub(crate) fn region(desired: &Topology, current: Option<&Topology>) -> Result<(), PlanError> {
    match current {
        Some(c) if c.region != desired.region => Err(PlanError::new(
            PlanErrorCode::RegionMismatch,
            format!(
                "the desired topology is in {} but the current one is in {}; a plan works in one Region",
                desired.region, c.region
            ),
        )
        .at(JsonPointer::root().key("region"))),
        _ => Ok(()),
    }
}

/// The desired topology must check without errors: a plan of a broken topology would fail
/// at AWS, or worse, half succeed.
pub(crate) fn valid(desired: &Topology) -> Result<(), PlanError> {
    let report = crate::validate(desired);
    let errors: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    let Some(first) = errors.first() else {
        return Ok(());
    };
    let listed = errors
        .iter()
        .take(3)
        .map(|d| format!("{} at {}", d.code, d.path))
        .collect::<Vec<_>>()
        .join(", ");
    let more = if errors.len() > 3 {
        format!(" and {} more", errors.len() - 3)
    } else {
        String::new()
    };
    Err(PlanError::new(
        PlanErrorCode::InvalidTopology,
        format!(
            "the desired topology has {} error{} ({listed}{more}); fix {} first (`vpclink check` explains each): {}",
            errors.len(),
            if errors.len() == 1 { "" } else { "s" },
            if errors.len() == 1 { "it" } else { "them" },
            first.message
        ),
    )
    .at(first.path.clone()))
}

/// The APIs the plan deploys (a REST deployment, or an HTTP stage that deploys itself),
/// given the fates, as (kind of API, id).
fn deployed_apis(desired: &Topology, fates: &Fates) -> BTreeSet<(Kind, String)> {
    let mut out = BTreeSet::new();
    for (k, f) in &fates.map {
        if matches!(f, Fate::Keep | Fate::Existing | Fate::Delete) {
            continue;
        }
        match k.kind {
            Kind::RestStage => {
                out.insert((Kind::RestApi, k.id.clone()));
            }
            Kind::HttpStage => {
                out.insert((Kind::HttpApi, k.id.clone()));
            }
            // An HTTP stage deploys route changes by itself (AutoDeploy).
            Kind::HttpRoute
                if desired
                    .http_apis
                    .get(&k.id)
                    .is_some_and(|a| !a.stages.is_empty()) =>
            {
                out.insert((Kind::HttpApi, k.id.clone()));
            }
            _ => {}
        }
    }
    out
}

/// A deployment through an existing link that is not AVAILABLE is refused: a PENDING link
/// makes it wait, a FAILED or DELETING one makes it fail (facts §2.4, C4).
pub(crate) fn links(
    desired: &Topology,
    current: Option<&Topology>,
    fates: &Fates,
) -> Result<(), PlanError> {
    let apis = desired
        .rest_apis
        .iter()
        .map(|(id, a)| (Kind::RestApi, id, &a.routes, &a.stages))
        .chain(
            desired
                .http_apis
                .iter()
                .map(|(id, a)| (Kind::HttpApi, id, &a.routes, &a.stages)),
        );
    let deployed = deployed_apis(desired, fates);
    for (kind, api_id, routes, stages) in apis {
        if !deployed.contains(&(kind, api_id.as_str().to_owned())) {
            continue;
        }
        for (route_key, route) in routes.iter() {
            for link in key::links_of_integration(&route.integration, stages) {
                let lk = Key::new(Kind::VpcLink, link);
                if !fates.get(&lk).is_some_and(Fate::kept) {
                    continue;
                }
                let observed = [current, Some(desired)]
                    .into_iter()
                    .flatten()
                    .find_map(|t| {
                        let o = t.observed.as_ref()?.vpc_links.get(link)?;
                        Some((o, std::ptr::eq(t, desired)))
                    });
                let Some((o, in_desired)) = observed else {
                    continue;
                };
                // The state machine says what each status means and what to do.
                let mut refusal = match crate::lifecycle::require_available(link, o.status) {
                    Ok(()) => continue,
                    Err(refusal) => refusal,
                };
                if let Some(message) = &o.status_message {
                    refusal = refusal.with_status_message(message.clone());
                }
                let where_ = if in_desired {
                    ""
                } else {
                    " (status from the current topology)"
                };
                return Err(PlanError::new(
                    PlanErrorCode::LinkNotAvailable,
                    format!(
                        "route `{route_key}` of `{api_id}` is deployed through a VPC link that \
                         cannot carry it{where_}: {refusal} (facts §2.4)"
                    ),
                )
                .at(JsonPointer::root()
                    .key("observed")
                    .key("vpc_links")
                    .key(link)
                    .key("status")));
            }
        }
    }
    Ok(())
}
