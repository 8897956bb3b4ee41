//! What the user sees: a status code through the API, a VPC link state, unhealthy targets.

use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub enum SymptomKind {
    /// Clients get 500 Internal Server Error.
    #[serde(rename = "500")]
    Http500,
    #[serde(rename = "502")]
    Http502,
    #[serde(rename = "503")]
    Http503,
    #[serde(rename = "504")]
    Http504,
    /// The VPC link stays PENDING.
    #[serde(rename = "link-pending")]
    LinkPending,
    /// The VPC link is FAILED.
    #[serde(rename = "link-failed")]
    LinkFailed,
    /// Targets are unhealthy (or unused).
    #[serde(rename = "targets-unhealthy")]
    TargetsUnhealthy,
    /// Nothing reaches the targets.
    #[serde(rename = "no-traffic")]
    NoTraffic,
    /// Some requests fail, some succeed.
    #[serde(rename = "intermittent")]
    Intermittent,
}

impl SymptomKind {
    pub const ALL: [SymptomKind; 9] = [
        SymptomKind::Http500,
        SymptomKind::Http502,
        SymptomKind::Http503,
        SymptomKind::Http504,
        SymptomKind::LinkPending,
        SymptomKind::LinkFailed,
        SymptomKind::TargetsUnhealthy,
        SymptomKind::NoTraffic,
        SymptomKind::Intermittent,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            SymptomKind::Http500 => "500",
            SymptomKind::Http502 => "502",
            SymptomKind::Http503 => "503",
            SymptomKind::Http504 => "504",
            SymptomKind::LinkPending => "link-pending",
            SymptomKind::LinkFailed => "link-failed",
            SymptomKind::TargetsUnhealthy => "targets-unhealthy",
            SymptomKind::NoTraffic => "no-traffic",
            SymptomKind::Intermittent => "intermittent",
        }
    }

    /// How a person would say it.
    pub fn describe(&self) -> &'static str {
        match self {
            SymptomKind::Http500 => "clients get 500 Internal Server Error",
            SymptomKind::Http502 => "clients get 502 Bad Gateway",
            SymptomKind::Http503 => "clients get 503 Service Unavailable",
            SymptomKind::Http504 => "clients get 504 Gateway Timeout",
            SymptomKind::LinkPending => "the VPC link stays PENDING",
            SymptomKind::LinkFailed => "the VPC link is FAILED",
            SymptomKind::TargetsUnhealthy => "targets are unhealthy",
            SymptomKind::NoTraffic => "no traffic reaches the targets",
            SymptomKind::Intermittent => "requests fail intermittently",
        }
    }
}

impl FromStr for SymptomKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let normal = s.trim().to_ascii_lowercase().replace('_', "-");
        let found = match normal.as_str() {
            "unhealthy" | "unhealthy-targets" => Some(SymptomKind::TargetsUnhealthy),
            "pending" => Some(SymptomKind::LinkPending),
            "failed" => Some(SymptomKind::LinkFailed),
            other => SymptomKind::ALL.into_iter().find(|k| k.as_str() == other),
        };
        found.ok_or_else(|| {
            format!(
                "`{s}` is not a symptom; use one of {}",
                SymptomKind::ALL.map(|k| k.as_str()).join(", ")
            )
        })
    }
}

impl fmt::Display for SymptomKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A symptom, with what the user saw beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Symptom {
    pub kind: SymptomKind,
    /// Free text seen with it: a VPC link status message or an execution-log line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Target health reason codes seen, such as `Target.FailedHealthChecks`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<String>,
}

impl Symptom {
    pub fn new(kind: SymptomKind) -> Self {
        Symptom {
            kind,
            detail: None,
            reasons: Vec::new(),
        }
    }
}
