//! `vpclink plan`: the ordered AWS calls, or an export of the topology.

use std::io::{self, Write};
use std::path::Path;

use vpclink_core::plan::{self, Plan, PlanError};
use vpclink_core::render;
use vpclink_core::Topology;

use crate::args::{Format, InputArg, PlanArgs, PlanFormat};
use crate::outcome::{after_output, Outcome};
use crate::render::{human, json};

pub fn run(args: &PlanArgs) -> io::Result<Outcome> {
    // Failures are reported on stderr only; stdout carries only the plan or export, so a
    // script that redirects it never captures an error message as a template.
    let quiet = Format::Human;
    let current = match &args.current {
        None => None,
        Some(path) => match load(Some(path), quiet)? {
            Some(t) => Some(t),
            None => return Ok(Outcome::Unusable),
        },
    };
    let desired = if args.destroy {
        None
    } else {
        match load(args.file.as_deref(), quiet)? {
            Some(t) => Some(t),
            None => return Ok(Outcome::Unusable),
        }
    };

    let text = match (args.format, &desired) {
        (PlanFormat::Cloudformation | PlanFormat::Terraform | PlanFormat::Mermaid, None) => {
            human::error(
                &mut anstream::stderr(),
                "--destroy has no desired topology to export; use --format text, json, cli or boto3",
            )?;
            return Ok(Outcome::Unusable);
        }
        (PlanFormat::Cloudformation, Some(t)) => render::cloudformation(t),
        (PlanFormat::Terraform, Some(t)) => render::terraform(t),
        (PlanFormat::Mermaid, Some(t)) => render::mermaid(t),
        (format, desired) => {
            let made = match desired {
                Some(d) => plan::plan(d, current.as_ref()),
                None => match &current {
                    Some(c) => plan::destroy(c),
                    None => return Ok(Outcome::Unusable),
                },
            };
            match made {
                Ok(p) => Ok(plan_output(&p, format)),
                Err(e) => return plan_failed(&e),
            }
        }
    };
    match text {
        Ok(text) => write_output(args.output.as_deref(), &text),
        Err(e) => {
            let mut message = e.message.clone();
            if let Some(path) = &e.path {
                message = format!("at {path}: {message}");
            }
            human::error(&mut anstream::stderr(), &message)?;
            Ok(Outcome::Unusable)
        }
    }
}

fn load(file: Option<&Path>, format: Format) -> io::Result<Option<Topology>> {
    let input = InputArg {
        file: file.map(Path::to_path_buf),
    };
    super::load_topology(&input, format, "planning")
}

fn plan_output(plan: &Plan, format: PlanFormat) -> String {
    match format {
        PlanFormat::Cli => render::aws_cli(plan),
        PlanFormat::Boto3 => json::to_string(&render::boto3(plan)),
        PlanFormat::Json => json::to_string(plan),
        _ => render::plan_text(plan),
    }
}

fn plan_failed(e: &PlanError) -> io::Result<Outcome> {
    let mut message = e.message.clone();
    if let Some(path) = &e.path {
        message = format!("at {path}: {message}");
    }
    human::error(&mut anstream::stderr(), &message)?;
    Ok(Outcome::Unusable)
}

fn write_output(path: Option<&Path>, text: &str) -> io::Result<Outcome> {
    match path {
        None => {
            let written = io::stdout().lock().write_all(text.as_bytes());
            after_output(Outcome::Clean, written)
        }
        Some(path) => match std::fs::write(path, text) {
            Ok(()) => Ok(Outcome::Clean),
            Err(e) => {
                human::error(
                    &mut anstream::stderr(),
                    &format!("cannot write {}: {e}", path.display()),
                )?;
                Ok(Outcome::Unusable)
            }
        },
    }
}
