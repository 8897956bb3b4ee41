//! The whole check as a front end runs it: JSON text → topology → resolved graph → every
//! rule, on synthetic topologies of about 10, 1,000, 10,000 and 100,000 resources
//! (`vpclink_core::synth`, cells shaped like the three-tier example, so every rule does
//! the work of a clean check). Results and the machine they came from: docs/benchmarks.md.
//!
//! `cargo bench -p vpclink-core --bench engine` — a few minutes on two cores.
#![allow(
    clippy::expect_used,
    reason = "a benchmark of generated input: a failure to parse it is a bug to stop on"
)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{
    criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput,
};
use vpclink_core::{graph, synth, topology_from_json, validate};

const SIZES: [usize; 4] = [10, 1_000, 10_000, 100_000];

fn inputs() -> Vec<(usize, String)> {
    SIZES
        .iter()
        .map(|&size| {
            let topology = synth::topology(size).expect("synthetic topology");
            let text = serde_json::to_string(&topology).expect("a topology serialises");
            (topology.resource_count(), text)
        })
        .collect()
}

/// Criterion's defaults (100 samples, 5 s) are fine for small inputs. The large ones take
/// tens of milliseconds to a second per run, so they get fewer samples of one or a few
/// runs each (flat sampling), which keeps the whole bench to a few minutes on two cores.
fn tune(group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>, size: usize) {
    let (samples, measure, warm, mode) = match size {
        0..5_000 => (50, 3, 1, SamplingMode::Auto),
        5_000..50_000 => (20, 4, 1, SamplingMode::Flat),
        _ => (10, 6, 2, SamplingMode::Flat),
    };
    group.sample_size(samples);
    group.measurement_time(Duration::from_secs(measure));
    group.warm_up_time(Duration::from_secs(warm));
    group.sampling_mode(mode);
}

fn engine(c: &mut Criterion) {
    let inputs = inputs();

    // What a caller pays: parse + graph + rules (validate builds the graph itself).
    let mut group = c.benchmark_group("check");
    for (resources, text) in &inputs {
        tune(&mut group, *resources);
        group.throughput(Throughput::Elements(*resources as u64));
        group.bench_with_input(BenchmarkId::from_parameter(resources), text, |b, text| {
            b.iter(|| {
                let topology = topology_from_json(black_box(text)).expect("synthetic input parses");
                validate(&topology)
            })
        });
    }
    group.finish();

    // The stages apart, to name the hot spot when the total is slow.
    let parsed: Vec<_> = inputs
        .iter()
        .map(|(n, text)| {
            (
                *n,
                topology_from_json(text).expect("synthetic input parses"),
            )
        })
        .collect();
    let mut group = c.benchmark_group("parse");
    for (resources, text) in &inputs {
        tune(&mut group, *resources);
        group.throughput(Throughput::Elements(*resources as u64));
        group.bench_with_input(BenchmarkId::from_parameter(resources), text, |b, text| {
            b.iter(|| topology_from_json(black_box(text)).expect("synthetic input parses"))
        });
    }
    group.finish();
    let mut group = c.benchmark_group("graph");
    for (resources, topology) in &parsed {
        tune(&mut group, *resources);
        group.throughput(Throughput::Elements(*resources as u64));
        group.bench_with_input(BenchmarkId::from_parameter(resources), topology, |b, t| {
            b.iter(|| graph::build(black_box(t)).is_ok())
        });
    }
    group.finish();
    let mut group = c.benchmark_group("validate");
    for (resources, topology) in &parsed {
        tune(&mut group, *resources);
        group.throughput(Throughput::Elements(*resources as u64));
        group.bench_with_input(BenchmarkId::from_parameter(resources), topology, |b, t| {
            b.iter(|| validate(black_box(t)))
        });
    }
    group.finish();
}

criterion_group!(benches, engine);
criterion_main!(benches);
