//! Plans: the ordered AWS API calls that turn a current topology into a desired one.
//!
//! [`plan`] diffs `desired` against `current` (or plans everything when there is no
//! current topology): every resource is created, changed in place, replaced, deleted or
//! left alone (`diff`); each change becomes steps of one AWS call each (`build`,
//! `update`, `teardown`); the steps are ordered by what they read from each other and by
//! what blocks deletions (`edges`), then grouped into waves with a critical path
//! (`order`). [`Plan::problems`] checks the promises every plan keeps.

mod aws;
mod build;
mod check;
mod ctx;
mod diff;
mod edges;
mod error;
mod immutable;
mod invariants;
mod key;
mod order;
mod step;
mod teardown;
pub mod types;
mod update;

pub use error::{PlanError, PlanErrorCode};
pub use types::*;

use crate::model::Topology;

use ctx::Ctx;
use diff::Fate;

/// Plans the calls that turn `current` into `desired`; with no `current`, everything in
/// `desired` that carries no AWS id is created.
pub fn plan(desired: &Topology, current: Option<&Topology>) -> Result<Plan, PlanError> {
    make(desired, current, PlanMode::Deploy)
}

/// Plans the teardown of everything in `current`: `plan(empty, current)` in destroy mode.
pub fn destroy(current: &Topology) -> Result<Plan, PlanError> {
    let empty = Topology::empty(current.region.clone());
    make(&empty, Some(current), PlanMode::Destroy)
}

fn make(desired: &Topology, current: Option<&Topology>, mode: PlanMode) -> Result<Plan, PlanError> {
    check::region(desired, current)?;
    let fates = diff::fates(desired, current)?;
    check::links(desired, current, &fates)?;
    check::valid(desired)?;

    let mut ctx = Ctx::new(desired, current, fates);
    for (k, _) in key::entities(desired) {
        match ctx.fate(&k).cloned() {
            Some(Fate::Create | Fate::Replace { .. }) => ctx.create(&k)?,
            Some(Fate::Update(changes)) => ctx.update(&k, &changes)?,
            Some(Fate::Existing) => ctx.attach_existing(&k)?,
            _ => {}
        }
    }
    if let Some(c) = current {
        // Users before what they use: alarms and APIs first, the VPC last.
        for (k, _) in key::entities(c).into_iter().rev() {
            ctx.remove(&k)?;
        }
    }
    ctx.order_removals();
    ctx.order_deployments();
    ctx.apply_soft_edges();

    let mut summary = PlanSummary::default();
    let mut unchanged = Vec::new();
    for (k, f) in &ctx.fates.map {
        match f {
            Fate::Create => summary.create += 1,
            Fate::Update(_) => summary.update += 1,
            Fate::Replace { .. } => summary.replace += 1,
            Fate::Delete => summary.delete += 1,
            Fate::Keep | Fate::Existing => unchanged.push(ctx.res(k)),
        }
    }
    // Unchanged resources in topology order, as a reviewer reads them.
    let rank: std::collections::BTreeMap<String, usize> = key::entities(desired)
        .into_iter()
        .enumerate()
        .map(|(i, (_, p))| (p.as_str().to_owned(), i))
        .collect();
    unchanged.sort_by_key(|r| rank.get(r.path.as_str()).copied().unwrap_or(usize::MAX));
    summary.unchanged = unchanged.len();

    let ordered = order::order(ctx.steps)?;
    summary.steps = ordered.steps.len();
    Ok(Plan {
        version: PLAN_FORMAT_VERSION,
        region: desired.region.clone(),
        mode,
        steps: ordered.steps,
        waves: ordered.waves,
        critical_path: ordered.critical_path,
        unchanged,
        summary,
    })
}

#[cfg(test)]
mod tests;
