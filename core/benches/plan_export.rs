//! Planning, every export and the CloudFormation import on synthetic topologies of about
//! 10, 1,000 and 10,000 resources (`vpclink_core::synth`, cells shaped like the three-tier
//! example). Results and the machine: docs/benchmarks.md.
//!
//! `cargo bench -p vpclink-core --bench plan_export` — a few minutes on two cores.
#![allow(
    clippy::expect_used,
    reason = "a benchmark of generated input: a failure is a bug to stop on"
)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{
    criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput,
};
use vpclink_core::import::cloudformation::import_cloudformation;
use vpclink_core::model::Topology;
use vpclink_core::plan::{self, Plan};
use vpclink_core::{render, synth};

const SIZES: [usize; 3] = [10, 1_000, 10_000];

struct Input {
    resources: usize,
    topology: Topology,
    plan: Plan,
    template: String,
}

fn inputs() -> Vec<Input> {
    SIZES
        .iter()
        .map(|&size| {
            let topology = synth::topology(size).expect("synthetic topology");
            let plan = plan::plan(&topology, None).expect("a synthetic topology plans");
            let template = render::cloudformation(&topology).expect("it exports");
            Input {
                resources: topology.resource_count(),
                topology,
                plan,
                template,
            }
        })
        .collect()
}

fn tune(group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>, size: usize) {
    let (samples, measure, mode) = match size {
        0..5_000 => (30, 2, SamplingMode::Auto),
        _ => (10, 4, SamplingMode::Flat),
    };
    group.sample_size(samples);
    group.measurement_time(Duration::from_secs(measure));
    group.warm_up_time(Duration::from_secs(1));
    group.sampling_mode(mode);
}

fn bench(c: &mut Criterion) {
    let inputs = inputs();
    type Job = fn(&Input);
    let jobs: [(&str, Job); 8] = [
        ("plan", |i| {
            black_box(plan::plan(black_box(&i.topology), None).expect("plans"));
        }),
        ("render/plan_text", |i| {
            black_box(render::plan_text(black_box(&i.plan)));
        }),
        ("render/aws_cli", |i| {
            black_box(render::aws_cli(black_box(&i.plan)));
        }),
        ("render/boto3", |i| {
            black_box(render::boto3(black_box(&i.plan)));
        }),
        ("render/cloudformation", |i| {
            black_box(render::cloudformation(black_box(&i.topology)).expect("exports"));
        }),
        ("render/terraform", |i| {
            black_box(render::terraform(black_box(&i.topology)).expect("exports"));
        }),
        ("render/mermaid", |i| {
            black_box(render::mermaid(black_box(&i.topology)).expect("exports"));
        }),
        ("import/cloudformation", |i| {
            black_box(import_cloudformation(black_box(&i.template), None).expect("imports"));
        }),
    ];
    for (name, job) in jobs {
        let mut group = c.benchmark_group(name);
        for input in &inputs {
            tune(&mut group, input.resources);
            group.throughput(Throughput::Elements(input.resources as u64));
            group.bench_with_input(
                BenchmarkId::from_parameter(input.resources),
                input,
                |b, input| b.iter(|| job(input)),
            );
        }
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
