//! A host for the executor on virtual time: polls, checkpoints before acting, lets the sim
//! answer, and crashes when told to.

use vpclink_core::exec::{Action, Executor};

use super::aws::{Answer, Sim};

/// Virtual milliseconds each round of calls takes.
pub const LATENCY_MS: u64 = 200;
/// No run may need more polls than this.
pub const MAX_POLLS: u32 = 20_000;

/// Where a crash resumes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResumeFrom {
    /// The last checkpoint written: what a host does.
    Latest,
    /// The checkpoint at this position among those written so far (modulo their count).
    Any(usize),
}

/// A crash in round `round`, after `delivered` of that round's answers reached the executor
/// (the sim has performed all of the round's calls).
#[derive(Debug, Clone, Copy)]
pub struct Crash {
    pub round: u32,
    pub delivered: usize,
    pub from: ResumeFrom,
}

/// A checkpoint written right after a poll, with what the sim looked like then and the
/// actions that poll returned.
pub struct Snapshot {
    pub checkpoint: String,
    pub sim: Sim,
    pub actions: Vec<Action>,
    pub now: u64,
}

pub struct RunEnd {
    pub end: Action,
    pub polls: u32,
    pub resumes: u32,
    pub now: u64,
    pub checkpoints: usize,
}

/// Runs to `done` or `failed`, crashing as listed; panics if the run does not end within
/// [`MAX_POLLS`] polls or the executor misbehaves.
pub fn drive(
    mut exec: Executor,
    sim: &mut Sim,
    mut now: u64,
    crashes: &[Crash],
    mut snapshots: Option<&mut Vec<Snapshot>>,
) -> RunEnd {
    let mut checkpoints: Vec<String> = vec![exec.checkpoint()];
    let mut resumes = 0;
    for round in 0..MAX_POLLS {
        let actions = exec.poll(now);
        for event in exec.events() {
            serde_json::to_string(&event).unwrap();
        }
        let checkpoint = exec.checkpoint();
        if let Some(s) = snapshots.as_deref_mut() {
            s.push(Snapshot {
                checkpoint: checkpoint.clone(),
                sim: sim.clone(),
                actions: actions.clone(),
                now,
            });
        }
        checkpoints.push(checkpoint);
        match actions.as_slice() {
            [] => panic!("round {round}: nothing to do and nothing in flight"),
            [end @ (Action::Done { .. } | Action::Failed { .. })] => {
                return RunEnd {
                    end: end.clone(),
                    polls: round + 1,
                    resumes,
                    now,
                    checkpoints: checkpoints.len(),
                };
            }
            [Action::Sleep { until_ms }] => {
                assert!(*until_ms > now, "sleep into the past");
                now = *until_ms;
                continue;
            }
            _ => {}
        }
        let answers: Vec<(u64, Answer)> = actions
            .iter()
            .map(|a| {
                let id = match a {
                    Action::Call { request_id, .. } | Action::Check { request_id, .. } => {
                        *request_id
                    }
                    other => panic!("unexpected {other:?} among requests"),
                };
                (id, sim.answer(a, now).unwrap())
            })
            .collect();
        now += LATENCY_MS;
        let crash = crashes.iter().find(|c| c.round == round);
        let deliver = crash.map_or(answers.len(), |c| c.delivered.min(answers.len()));
        for (id, answer) in answers.into_iter().take(deliver) {
            match answer {
                Answer::Outcome(o) => exec.complete(id, o).unwrap(),
                Answer::Observation(o) => exec.observe(id, o).unwrap(),
            }
            checkpoints.push(exec.checkpoint());
        }
        if let Some(c) = crash {
            let pick = match c.from {
                ResumeFrom::Latest => checkpoints.len() - 1,
                ResumeFrom::Any(i) => i % checkpoints.len(),
            };
            exec = Executor::resume(&checkpoints[pick]).unwrap();
            resumes += 1;
        }
    }
    panic!("no end after {MAX_POLLS} polls");
}

/// What the sim should hold after a run ended with `end`: the executor's `remaining`.
pub fn remaining(end: &Action) -> Vec<String> {
    match end {
        Action::Failed { remaining, .. } => remaining.clone(),
        _ => Vec::new(),
    }
}
