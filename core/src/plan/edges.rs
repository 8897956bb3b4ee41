//! The orderings that no parameter reference implies: what must go before a deletion
//! (facts §9.4), the two halves of each replacement, and redeployments after routes go.

use std::collections::{BTreeMap, BTreeSet};

use super::ctx::Ctx;
use super::diff::{Fate, Order};
use super::key::{self, Hold, Key, Kind};
use super::types::StepId;

impl Ctx<'_> {
    /// The step that removes the current entity: its own, or its owner's when the owner
    /// goes (listeners with their load balancer, routes and stages with their API).
    pub(crate) fn removal_step(&self, key: &Key) -> Option<StepId> {
        if let Some(owner) = key.owner() {
            if self.fate(&owner).is_some_and(Fate::removes_old) {
                return self.removed.get(&owner).cloned();
            }
        }
        self.removed.get(key).cloned()
    }

    /// Whether the current entity goes in this plan (itself, or with its owner).
    fn old_goes(&self, key: &Key) -> bool {
        if self.fate(key).is_some_and(Fate::removes_old) {
            return true;
        }
        key.owner()
            .is_some_and(|o| self.fate(&o).is_some_and(Fate::removes_old))
    }

    /// Adds the removal orderings:
    ///
    /// - a deleted resource goes after whatever used it has gone or let go of it
    ///   (alarms first, stages and APIs before their VPC link, the link before its NLB,
    ///   listeners before target groups, instances and ENIs before their groups and
    ///   subnets, subnets off a custom ACL before it goes, everything before its VPC);
    /// - a replacement that creates first deletes the old resource after the new one
    ///   exists and its users moved over; one that deletes first creates after the
    ///   deletion, and waits only for rules and targets that name the old one to go.
    pub(crate) fn order_removals(&mut self) {
        let Some(c) = self.c else {
            return;
        };
        let mut held_by: BTreeMap<Key, Vec<(Key, Hold)>> = BTreeMap::new();
        for (b, _) in key::entities(c) {
            for r in key::references(c, &b) {
                held_by.entry(r.to).or_default().push((b.clone(), r.hold));
            }
        }
        // Hard edges are what AWS needs; soft ones only make the order tidier (alarms
        // first, targets' groups before their instances) and are kept where they agree
        // with the hard ones, so odd inputs (a load balancer registered in a group it
        // forwards to) cannot make a cycle.
        let mut edges: Vec<(StepId, StepId)> = Vec::new();
        let mut soft: Vec<(StepId, StepId)> = Vec::new();
        // Every create step of an entity, by its resource: all of a replacement that
        // deletes first wait for the deletion (an HTTP integration's lookup would
        // otherwise find the old one by its description).
        let mut creates_of: BTreeMap<(String, String), Vec<StepId>> = BTreeMap::new();
        for s in &self.steps {
            if s.id.starts_with("create.") {
                creates_of
                    .entry((s.resource.kind.clone(), s.resource.id.clone()))
                    .or_default()
                    .push(s.id.clone());
            }
        }
        let removed: Vec<(Key, Option<Order>)> = self
            .fates
            .map
            .iter()
            .filter(|(_, f)| f.removes_old())
            .map(|(k, f)| {
                let order = match f {
                    Fate::Replace { order, .. } => Some(*order),
                    _ => None,
                };
                (k.clone(), order)
            })
            .collect();
        for (k, order) in removed {
            let Some(r) = self.removal_step(&k) else {
                continue;
            };
            // Rules and targets naming the old resource are dropped as late as possible:
            // after whatever holds it for good is gone, so the old path serves until then.
            let holders = held_by.get(&k).cloned().unwrap_or_default();
            let hard_gone: Vec<StepId> = holders
                .iter()
                .filter(|(b, h)| *h == Hold::Hard && self.old_goes(b))
                .filter_map(|(b, _)| self.removal_step(b))
                .collect();
            for (b, h) in &holders {
                if *h == Hold::Detach && self.fate(b).is_some_and(Fate::kept) {
                    for d in self.detaches.get(b).cloned().unwrap_or_default() {
                        soft.extend(hard_gone.iter().map(|g| (d.clone(), g.clone())));
                    }
                }
            }
            // A going group's own revokes run while it still exists.
            for d in self.detaches.get(&k).cloned().unwrap_or_default() {
                edges.push((r.clone(), d));
            }
            match (order, self.created.get(&k)) {
                (Some(Order::CreateFirst), Some(new)) => edges.push((r.clone(), new.clone())),
                (Some(Order::DeleteFirst), Some(new)) => {
                    edges.push((new.clone(), r.clone()));
                    let rid = (k.kind.collection().to_owned(), k.ref_id());
                    for c in creates_of.get(&rid).cloned().unwrap_or_default() {
                        edges.push((c, r.clone()));
                    }
                }
                _ => {}
            }
            for (b, hold) in held_by.get(&k).cloned().unwrap_or_default() {
                if self.old_goes(&b) {
                    let Some(rb) = self.removal_step(&b) else {
                        continue;
                    };
                    if rb == r {
                        continue;
                    }
                    let detaches = self.detaches.get(&b).cloned().unwrap_or_default();
                    match hold {
                        // Revoking the rules that name it is enough; the groups that
                        // named each other can then go in any order.
                        Hold::Detach if !detaches.is_empty() => {
                            edges.extend(detaches.into_iter().map(|d| (r.clone(), d)));
                        }
                        Hold::Hard => edges.push((r.clone(), rb)),
                        Hold::Detach => soft.push((r.clone(), rb)),
                        Hold::None if order.is_none() => soft.push((r.clone(), rb)),
                        Hold::None => {}
                    }
                } else if self.fate(&b).is_some_and(Fate::kept) {
                    // A kept user lets go by a change of its own: revoking a rule or
                    // deregistering a target, or repointing (a listener, an ENI's groups,
                    // a stage's deployment). Only those wait; its other changes may need
                    // what this deletion makes way for.
                    let steps = match hold {
                        Hold::Detach => self.detaches.get(&b).cloned(),
                        Hold::Hard => self.updates.get(&b).cloned(),
                        Hold::None => None,
                    };
                    edges.extend(
                        steps
                            .unwrap_or_default()
                            .into_iter()
                            .map(|u| (r.clone(), u)),
                    );
                }
            }
        }
        for (step, on) in edges {
            self.edge(&step, &on);
        }
        self.soft.extend(soft);
    }

    /// Adds the preferred orderings that agree with the required ones: each is kept
    /// unless the step it would wait for already waits, directly or not, for it.
    pub(crate) fn apply_soft_edges(&mut self) {
        let soft = std::mem::take(&mut self.soft);
        if soft.is_empty() {
            return;
        }
        let mut adj: BTreeMap<String, BTreeSet<String>> = self
            .steps
            .iter()
            .map(|s| {
                let mut deps: BTreeSet<String> = s.depends_on.iter().cloned().collect();
                deps.extend(super::order::step_references(s));
                (s.id.clone(), deps)
            })
            .collect();
        for (step, on) in soft {
            if step == on || !adj.contains_key(&on) {
                continue;
            }
            let already = match adj.get(&step) {
                Some(deps) => deps.contains(&on),
                None => continue,
            };
            if already || reaches(&adj, &on, &step) {
                continue;
            }
            if let Some(deps) = adj.get_mut(&step) {
                deps.insert(on.clone());
            }
            self.edge(&step, &on);
        }
    }

    /// A new deployment of a kept REST API goes after the routes it drops are gone, so it
    /// no longer serves them (and no longer holds their VPC links, facts §2.4).
    pub(crate) fn order_deployments(&mut self) {
        let mut edges = Vec::new();
        for (k, _) in self
            .fates
            .map
            .iter()
            .filter(|(k, f)| k.kind == Kind::RestRoute && f.removes_old())
        {
            let Some(r) = self.removed.get(k) else {
                continue;
            };
            let stages = self
                .d
                .rest_apis
                .get(&k.id)
                .map(|a| a.stages.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>())
                .unwrap_or_default();
            for stage in stages {
                let sk = Key::sub(Kind::RestStage, k.id.clone(), stage);
                for id in [
                    sk.step_with("create", "deployment"),
                    sk.step_with("redeploy", "stage"),
                ] {
                    if self.has_step(&id) {
                        edges.push((id, r.clone()));
                    }
                }
            }
        }
        for (step, on) in edges {
            self.edge(&step, &on);
        }
    }
}

/// Whether `from` depends, directly or not, on `target`.
fn reaches(adj: &BTreeMap<String, BTreeSet<String>>, from: &str, target: &str) -> bool {
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut todo = vec![from];
    while let Some(at) = todo.pop() {
        if at == target {
            return true;
        }
        if let Some(deps) = adj.get(at) {
            for d in deps {
                if seen.insert(d.as_str()) {
                    todo.push(d.as_str());
                }
            }
        }
    }
    false
}
