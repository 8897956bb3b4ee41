//! The shape every state machine here shares, and the typed error for an illegal move.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Which AWS state machine a state or transition belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Machine {
    /// `status` of an `apigateway` VPC link, `VpcLinkStatus` of an `apigatewayv2` one.
    VpcLink,
    /// `State.Code` of an elbv2 load balancer.
    LoadBalancer,
    /// `TargetHealth.State` of a registered target.
    TargetHealth,
}

impl Machine {
    /// The name a person reads in a message.
    pub fn noun(self) -> &'static str {
        match self {
            Machine::VpcLink => "VPC link",
            Machine::LoadBalancer => "load balancer",
            Machine::TargetHealth => "target",
        }
    }
}

impl std::fmt::Display for Machine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.noun())
    }
}

/// A state of one AWS state machine, with the moves AWS makes between states.
///
/// Staying in the same state is not a transition and is always accepted: a poll that sees
/// the same state twice is normal.
pub trait Lifecycle: Copy + Eq + 'static {
    const MACHINE: Machine;
    /// Every state, in the order AWS documents them.
    const ALL: &'static [Self];

    /// The string AWS uses (`AVAILABLE`, `active_impaired`, `unhealthy.draining`).
    fn aws_name(self) -> &'static str;

    /// The states AWS may move to from this one (never including this one).
    fn next_states(self) -> &'static [Self];

    /// The state for an AWS string, exactly as AWS spells it.
    fn from_aws_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|s| s.aws_name() == name)
    }

    /// True when AWS never moves on from this state (the resource only disappears).
    fn is_final(self) -> bool {
        self.next_states().is_empty()
    }
}

/// Checks one observed move and returns the new state when AWS can make it.
pub fn transition<S: Lifecycle>(from: S, to: S) -> Result<S, IllegalTransition> {
    if from == to || from.next_states().contains(&to) {
        Ok(to)
    } else {
        Err(IllegalTransition::new(from, to, None))
    }
}

/// A move between two states that AWS does not make.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, thiserror::Error)]
#[error("{}", self.render())]
pub struct IllegalTransition {
    pub machine: Machine,
    pub from: String,
    pub to: String,
    /// The states AWS can move to from `from`.
    pub allowed: Vec<String>,
    /// Why, when the general rule needs a word (a V1 link is never INACTIVE).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl IllegalTransition {
    pub(crate) fn new<S: Lifecycle>(from: S, to: S, note: Option<&str>) -> Self {
        IllegalTransition {
            machine: S::MACHINE,
            from: from.aws_name().to_string(),
            to: to.aws_name().to_string(),
            allowed: from
                .next_states()
                .iter()
                .map(|s| s.aws_name().to_string())
                .collect(),
            note: note.map(str::to_string),
        }
    }

    fn render(&self) -> String {
        let mut s = format!(
            "a {} cannot go from `{}` to `{}`",
            self.machine, self.from, self.to
        );
        if self.allowed.is_empty() {
            s.push_str(&format!(
                " (`{}` is final: the {} only disappears)",
                self.from, self.machine
            ));
        } else {
            let allowed: Vec<String> = self.allowed.iter().map(|a| format!("`{a}`")).collect();
            s.push_str(&format!(
                " (from `{}` it can only become {})",
                self.from,
                join_or(&allowed)
            ));
        }
        if let Some(note) = &self.note {
            s.push_str(": ");
            s.push_str(note);
        }
        s
    }
}

/// `a`, `a or b`, `a, b or c`.
fn join_or(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}
