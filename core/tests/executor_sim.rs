//! The executor against a simulated AWS: faults, FAILED links, timeouts and crashes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

mod sim;

use std::collections::BTreeSet;

use proptest::prelude::*;
use vpclink_core::exec::{Action, ExecOptions, Executor, OnFailure};
use vpclink_core::plan::Plan;

use sim::aws::{tracked, Answer, Faults, Sim};
use sim::host::{drive, remaining, Crash, ResumeFrom, RunEnd, Snapshot, LATENCY_MS};
use sim::plans;

fn options(on_failure: OnFailure, seed: u64) -> ExecOptions {
    ExecOptions {
        on_failure,
        max_attempts: 6,
        base_backoff_ms: 200,
        max_backoff_ms: 5_000,
        seed,
    }
}

fn run(plan: &Plan, faults: Faults, opts: ExecOptions, crashes: &[Crash]) -> (RunEnd, Sim) {
    let mut sim = Sim::new(plan.clone(), faults);
    let exec = Executor::new(plan.clone(), opts).unwrap();
    let end = drive(exec, &mut sim, 1_000, crashes, None);
    (end, sim)
}

fn live(sim: &Sim) -> BTreeSet<String> {
    sim.live.keys().cloned().collect()
}

fn tracked_steps(plan: &Plan) -> BTreeSet<String> {
    plan.steps
        .iter()
        .filter(|s| tracked(s))
        .map(|s| s.id.clone())
        .collect()
}

/// done / failed and whether it rolled back: what must agree between runs.
fn kind(end: &Action) -> (bool, bool) {
    match end {
        Action::Done { .. } => (true, false),
        Action::Failed { rolled_back, .. } => (false, *rolled_back),
        other => panic!("not an end: {other:?}"),
    }
}

/// Live resources of steps with an undo: real resources that a rollback must delete.
fn resources(plan: &Plan, sim: &Sim) -> BTreeSet<String> {
    live(sim)
        .into_iter()
        .filter(|s| plan.step(s).unwrap().undo.is_some())
        .collect()
}

/// Checks that hold for every run, crashed or not. `exact`: the run never resumed from an
/// older checkpoint, so the executor knows everything that happened and its report of
/// what remains matches the account exactly.
fn check_run(
    plan: &Plan,
    faults: &Faults,
    opts: &ExecOptions,
    end: &RunEnd,
    sim: &Sim,
    exact: bool,
) {
    assert!(
        sim.duplicates.is_empty(),
        "created while it existed: {:?}",
        sim.duplicates
    );
    assert!(
        sim.blocked.is_empty(),
        "undone too early: {:?}",
        sim.blocked
    );
    assert!(end.polls < 5_000, "{} polls", end.polls);
    match &end.end {
        Action::Done { summary } => {
            assert!(!faults.permanent(), "done despite a permanent fault");
            assert_eq!(live(sim), tracked_steps(plan));
            assert_eq!(summary.steps, plan.steps.len());
            assert!(sim.creates.values().all(|&n| n == 1), "{:?}", sim.creates);
        }
        Action::Failed { rolled_back, .. } => {
            assert!(
                faults.permanent() || !sim.bad_refs.is_empty(),
                "failed without a fault: {:?}",
                end.end
            );
            let rest: BTreeSet<String> = remaining(&end.end).into_iter().collect();
            let reported_ok = if exact {
                rest == live(sim)
            } else {
                rest.is_subset(&live(sim))
            };
            match opts.on_failure {
                OnFailure::Rollback => {
                    // Every resource is gone; what remains is what ran and has no undo
                    // (the executor reports it and does not claim a rollback).
                    assert!(
                        resources(plan, sim).is_empty(),
                        "left behind: {:?}",
                        resources(plan, sim)
                    );
                    assert!(
                        rest.iter().all(|r| plan.step(r).unwrap().undo.is_none()),
                        "{rest:?}"
                    );
                    assert_eq!(*rolled_back, rest.is_empty(), "{:?}", end.end);
                }
                OnFailure::Stop => assert!(!rolled_back),
            }
            assert!(
                reported_ok,
                "reported {rest:?}, the account holds {:?}",
                live(sim)
            );
        }
        other => panic!("{other:?}"),
    }
}

// ---- scenarios ----

#[test]
fn an_undisturbed_run_creates_everything_once() {
    let plan = plans::private_api();
    let opts = options(OnFailure::Rollback, 1);
    let (end, sim) = run(&plan, Faults::default(), opts.clone(), &[]);
    check_run(&plan, &Faults::default(), &opts, &end, &sim, true);
    assert!(sim.bad_refs.is_empty(), "{:?}", sim.bad_refs);
    let Action::Done { summary } = &end.end else {
        panic!("{:?}", end.end)
    };
    // The VPC link (90 s in the sim) after the NLB (60 s) and listener dominates.
    assert!(end.now > 150_000 && end.now < 250_000, "{}", end.now);
    assert_eq!(summary.retries, 0);
    let full = summary.outputs["load_balancers.nlb"]["FullName"]
        .as_str()
        .unwrap();
    assert!(full.starts_with("load_balancers.nlb/"), "{full}");
}

#[test]
fn a_failed_vpc_link_is_rolled_back_with_everything_else() {
    let plan = plans::private_api();
    let faults = Faults {
        failed: ["vpc_links.link".to_string()].into(),
        ..Faults::default()
    };
    let opts = options(OnFailure::Rollback, 2);
    let (end, sim) = run(&plan, faults.clone(), opts.clone(), &[]);
    check_run(&plan, &faults, &opts, &end, &sim, true);
    let Action::Failed { step, error, .. } = &end.end else {
        panic!()
    };
    assert_eq!(step, "vpc_links.link");
    assert_eq!(
        error,
        "get_vpc_link reported `FAILED`, a failure state: NLB is already associated with another VPC Endpoint Service"
    );
}

#[test]
fn with_stop_a_failed_link_leaves_exactly_what_was_created() {
    let plan = plans::private_api();
    let faults = Faults {
        failed: ["vpc_links.link".to_string()].into(),
        ..Faults::default()
    };
    let opts = options(OnFailure::Stop, 3);
    let (end, sim) = run(&plan, faults.clone(), opts.clone(), &[]);
    check_run(&plan, &faults, &opts, &end, &sim, true);
    let rest: BTreeSet<String> = remaining(&end.end).into_iter().collect();
    assert!(
        rest.contains("vpc_links.link"),
        "the FAILED link itself stays: {rest:?}"
    );
    assert!(
        !rest.contains("stage.shop/prod"),
        "nothing after the link ran"
    );
}

#[test]
fn a_wait_that_never_succeeds_times_out_and_rolls_back() {
    let plan = plans::private_api();
    let faults = Faults {
        never_ready: ["load_balancers.nlb".to_string()].into(),
        ..Faults::default()
    };
    let opts = options(OnFailure::Rollback, 4);
    let (end, sim) = run(&plan, faults.clone(), opts.clone(), &[]);
    check_run(&plan, &faults, &opts, &end, &sim, true);
    let Action::Failed { step, error, .. } = &end.end else {
        panic!()
    };
    assert_eq!(step, "load_balancers.nlb");
    assert!(
        error.starts_with("waited 600s for describe_load_balancers to report `active`"),
        "{error}"
    );
    // 600 s of waiting, then the NLB's deletion.
    assert!(end.now >= 601_000, "{}", end.now);
}

#[test]
fn throttling_and_5xx_are_absorbed() {
    let plan = plans::private_api();
    let mut faults = Faults::default();
    for s in &plan.steps {
        faults.throttle.insert(s.id.clone(), 2);
        faults.transient.insert(s.id.clone(), 1);
        faults.ambiguous.insert(s.id.clone(), 1);
    }
    let opts = options(OnFailure::Rollback, 5);
    let (end, sim) = run(&plan, faults.clone(), opts.clone(), &[]);
    check_run(&plan, &faults, &opts, &end, &sim, true);
    let Action::Done { summary } = &end.end else {
        panic!("{:?}", end.end)
    };
    assert!(
        summary.retries >= 2 * plan.steps.len() as u64,
        "{}",
        summary.retries
    );
    assert!(sim.faults.throttle.values().all(|&n| n == 0));
    // Every ambiguous 5xx on a create was followed by a lookup that found the resource.
    assert!(sim.creates.values().all(|&n| n == 1), "{:?}", sim.creates);
}

/// Resumes from every checkpoint of an undisturbed run, with the sim as it was when that
/// checkpoint was written and the calls of that round made (their answers lost).
fn resume_everywhere(plan: &Plan, faults: Faults, opts: ExecOptions, every: usize) {
    let mut sim = Sim::new(plan.clone(), faults.clone());
    let exec = Executor::new(plan.clone(), opts.clone()).unwrap();
    let mut snapshots: Vec<Snapshot> = Vec::new();
    let reference = drive(exec, &mut sim, 1_000, &[], Some(&mut snapshots));
    check_run(plan, &faults, &opts, &reference, &sim, true);
    let expected_live = live(&sim);
    assert!(snapshots.len() > 20, "{}", snapshots.len());
    for (k, snap) in snapshots.iter().enumerate().step_by(every) {
        let mut sim2 = snap.sim.clone();
        for a in &snap.actions {
            let _: Option<Answer> = sim2.answer(a, snap.now);
        }
        let exec = Executor::resume(&snap.checkpoint).unwrap();
        let end = drive(exec, &mut sim2, snap.now + LATENCY_MS, &[], None);
        check_run(plan, &faults, &opts, &end, &sim2, true);
        assert_eq!(kind(&end.end), kind(&reference.end), "checkpoint {k}");
        if opts.on_failure == OnFailure::Rollback || matches!(end.end, Action::Done { .. }) {
            assert_eq!(live(&sim2), expected_live, "checkpoint {k}");
        }
        assert!(
            sim2.creates.values().all(|&n| n == 1),
            "checkpoint {k}: {:?}",
            sim2.creates
        );
    }
}

#[test]
fn resuming_from_every_checkpoint_reaches_the_same_end() {
    let plan = plans::private_api();
    resume_everywhere(&plan, Faults::default(), options(OnFailure::Rollback, 6), 1);
    let failed = Faults {
        failed: ["vpc_links.link".to_string()].into(),
        throttle: [("load_balancers.nlb".to_string(), 2)].into(),
        ..Faults::default()
    };
    resume_everywhere(&plan, failed.clone(), options(OnFailure::Rollback, 7), 1);
    resume_everywhere(&plan, failed, options(OnFailure::Stop, 8), 1);
}

// ---- the property ----

#[derive(Debug, Clone)]
struct Scenario {
    seed: u64,
    rollback: bool,
    throttle: Vec<(usize, u32)>,
    transient: Vec<(usize, u32)>,
    ambiguous: Vec<usize>,
    failed_link: bool,
    never_ready: Option<usize>,
    crashes: Vec<(u32, usize, Option<usize>)>,
}

fn scenario() -> impl Strategy<Value = Scenario> {
    (
        any::<u64>(),
        any::<bool>(),
        prop::collection::vec((0..16usize, 1..=2u32), 0..6),
        prop::collection::vec((0..16usize, 1..=1u32), 0..4),
        prop::collection::vec(0..16usize, 0..3),
        prop::bool::weighted(0.25),
        prop::option::weighted(0.2, 0..16usize),
        prop::collection::vec(
            (
                0..60u32,
                0..4usize,
                prop::option::weighted(0.3, any::<usize>()),
            ),
            0..4,
        ),
    )
        .prop_map(
            |(
                seed,
                rollback,
                throttle,
                transient,
                ambiguous,
                failed_link,
                never_ready,
                crashes,
            )| {
                Scenario {
                    seed,
                    rollback,
                    throttle,
                    transient,
                    ambiguous,
                    failed_link,
                    never_ready,
                    crashes,
                }
            },
        )
}

fn faults_for(plan: &Plan, s: &Scenario) -> Faults {
    let id = |i: usize| plan.steps[i % plan.steps.len()].id.clone();
    let (with_wait, with_failure) = plans::waits(plan);
    let mut f = Faults::default();
    for &(i, n) in &s.throttle {
        *f.throttle.entry(id(i)).or_default() += n;
    }
    for &(i, n) in &s.transient {
        *f.transient.entry(id(i)).or_default() += n;
    }
    for &i in &s.ambiguous {
        f.ambiguous.insert(id(i), 1);
    }
    // Bounded so that no step runs out of attempts (6): faults are what is tested, not
    // the attempt limit.
    for budget in [&mut f.throttle, &mut f.transient] {
        for n in budget.values_mut() {
            *n = (*n).min(2);
        }
    }
    if s.failed_link {
        if let Some(link) = with_failure.iter().find(|s| s.contains("vpc_link")) {
            f.failed.insert(link.clone());
        }
    }
    if let Some(i) = s.never_ready {
        if !with_wait.is_empty() {
            f.never_ready.insert(with_wait[i % with_wait.len()].clone());
        }
    }
    f
}

/// What a scenario exercised, for the coverage check.
#[derive(Debug, Default)]
struct Seen {
    resumes: u32,
    stale: bool,
    failed: bool,
    timed_out: bool,
    link_failed: bool,
    retries: bool,
}

fn check_scenario(plan: &Plan, s: &Scenario) -> Seen {
    let faults = faults_for(plan, s);
    let on_failure = if s.rollback {
        OnFailure::Rollback
    } else {
        OnFailure::Stop
    };
    let opts = options(on_failure, s.seed);
    let (reference, ref_sim) = run(plan, faults.clone(), opts.clone(), &[]);
    check_run(plan, &faults, &opts, &reference, &ref_sim, true);
    assert!(ref_sim.bad_refs.is_empty(), "{:?}", ref_sim.bad_refs);

    let crashes: Vec<Crash> = s
        .crashes
        .iter()
        .map(|&(round, delivered, any)| Crash {
            round,
            delivered,
            from: any.map_or(ResumeFrom::Latest, ResumeFrom::Any),
        })
        .collect();
    let stale = crashes.iter().any(|c| c.from != ResumeFrom::Latest);
    let (end, sim) = run(plan, faults.clone(), opts.clone(), &crashes);
    check_run(plan, &faults, &opts, &end, &sim, !stale);
    let error = match &end.end {
        Action::Failed { error, .. } => error.clone(),
        _ => String::new(),
    };
    let seen = Seen {
        resumes: end.resumes,
        stale: stale && end.resumes > 0,
        failed: !error.is_empty(),
        timed_out: error.starts_with("waited"),
        link_failed: error.contains("`FAILED`"),
        retries: sim.faults.throttle.values().any(|&n| n == 0)
            || sim.faults.transient.values().any(|&n| n == 0),
    };
    // After a resume from an older checkpoint, changes without an undo made in the lost
    // timeline may be unknown (so `rolled_back` may differ); done-or-failed may not.
    let (same, what) = if stale {
        (kind(&end.end).0 == kind(&reference.end).0, "done or failed")
    } else {
        (
            kind(&end.end) == kind(&reference.end),
            "done or failed, rolled back",
        )
    };
    assert!(same, "{what} differs: {:?} vs {:?}", end.end, reference.end);
    if matches!(end.end, Action::Done { .. }) || on_failure == OnFailure::Rollback {
        assert_eq!(resources(plan, &sim), resources(plan, &ref_sim));
    }
    if !stale {
        // Resuming from the latest checkpoint knows everything: nothing is created twice,
        // even across a rollback.
        assert!(sim.creates.values().all(|&n| n == 1), "{:?}", sim.creates);
        assert!(sim.bad_refs.is_empty(), "{:?}", sim.bad_refs);
    }
    seen
}

/// The generated scenarios really crash (also from older checkpoints), fail links, time
/// out and retry.
#[test]
fn the_property_covers_crashes_failures_and_retries() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let plan = plans::private_api();
    let mut totals = [0u32; 6];
    for _ in 0..48 {
        let s = scenario().new_tree(&mut runner).unwrap().current();
        let seen = check_scenario(&plan, &s);
        for (t, hit) in totals.iter_mut().zip([
            seen.resumes > 0,
            seen.stale,
            seen.failed,
            seen.timed_out,
            seen.link_failed,
            seen.retries,
        ]) {
            *t += u32::from(hit);
        }
    }
    // resumed, resumed from an older checkpoint, failed, timed out, FAILED link, retried
    eprintln!("TOTALS {totals:?}");
    assert!(totals.iter().all(|&t| t >= 3), "{totals:?}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn the_executor_survives_faults_and_crashes(s in scenario()) {
        let _ = check_scenario(&plans::private_api(), &s);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn the_three_tier_plan_survives_faults_and_crashes(s in scenario()) {
        let _ = check_scenario(&three_tier(), &s);
    }
}

// ---- the planner's plans ----

fn three_tier() -> Plan {
    let topology = vpclink_core::topology_from_str(vpclink_core::examples::THREE_TIER).unwrap();
    vpclink_core::plan::plan(&topology, None).unwrap()
}

#[test]
fn the_three_tier_plan_runs_against_the_sim() {
    let plan = three_tier();
    let opts = options(OnFailure::Rollback, 11);
    let (end, sim) = run(&plan, Faults::default(), opts.clone(), &[]);
    check_run(&plan, &Faults::default(), &opts, &end, &sim, true);
    assert!(sim.bad_refs.is_empty(), "{:?}", sim.bad_refs);
    let Action::Done { summary } = &end.end else {
        panic!("{:?}", end.end)
    };
    assert_eq!(summary.steps, 44);
}

#[test]
fn a_failed_link_in_the_three_tier_plan_is_rolled_back() {
    let plan = three_tier();
    let link = plan
        .steps
        .iter()
        .find(|s| s.call.operation == "create_vpc_link")
        .unwrap()
        .id
        .clone();
    let faults = Faults {
        failed: [link.clone()].into(),
        ..Faults::default()
    };
    let opts = options(OnFailure::Rollback, 12);
    let (end, sim) = run(&plan, faults.clone(), opts.clone(), &[]);
    check_run(&plan, &faults, &opts, &end, &sim, true);
    let Action::Failed {
        step,
        remaining,
        rolled_back,
        ..
    } = &end.end
    else {
        panic!("{:?}", end.end)
    };
    assert_eq!(step, &link);
    // Every resource was deleted; the configuration updates (security groups, stage
    // settings) went with the resources they configured, so nothing is left.
    assert!(resources(&plan, &sim).is_empty());
    assert!(remaining.is_empty(), "{remaining:?}");
    assert!(rolled_back);
}

#[test]
fn resuming_the_three_tier_plan_from_its_checkpoints_reaches_the_same_end() {
    let plan = three_tier();
    resume_everywhere(
        &plan,
        Faults::default(),
        options(OnFailure::Rollback, 13),
        7,
    );
    let link = plan
        .steps
        .iter()
        .find(|s| s.call.operation == "create_vpc_link")
        .unwrap()
        .id
        .clone();
    let failed = Faults {
        failed: [link].into(),
        ..Faults::default()
    };
    resume_everywhere(&plan, failed, options(OnFailure::Rollback, 14), 7);
}
