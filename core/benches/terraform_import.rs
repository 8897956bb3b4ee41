//! Reading a large Terraform configuration from HCL source: the synthetic topologies of
//! about 1,000 and 10,000 resources (`vpclink_core::synth`, cells shaped like the three-tier
//! example) exported with `render::terraform` and read back with
//! `import::terraform::hcl::read` (parse, evaluate, expand); and, once the translation
//! onto a topology is in place, the whole `import_terraform_hcl`. Results:
//! docs/benchmarks.md.
//!
//! `cargo bench -p vpclink-core --bench terraform_import -- --warm-up-time 1 --measurement-time 5`
#![allow(
    clippy::expect_used,
    reason = "a benchmark of generated input: a failure is a bug to stop on"
)]

use std::collections::BTreeMap;
use std::hint::black_box;

use criterion::{
    criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput,
};
use vpclink_core::import::terraform::{hcl, import_terraform_hcl};
use vpclink_core::{render, synth};

const SIZES: [usize; 2] = [1_000, 10_000];

struct Input {
    resources: usize,
    files: BTreeMap<String, String>,
}

fn inputs() -> Vec<Input> {
    SIZES
        .iter()
        .map(|&size| {
            let topology = synth::topology(size).expect("synthetic topology");
            let text = render::terraform(&topology).expect("it exports");
            let files = BTreeMap::from([("main.tf".to_owned(), text)]);
            let config = hcl::read(&files).expect("the export reads back");
            Input {
                // Terraform resources, the unit a Terraform user counts.
                resources: config.resources.len(),
                files,
            }
        })
        .collect()
}

fn tune(group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>, size: usize) {
    let (samples, mode) = match size {
        0..5_000 => (30, SamplingMode::Auto),
        _ => (10, SamplingMode::Flat),
    };
    group.sample_size(samples);
    group.sampling_mode(mode);
}

fn bench(c: &mut Criterion) {
    let inputs = inputs();
    for input in &inputs {
        eprintln!(
            "terraform_import: {} Terraform resources, {} bytes of HCL",
            input.resources,
            input.files.values().map(String::len).sum::<usize>()
        );
    }
    let mut group = c.benchmark_group("import/terraform_hcl_read");
    for input in &inputs {
        tune(&mut group, input.resources);
        group.throughput(Throughput::Elements(input.resources as u64));
        group.bench_with_input(
            BenchmarkId::from_parameter(input.resources),
            input,
            |b, input| b.iter(|| black_box(hcl::read(black_box(&input.files)).expect("reads"))),
        );
    }
    group.finish();

    // The whole import (read + translation) is measured when the translation accepts the
    // export; until it exists, say so rather than time an error.
    if inputs
        .iter()
        .any(|input| import_terraform_hcl(&input.files).is_err())
    {
        eprintln!(
            "terraform_import: import_terraform_hcl does not import the export yet; not timed"
        );
        return;
    }
    let mut group = c.benchmark_group("import/terraform_hcl");
    for input in &inputs {
        tune(&mut group, input.resources);
        group.throughput(Throughput::Elements(input.resources as u64));
        group.bench_with_input(
            BenchmarkId::from_parameter(input.resources),
            input,
            |b, input| {
                b.iter(|| {
                    black_box(import_terraform_hcl(black_box(&input.files)).expect("imports"))
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
