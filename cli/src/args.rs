//! The command-line surface: every subcommand, flag and help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use vpclink_core::Severity;

const EXAMPLES: &str = "\
Examples:
  vpclink check                         check the built-in three-tier example
  vpclink check topology.json           check a topology file (JSON or YAML)
  cat topology.yaml | vpclink check -   read the topology from stdin
  vpclink check t.json --format json    the report as JSON, for scripts
  vpclink reach t.json                  which API routes reach which targets
  vpclink diagnose t.json --symptom 502 likely causes of a 502, ranked, with commands
  vpclink cost t.json --requests-per-month 5000000
  vpclink rules                         every diagnostic code
  vpclink rules VL101                   one code: rationale and AWS source
  vpclink schema > topology.schema.json

Exit codes: 0 clean, 1 findings (or a blocked path), 2 unusable input.";

#[derive(Debug, Parser)]
#[command(
    name = "vpclink",
    version = vpclink_core::VERSION,
    about = "Model and check private API paths on AWS: API Gateway → VPC link → NLB → targets.",
    after_help = EXAMPLES,
    propagate_version = true
)]
pub struct Cli {
    /// When to colour the output; `auto` colours only a terminal and honours NO_COLOR.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto, global = true)]
    pub color: ColorWhen,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a topology and report every finding, most severe first.
    #[command(after_help = "\
Examples:
  vpclink check                              the built-in example
  vpclink check topology.yaml --fail-on warning
  vpclink check - --format json < topology.json

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 unusable input.")]
    Check(CheckArgs),

    /// Trace every API route to its targets and say which are reachable, and why not.
    #[command(after_help = "\
Examples:
  vpclink reach                     the built-in example
  vpclink reach topology.json --format json

Exit codes: 0 every path reachable, 1 any path blocked or undecided, 2 unusable input\n(including references that do not resolve).")]
    Reach(ReachArgs),

    /// Rank the likely causes of a symptom, with evidence, commands to run and the fix.
    #[command(after_help = "\
Symptoms: 500, 502, 503, 504, link-pending, link-failed, targets-unhealthy, no-traffic,
intermittent.

Examples:
  vpclink diagnose topology.json --symptom 504
  vpclink diagnose topology.json --symptom link-failed --detail \"NLB ARN is malformed\"
  vpclink diagnose topology.json --symptom targets-unhealthy --reason Target.FailedHealthChecks

Exit codes: 0 nothing in the topology explains it, 1 causes found, 2 unusable input.")]
    Diagnose(DiagnoseArgs),

    /// Estimate the monthly bill, itemised per resource, from a dated price table.
    #[command(after_help = "\
Examples:
  vpclink cost                                   the built-in example, default traffic
  vpclink cost topology.json --requests-per-month 50000000 --response-bytes 20480
  vpclink cost topology.json --incremental       leave out fixed charges of existing resources

Exit codes: 0 estimated, 2 unusable input (including a Region without prices).")]
    Cost(CostArgs),

    /// List the diagnostic codes, or explain one.
    #[command(after_help = "\
Examples:
  vpclink rules                          every code with its severity, family and title
  vpclink rules VL101                    rationale and AWS source of one code
  vpclink rules vpc-link-single-target   the same, by name")]
    Rules(RulesArgs),

    /// Print the JSON Schema of the topology format.
    Schema,
}

#[derive(Debug, Args)]
pub struct InputArg {
    /// Topology file, JSON or YAML; `-` reads stdin. Without it, the built-in three-tier example.
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub input: InputArg,

    /// Text for people, or the report as JSON for scripts.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Lowest severity that makes the exit code 1.
    #[arg(long, value_enum, value_name = "SEVERITY", default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
}

#[derive(Debug, Args)]
pub struct ReachArgs {
    #[command(flatten)]
    pub input: InputArg,

    /// Text for people, or the reachability report as JSON for scripts.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct DiagnoseArgs {
    #[command(flatten)]
    pub input: InputArg,

    /// What you see: 500, 502, 503, 504, link-pending, link-failed, targets-unhealthy,
    /// no-traffic or intermittent.
    #[arg(long, value_name = "SYMPTOM", value_parser = parse_symptom)]
    pub symptom: vpclink_core::diagnose::SymptomKind,

    /// Text seen with it: a VPC link status message or an execution-log line.
    #[arg(long, value_name = "TEXT")]
    pub detail: Option<String>,

    /// A target health reason code seen, such as Target.FailedHealthChecks (repeatable).
    #[arg(long = "reason", value_name = "CODE")]
    pub reasons: Vec<String>,

    /// Text for people, or the diagnosis as JSON for scripts.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

fn parse_symptom(s: &str) -> Result<vpclink_core::diagnose::SymptomKind, String> {
    s.parse()
}

#[derive(Debug, Args)]
pub struct CostArgs {
    #[command(flatten)]
    pub input: InputArg,

    /// Requests a month through the API [default: 1000000].
    #[arg(long, value_name = "N")]
    pub requests_per_month: Option<u64>,

    /// Average request size in bytes [default: 2048].
    #[arg(long, value_name = "BYTES")]
    pub request_bytes: Option<u64>,

    /// Average response size in bytes [default: 8192].
    #[arg(long, value_name = "BYTES")]
    pub response_bytes: Option<u64>,

    /// New connections per second at the load balancers [default: one per request].
    #[arg(long, value_name = "N")]
    pub new_connections_per_second: Option<f64>,

    /// How long a connection stays open, in seconds [default: 1].
    #[arg(long, value_name = "SECONDS")]
    pub connection_seconds: Option<f64>,

    /// Count only what this topology adds to resources that already exist (ARN or AWS id).
    #[arg(long)]
    pub incremental: bool,

    /// Text for people, or the estimate as JSON for scripts.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// A code (`VL101`) or a rule name (`vpc-link-single-target`).
    #[arg(value_name = "CODE")]
    pub code: Option<String>,

    /// A table for people, or the catalogue entries as JSON.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people: rustc-style text.
    Human,
    /// For programs: the engine's report, serialised unchanged.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    /// Always exit 0 when the input is usable.
    Never,
}

impl FailOn {
    /// The lowest severity that fails the run; `None` for `never`.
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Never => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

impl ColorWhen {
    /// Sets the process-wide choice that every anstream stream consults; `auto` leaves the
    /// decision to anstream, which checks the terminal, NO_COLOR and CLICOLOR(_FORCE).
    pub fn apply(self) {
        let choice = match self {
            ColorWhen::Auto => anstream::ColorChoice::Auto,
            ColorWhen::Always => anstream::ColorChoice::Always,
            ColorWhen::Never => anstream::ColorChoice::Never,
        };
        choice.write_global();
    }
}
