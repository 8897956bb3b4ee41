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
  vpclink plan t.json                   the ordered AWS calls that build it, in waves
  vpclink plan t.json --format cloudformation > template.yaml
  vpclink plan --destroy --current live.json --format cli > teardown.sh
  vpclink import template.yaml -o t.json  a CloudFormation template as a topology
  vpclink check template.yaml           templates and live-state bundles check directly
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

    /// Plan the AWS calls that build a topology (or change or tear down a current one), or
    /// export it as an AWS CLI script, CloudFormation, Terraform, boto3 calls or a diagram.
    #[command(after_help = "\
Formats:
  text            waves, actions, resources and the critical path, for review (default)
  json            the plan itself, for the executor and scripts
  cli             a bash script of AWS CLI calls (set VPCLINK_ENDPOINT_URL to point it elsewhere)
  boto3           the plan's calls as JSON for boto3
  cloudformation  a CloudFormation template of the desired topology
  terraform       Terraform (hashicorp/aws) of the desired topology
  mermaid         a Mermaid diagram with the reachability verdicts

Examples:
  vpclink plan                                      greenfield plan of the built-in example
  vpclink plan desired.json --current live.json     only what differs
  vpclink plan --destroy --current live.json        teardown in a safe order
  vpclink plan desired.json --format cli -o deploy.sh

Exit codes: 0 planned, 2 unusable input or a topology that cannot be planned\n(errors found by `vpclink check`, a VPC link that is not AVAILABLE).")]
    Plan(PlanArgs),

    /// Import a CloudFormation/SAM template or a live-state bundle into a topology.
    #[command(after_help = "\
The input's kind is read from its content: a template (JSON or YAML, short-form tags such
as !Ref included) or a live-state bundle of boto3 responses (docs/live-state.md).
The topology keeps where each resource came from (`origin`): source lines, values that
could not be known offline, and resources outside the model.

Examples:
  vpclink import template.yaml -o topology.json
  vpclink import live.bundle.json | vpclink check -

Exit codes: 0 imported, 2 unusable input.")]
    Import(ImportArgs),

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
    /// Topology file (JSON or YAML), CloudFormation template, live-state bundle, Terraform
    /// plan/state JSON or Terraform directory; `-` reads stdin. Without it, the built-in
    /// three-tier example.
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
pub struct ImportArgs {
    /// A CloudFormation/SAM template, a live-state bundle, Terraform plan/state JSON or a
    /// Terraform directory; `-` reads stdin.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// Write the topology to this file instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The desired topology (JSON or YAML; `-` reads stdin). Without it, the built-in
    /// three-tier example. Not used with --destroy.
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,

    /// The topology as it exists now (with AWS ids), to plan only the difference.
    #[arg(long, value_name = "FILE")]
    pub current: Option<PathBuf>,

    /// Tear down everything in --current, in an order AWS accepts.
    #[arg(long, requires = "current", conflicts_with = "file")]
    pub destroy: bool,

    #[arg(long, value_enum, default_value_t = PlanFormat::Text)]
    pub format: PlanFormat,

    /// Write the output to this file instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    Text,
    Json,
    Cli,
    Boto3,
    Cloudformation,
    Terraform,
    Mermaid,
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
