//! Runs the built `vpclink` binary the way a shell would.
#![allow(dead_code)] // each test file uses its own subset
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers fail the test loudly"
)]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn fixture(name: &str) -> String {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests", "fixtures", name]
        .iter()
        .collect();
    path.display().to_string()
}

pub fn read_fixture(name: &str) -> String {
    std::fs::read_to_string(fixture(name)).unwrap()
}

/// The colour environment is cleared so that the developer's shell cannot change results.
fn command(args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vpclink"));
    cmd.args(args)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR")
        .env_remove("CLICOLOR_FORCE")
        .envs(env.iter().copied());
    cmd
}

fn finish(out: std::process::Output) -> Run {
    let run = Run {
        code: out.status.code().expect("exited by signal"),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    };
    assert!(
        !run.stderr.contains("panicked"),
        "vpclink panicked: {}",
        run.stderr
    );
    run
}

pub fn vpclink(args: &[&str]) -> Run {
    vpclink_env(args, &[])
}

pub fn vpclink_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    finish(command(args, env).stdin(Stdio::null()).output().unwrap())
}

pub fn vpclink_stdin(args: &[&str], input: &str) -> Run {
    let mut child = command(args, &[])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    finish(child.wait_with_output().unwrap())
}
