//! The sans-IO executor: drives a plan step by step; the host makes the calls.
//!
//! The executor never reads a clock, never draws OS randomness and never does IO, in the
//! style of quinn-proto: the host passes the time to [`Executor::poll`], makes the calls it
//! gets back (boto3 in Python, fetch in JS, a simulated AWS in the Rust tests), and reports
//! each answer with [`Executor::complete`] (calls) or [`Executor::observe`] (a wait's
//! checks). Jitter comes from a generator seeded by [`ExecOptions::seed`].
//!
//! What it does for the host:
//! - runs every step whose dependencies are done, all at once (a wave at a time at best);
//! - resolves `$output` / `$join` references from the outputs earlier steps captured with
//!   their JMESPath queries (`after` keeps the text after a marker);
//! - retries throttling (`Throttling`, `TooManyRequestsException`, ...) and retryable
//!   errors with exponential backoff and jitter, at most `max_attempts` answers per call;
//!   after a retryable error that may have come after the change was made (a 5xx), it
//!   looks the resource up (the step's `lookup`) before calling again;
//! - re-checks waits every `interval_seconds`, ends them on a success state or a
//!   `success_errors` code, fails them on a failure state (with `message_query`'s text) or
//!   when `timeout_seconds` have passed since the first check;
//! - on a permanent failure lets the requests in flight finish (creating nothing new), then
//!   stops or rolls back ([`OnFailure`]): every step that created something is undone,
//!   newest first and never before everything that depends on it, with its undo wait;
//!   `NotFound` answers to an undo mean "already gone", and `DependencyViolation` /
//!   `ResourceInUse` are retried (facts §9.4: ENIs linger after deletions).
//!
//! # Checkpoints
//!
//! [`Executor::checkpoint`] is the whole state as versioned JSON. Store it **after every
//! `poll`, before making the calls it returned**, and after every answer; after a crash,
//! [`Executor::resume`] with the last one stored. Requests that were in flight are sent
//! again: a call that may have gone through is looked up first and only repeated if the
//! lookup finds nothing; calls without a lookup are idempotent and simply re-sent. Every
//! step not yet known to exist is also looked up before its call (and, on rollback, before
//! deciding there is nothing to undo), so that even an older checkpoint creates nothing
//! twice.
//!
//! [`Executor::events`] drains progress events (steps started, retrying with a delay,
//! waiting with the state seen, done, failed, rolled back; waves started and done) and
//! [`Executor::status`] counts steps per state.
//!
//! # The host loop
//!
//! ```
//! use vpclink_core::exec::{Action, ExecOptions, Executor, Observation, Outcome};
//! use vpclink_core::plan::Plan;
//! use serde_json::json;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let plan: Plan = serde_json::from_value(json!({
//!     "version": 1, "region": "us-east-1", "mode": "deploy",
//!     "steps": [{
//!         "id": "create-vpc-link.link", "action": "create",
//!         "resource": {"kind": "vpc_links", "id": "link", "path": "/vpc_links/link"},
//!         "description": "Create the VPC link.",
//!         "call": {"service": "apigateway", "operation": "create_vpc_link",
//!                  "params": {"name": "link", "targetArns": ["arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/nlb/1"]}},
//!         "outputs": [{"name": "VpcLinkId", "query": "id"}],
//!         "wait": {"call": {"service": "apigateway", "operation": "get_vpc_link",
//!                           "params": {"vpcLinkId": {"$output": {"step": "create-vpc-link.link", "name": "VpcLinkId"}}}},
//!                  "status_query": "status", "success": ["AVAILABLE"], "failure": ["FAILED"],
//!                  "message_query": "statusMessage", "interval_seconds": 15, "timeout_seconds": 900},
//!         "expected_seconds": 180
//!     }],
//!     "waves": [{"steps": ["create-vpc-link.link"], "expected_seconds": 180}],
//!     "critical_path": {"steps": ["create-vpc-link.link"], "expected_seconds": 180},
//!     "summary": {"create": 1, "update": 0, "replace": 0, "delete": 0, "unchanged": 0, "steps": 1}
//! }))?;
//!
//! let mut exec = Executor::new(plan, ExecOptions { seed: 7, ..ExecOptions::default() })?;
//! let mut now_ms = 0; // the host's clock; here a fake one
//! let mut checks = 0;
//! let result = 'host: loop {
//!     let actions = exec.poll(now_ms);
//!     let _checkpoint = exec.checkpoint(); // store it before making the calls
//!     for action in actions {
//!         match action {
//!             Action::Call { request_id, call, .. } => {
//!                 assert_eq!(call.operation, "create_vpc_link");
//!                 exec.complete(request_id, Outcome::Success { response: json!({"id": "abc123", "status": "PENDING"}) })?;
//!             }
//!             Action::Check { request_id, call, .. } => {
//!                 assert_eq!(call.params["vpcLinkId"], "abc123"); // the reference, resolved
//!                 checks += 1;
//!                 let status = if checks < 3 { "PENDING" } else { "AVAILABLE" };
//!                 exec.observe(request_id, Observation::Response { response: json!({"status": status}) })?;
//!             }
//!             Action::Sleep { until_ms } => now_ms = until_ms, // a real host sleeps here
//!             done_or_failed => break 'host done_or_failed,
//!         }
//!     }
//!     for event in exec.events() {
//!         let _ = serde_json::to_string(&event)?; // progress for the user
//!     }
//! };
//! assert!(matches!(result, Action::Done { .. }));
//! assert_eq!(now_ms, 30_000); // checked at 0 s, 15 s and 30 s
//! # Ok(())
//! # }
//! ```
//!
//! A host that crashed calls [`Executor::resume`] with the last checkpoint it stored and
//! carries on with the same loop.

mod answers;
mod backoff;
pub(crate) mod checkpoint;
mod error;
mod executor;
mod index;
mod query;
mod refs;
mod rollback;
mod state;
mod types;

#[cfg(test)]
mod tests;

pub use checkpoint::{CHECKPOINT_FORMAT, CHECKPOINT_VERSION};
pub use error::ExecError;
pub use executor::Executor;
pub use types::{
    Action, Event, ExecOptions, ExecStatus, Observation, OnFailure, Outcome, Outputs, Purpose,
    RequestId, ResolvedCall, RunPhase, Summary,
};
