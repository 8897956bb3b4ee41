//! A simulated AWS that answers any call of a plan generically.
//!
//! It knows the plan (a test double may), remembers the resources steps create, fabricates
//! responses that satisfy each step's output queries, walks wait states through
//! lifecycle-legal sequences on the host's clock, and injects faults per step.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value};
use vpclink_core::exec::{Action, Observation, Outcome, Purpose, ResolvedCall};
use vpclink_core::lifecycle::{transition, Lifecycle};
use vpclink_core::model::{LoadBalancerState, TargetHealthState, VpcLinkStatus};
use vpclink_core::plan::{Action as StepAction, JoinPart, Output, Plan, Step, Wait};

use super::shape::{merge, response_for, search, try_response_for};

/// Faults, per step id. Budgets are spent by the calls and checks of that step, whatever
/// their purpose, across crashes (AWS does not forget).
#[derive(Debug, Clone, Default)]
pub struct Faults {
    pub throttle: BTreeMap<String, u32>,
    /// 5xx answered before doing anything.
    pub transient: BTreeMap<String, u32>,
    /// 5xx answered after the resource was created (the host cannot tell).
    pub ambiguous: BTreeMap<String, u32>,
    /// The step's wait ends in its failure state (a FAILED VPC link).
    pub failed: BTreeSet<String>,
    /// The step's wait never reaches success (it times out).
    pub never_ready: BTreeSet<String>,
}

impl Faults {
    /// True when the run must fail (some permanent fault is planted).
    pub fn permanent(&self) -> bool {
        !self.failed.is_empty() || !self.never_ready.is_empty()
    }
}

#[derive(Debug, Clone)]
pub struct Resource {
    /// Raw output values by output name, as they appear in responses.
    pub raw: BTreeMap<String, Value>,
    pub created_ms: u64,
    pub last_status: Option<String>,
}

#[derive(Debug, Clone)]
struct Gone {
    deleted_ms: u64,
    last_status: Option<String>,
    raw: BTreeMap<String, Value>,
}

#[derive(Debug, Clone)]
pub struct Sim {
    plan: Plan,
    pub faults: Faults,
    /// Resources that exist, by the step that created them.
    pub live: BTreeMap<String, Resource>,
    gone: BTreeMap<String, Gone>,
    /// Creates per step (steps with a lookup, whose call is not idempotent).
    pub creates: BTreeMap<String, u32>,
    /// Steps created again while their resource existed: the bug the executor must avoid.
    pub duplicates: Vec<String>,
    /// Calls whose resolved parameters did not match what the sim handed out, or made
    /// before a dependency existed.
    pub bad_refs: Vec<String>,
    /// Undo calls refused because something depending on the resource still existed.
    pub blocked: Vec<String>,
    /// Captured output values handed out for steps the sim does not track.
    known: BTreeMap<String, BTreeMap<String, Value>>,
    /// First check of waits on steps the sim does not track.
    untracked_since: BTreeMap<String, u64>,
    serial: u64,
    pub calls: u64,
}

/// A step whose result the sim keeps as a resource.
pub fn tracked(step: &Step) -> bool {
    step.undo.is_some()
        || step.lookup.is_some()
        || matches!(step.action, StepAction::Create | StepAction::Register)
}

fn captured(raw: &Value, output: &Output) -> Value {
    match (&output.after, raw) {
        (Some(marker), Value::String(s)) => s
            .split_once(marker.as_str())
            .map_or(Value::Null, |(_, rest)| Value::String(rest.to_string())),
        _ => raw.clone(),
    }
}

fn error(code: &str, message: &str, retryable: bool) -> Outcome {
    Outcome::Error {
        code: code.into(),
        message: message.into(),
        retryable,
    }
}

/// How long a deleted VPC link stays DELETING, and deregistered targets draining.
const LINGER_MS: u64 = 20_000;

enum Machine {
    VpcLink,
    LoadBalancer,
    Targets,
    Other,
}

fn machine(wait: &Wait) -> Machine {
    let has = |s: &str| wait.success.iter().any(|x| x == s);
    if has("AVAILABLE") {
        Machine::VpcLink
    } else if has("active") {
        Machine::LoadBalancer
    } else if has("healthy") || has("unused") {
        Machine::Targets
    } else {
        Machine::Other
    }
}

/// Panics unless AWS could move from `from` to `to`.
fn legal<S: Lifecycle + std::fmt::Debug>(from: Option<&str>, to: &str) {
    let Some(to_state) = S::from_aws_name(to) else {
        return;
    };
    if let Some(from_state) = from.and_then(S::from_aws_name) {
        if let Err(e) = transition(from_state, to_state) {
            panic!("sim walked an illegal transition: {e}");
        }
    }
}

impl Sim {
    pub fn new(plan: Plan, faults: Faults) -> Sim {
        Sim {
            plan,
            faults,
            live: BTreeMap::new(),
            gone: BTreeMap::new(),
            creates: BTreeMap::new(),
            duplicates: Vec::new(),
            bad_refs: Vec::new(),
            blocked: Vec::new(),
            known: BTreeMap::new(),
            untracked_since: BTreeMap::new(),
            serial: 0,
            calls: 0,
        }
    }

    fn step(&self, id: &str) -> Step {
        self.plan
            .step(id)
            .unwrap_or_else(|| panic!("sim: unknown step {id}"))
            .clone()
    }

    fn spend(budget: &mut BTreeMap<String, u32>, step: &str) -> bool {
        match budget.get_mut(step) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        }
    }

    /// The answer to a `call` or `check` action; `None` for the other actions.
    pub fn answer(&mut self, action: &Action, now: u64) -> Option<Answer> {
        self.calls += 1;
        match action {
            Action::Call {
                step,
                call,
                purpose,
                ..
            } => Some(Answer::Outcome(self.call(step, call, *purpose, now))),
            Action::Check { step, purpose, .. } => {
                Some(Answer::Observation(self.check(step, *purpose, now)))
            }
            _ => None,
        }
    }

    fn call(&mut self, id: &str, call: &ResolvedCall, purpose: Purpose, now: u64) -> Outcome {
        if Self::spend(&mut self.faults.throttle, id) {
            return error("ThrottlingException", "Rate exceeded", false);
        }
        if Self::spend(&mut self.faults.transient, id) {
            return error("InternalFailure", "try again", true);
        }
        let step = self.step(id);
        match purpose {
            Purpose::Apply => self.apply(&step, call, now),
            Purpose::Lookup => self.lookup(&step, now),
            Purpose::Undo if self.dependent_alive(id, now).is_some() => {
                // Deletion blockers (facts §9.4): ResourceInUse / DependencyViolation.
                let blocker = self.dependent_alive(id, now).unwrap_or_default();
                self.blocked.push(format!("{id} while {blocker} exists"));
                error(
                    "ResourceInUse",
                    &format!("{id} is in use by {blocker}"),
                    false,
                )
            }
            Purpose::Undo => match self.live.remove(id) {
                Some(r) => {
                    self.gone.insert(
                        id.to_string(),
                        Gone {
                            deleted_ms: now,
                            last_status: r.last_status,
                            raw: r.raw,
                        },
                    );
                    Outcome::Success {
                        response: json!({}),
                    }
                }
                None => error("NotFoundException", "no such resource", false),
            },
        }
    }

    /// New raw values for a step's outputs. Outputs that read the same query (an ARN and
    /// the full name cut from it) share one value, which carries the `after` marker.
    fn fresh(&mut self, step: &Step) -> BTreeMap<String, Value> {
        self.serial += 1;
        let n = self.serial;
        let mut raw: BTreeMap<String, Value> = BTreeMap::new();
        let groups = [
            step.outputs.clone(),
            step.lookup.iter().flat_map(|l| l.outputs.clone()).collect(),
        ];
        for outputs in groups {
            let mut by_query: BTreeMap<&str, Vec<&Output>> = BTreeMap::new();
            for o in &outputs {
                by_query.entry(o.query.as_str()).or_default().push(o);
            }
            for (query, group) in by_query {
                let known = group.iter().find_map(|o| raw.get(&o.name).cloned());
                let value = known.unwrap_or_else(|| {
                    let marker = group.iter().find_map(|o| o.after.clone());
                    Value::String(match marker {
                        Some(m) => format!("arn:aws:sim:us-east-1:123456789012:{m}{}/{n}", step.id),
                        None => format!("sim-{}-{}-{n}", step.id, query.len()),
                    })
                });
                for o in group {
                    raw.entry(o.name.clone()).or_insert_with(|| value.clone());
                }
            }
        }
        raw
    }

    /// A resource that still exists and depends on `id`, directly or through other steps.
    /// A VPC link stays while DELETING (the sim's 20 s): its endpoint service still holds
    /// the NLB (facts §2.4, §9.4).
    fn dependent_alive(&self, id: &str, now: u64) -> Option<String> {
        let lingering = self.gone.keys().filter(|k| self.lingers(k, now));
        // Only real resources block (steps with an undo); a change such as
        // set_security_groups goes away with the resource it changed.
        self.live
            .keys()
            .filter(|k| self.step(k).undo.is_some())
            .chain(lingering)
            .find(|other| other.as_str() != id && self.depends(other, id))
            .cloned()
    }

    fn depends(&self, step: &str, on: &str) -> bool {
        let mut stack = vec![step.to_string()];
        let mut seen = BTreeSet::new();
        while let Some(s) = stack.pop() {
            if !seen.insert(s.clone()) {
                continue;
            }
            for d in &self.step(&s).depends_on {
                if d == on {
                    return true;
                }
                stack.push(d.clone());
            }
        }
        false
    }

    fn apply(&mut self, step: &Step, call: &ResolvedCall, now: u64) -> Outcome {
        let missing = step
            .depends_on
            .iter()
            .find(|d| tracked(&self.step(d)) && !self.live.contains_key(d.as_str()));
        if let Some(d) = missing {
            let e = format!("needs `{d}`, which does not exist");
            self.bad_refs.push(format!("{}: {e}", step.id));
            return error("InvalidParameterValue", &e, false);
        }
        if let Err(e) = self.check_refs(step, call) {
            self.bad_refs.push(format!("{}: {e}", step.id));
            return error("InvalidParameterValue", &e, false);
        }
        let ambiguous = step.lookup.is_some() && Self::spend(&mut self.faults.ambiguous, &step.id);
        let raw = if tracked(step) {
            if step.lookup.is_some() {
                *self.creates.entry(step.id.clone()).or_default() += 1;
                if self.live.contains_key(&step.id) {
                    self.duplicates.push(step.id.clone());
                }
            }
            match self.live.get(&step.id) {
                // Idempotent calls (no lookup) leave the existing resource as it is.
                Some(r) if step.lookup.is_none() => r.raw.clone(),
                _ => {
                    let raw = self.fresh(step);
                    self.gone.remove(&step.id);
                    self.live.insert(
                        step.id.clone(),
                        Resource {
                            raw: raw.clone(),
                            created_ms: now,
                            last_status: None,
                        },
                    );
                    raw
                }
            }
        } else {
            let raw = self.fresh(step);
            let known = step
                .outputs
                .iter()
                .filter_map(|o| raw.get(&o.name).map(|v| (o.name.clone(), captured(v, o))))
                .collect();
            self.known.insert(step.id.clone(), known);
            raw
        };
        let mut raw = raw;
        let outputs = self.resolved(&step.outputs);
        let response = respond(&outputs, &mut raw);
        if let Some(r) = self.live.get_mut(&step.id) {
            r.raw.clone_from(&raw);
        }
        if ambiguous {
            return error("ServiceUnavailable", "the service is unavailable", true);
        }
        Outcome::Success { response }
    }

    /// The outputs with each `query_join` joined from the values the sim handed out, as the
    /// executor joins it from what it captured: the query AWS would be asked.
    fn resolved(&self, outputs: &[Output]) -> Vec<Output> {
        outputs
            .iter()
            .map(|o| {
                let mut o = o.clone();
                if !o.query_join.is_empty() {
                    o.query = o
                        .query_join
                        .iter()
                        .map(|part| match part {
                            JoinPart::Text(t) => t.clone(),
                            JoinPart::Output { output } => self
                                .live
                                .get(&output.step)
                                .and_then(|r| r.raw.get(&output.name))
                                .and_then(Value::as_str)
                                .unwrap_or("<not created>")
                                .to_owned(),
                        })
                        .collect();
                    o.query_join.clear();
                }
                o
            })
            .collect()
    }

    fn lookup(&mut self, step: &Step, now: u64) -> Outcome {
        let Some(lookup) = &step.lookup else {
            panic!("sim: lookup for step {} without one", step.id);
        };
        let outputs = self.resolved(&lookup.outputs);
        if let Some(r) = self.live.get_mut(&step.id) {
            return Outcome::Success {
                response: respond(&outputs, &mut r.raw),
            };
        }
        if self.lingers(&step.id, now) {
            // A DELETING VPC link is still listed.
            if let Some(g) = self.gone.get_mut(&step.id) {
                return Outcome::Success {
                    response: respond(&outputs, &mut g.raw),
                };
            }
        }
        // Both ways AWS says "nothing": an empty list, or a NotFound error.
        if self.serial % 2 == 0 {
            Outcome::Success {
                response: json!({}),
            }
        } else {
            error("NotFoundException", "nothing by that name", false)
        }
    }

    /// A deleted resource that still exists for a while (a DELETING VPC link).
    fn lingers(&self, id: &str, now: u64) -> bool {
        let slow = self
            .step(id)
            .wait
            .as_ref()
            .is_some_and(|w| matches!(machine(w), Machine::VpcLink));
        slow && self
            .gone
            .get(id)
            .is_some_and(|g| now < g.deleted_ms + LINGER_MS)
    }

    /// The values the executor should have put in the call: every `$output` resolved to
    /// what the sim handed out.
    fn check_refs(&self, step: &Step, call: &ResolvedCall) -> Result<(), String> {
        let expected = self.resolve(&Value::Object(step.call.params.clone()))?;
        if expected != Value::Object(call.params.clone()) {
            return Err(format!(
                "parameters {} do not match the outputs handed out ({expected})",
                Value::Object(call.params.clone())
            ));
        }
        Ok(())
    }

    fn output_value(&self, step: &str, name: &str) -> Result<Value, String> {
        let def = self.step(step);
        if tracked(&def) {
            let r = self
                .live
                .get(step)
                .ok_or_else(|| format!("refers to `{step}`, which does not exist"))?;
            let o = def
                .outputs
                .iter()
                .chain(def.lookup.iter().flat_map(|l| &l.outputs))
                .find(|o| o.name == name)
                .ok_or_else(|| format!("no output {name}"))?;
            let raw = r.raw.get(name).ok_or_else(|| format!("no raw {name}"))?;
            Ok(captured(raw, o))
        } else {
            self.known
                .get(step)
                .and_then(|m| m.get(name))
                .cloned()
                .ok_or_else(|| format!("refers to `{step}`, which has not run"))
        }
    }

    fn resolve(&self, v: &Value) -> Result<Value, String> {
        match v {
            Value::Object(m) if m.len() == 1 && m.contains_key("$output") => {
                let r = &m["$output"];
                self.output_value(r["step"].as_str().unwrap(), r["name"].as_str().unwrap())
            }
            Value::Object(m) if m.len() == 1 && m.contains_key("$join") => {
                let mut s = String::new();
                for part in m["$join"].as_array().unwrap() {
                    match self.resolve(part)? {
                        Value::String(t) => s.push_str(&t),
                        other => s.push_str(&other.to_string()),
                    }
                }
                Ok(Value::String(s))
            }
            Value::Object(m) => {
                let mut out = Map::new();
                for (k, v) in m {
                    out.insert(k.clone(), self.resolve(v)?);
                }
                Ok(Value::Object(out))
            }
            Value::Array(items) => items
                .iter()
                .map(|v| self.resolve(v))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array),
            other => Ok(other.clone()),
        }
    }

    fn check(&mut self, id: &str, purpose: Purpose, now: u64) -> Observation {
        if Self::spend(&mut self.faults.throttle, id) {
            return Observation::Error {
                code: "Throttling".into(),
                message: "Rate exceeded".into(),
                retryable: false,
            };
        }
        let step = self.step(id);
        if purpose == Purpose::Undo {
            return self.check_undo(&step, now);
        }
        let wait = step.wait.clone().expect("a check needs a wait");
        let failed = self.faults.failed.contains(id);
        let never = self.faults.never_ready.contains(id);
        let created = match self.live.get(id) {
            Some(r) => r.created_ms,
            None => *self.untracked_since.entry(id.to_string()).or_insert(now),
        };
        let elapsed = now.saturating_sub(created);
        let (status, message) = match machine(&wait) {
            Machine::VpcLink => match () {
                _ if elapsed < 90_000 || never => ("PENDING", "VPC link is provisioning ENIs"),
                _ if failed => (
                    "FAILED",
                    "NLB is already associated with another VPC Endpoint Service",
                ),
                _ => ("AVAILABLE", ""),
            },
            Machine::LoadBalancer => match () {
                _ if elapsed < 60_000 || never => ("provisioning", ""),
                _ if failed => ("failed", "insufficient capacity"),
                _ => ("active", ""),
            },
            Machine::Targets => match () {
                _ if elapsed < 30_000 || never => ("initial", "Elb.RegistrationInProgress"),
                _ if failed => ("unhealthy", "Target.FailedHealthChecks"),
                _ => ("healthy", ""),
            },
            Machine::Other => match () {
                _ if never => ("sim-not-yet", ""),
                _ if failed => (
                    wait.failure.first().map_or("sim-broken", String::as_str),
                    "broken",
                ),
                _ => (wait.success[0].as_str(), ""),
            },
        };
        let status = status.to_string();
        if let Some(r) = self.live.get_mut(id) {
            let prev = r.last_status.replace(status.clone());
            legal::<VpcLinkStatus>(prev.as_deref(), &status);
            legal::<LoadBalancerState>(prev.as_deref(), &status);
            legal::<TargetHealthState>(prev.as_deref(), &status);
        }
        Observation::Response {
            response: status_response(&wait, &status, message),
        }
    }

    fn check_undo(&mut self, step: &Step, now: u64) -> Observation {
        let wait = step
            .undo
            .as_ref()
            .and_then(|u| u.wait.clone())
            .expect("an undo check needs an undo wait");
        let Some(gone) = self.gone.get_mut(&step.id) else {
            // Still there (the undo call has not happened) — should not be asked.
            panic!("sim: undo wait for {} before its undo", step.id);
        };
        let elapsed = now.saturating_sub(gone.deleted_ms);
        let kind = step.wait.as_ref().map_or(machine(&wait), machine);
        let (status, error) = match kind {
            Machine::VpcLink if elapsed < LINGER_MS => (Some("DELETING"), None),
            Machine::Targets if elapsed < LINGER_MS => (Some("draining"), None),
            _ => match wait.success_errors.first() {
                Some(code) => (None, Some(code.clone())),
                None => (Some(wait.success[0].as_str()), None),
            },
        };
        if let Some(code) = error {
            return Observation::Error {
                code,
                message: "gone".into(),
                retryable: false,
            };
        }
        let status = status.unwrap_or_default().to_string();
        let prev = gone.last_status.replace(status.clone());
        legal::<VpcLinkStatus>(prev.as_deref(), &status);
        legal::<TargetHealthState>(prev.as_deref(), &status);
        Observation::Response {
            response: status_response(&wait, &status, ""),
        }
    }
}

pub enum Answer {
    Outcome(Outcome),
    Observation(Observation),
}

/// A response carrying every output's raw value, checked against the queries. When a
/// query's filter pins the value (`[?IpProtocol=='tcp'] | [0].IpProtocol`), the pinned value
/// is what AWS would return, and it replaces the raw one.
fn respond(outputs: &[Output], raw: &mut BTreeMap<String, Value>) -> Value {
    let mut response = json!({});
    for o in outputs {
        let value = raw.get(&o.name).cloned().unwrap_or(Value::Null);
        merge(&mut response, response_for(&o.query, value));
    }
    for o in outputs {
        let found = search(&o.query, &response);
        let want = raw.get(&o.name).cloned().unwrap_or(Value::Null);
        let same = found == want || found.as_array().is_some_and(|a| a.contains(&want));
        assert!(
            !found.is_null(),
            "sim: `{}` reads nothing from {response}",
            o.query
        );
        if !same {
            raw.insert(o.name.clone(), found);
        }
    }
    response
}

fn status_response(wait: &Wait, status: &str, message: &str) -> Value {
    let mut response = response_for(&wait.status_query, Value::String(status.into()));
    // The message is for people: skipped when there is none, or when the sim cannot add it
    // without changing the status (a `!=` filter over the same list).
    if let Some(Ok(m)) = wait
        .message_query
        .as_ref()
        .filter(|_| !message.is_empty())
        .map(|q| try_response_for(q, Value::String(message.into())))
    {
        let mut with = response.clone();
        merge(&mut with, m);
        if search(&wait.status_query, &with) == search(&wait.status_query, &response) {
            response = with;
        }
    }
    response
}
