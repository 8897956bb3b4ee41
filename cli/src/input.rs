//! Reading a topology from a file, stdin or the built-in example. The only place the
//! command line touches the file system.

use std::fmt;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use serde::Serialize;
use vpclink_core::import::{self, ImportError, InputFormat};
use vpclink_core::{InputError, Topology};

/// The name the built-in example goes by in messages; it is the file it was built from.
pub const BUILT_IN_NAME: &str = "examples/three-tier.json";

#[derive(Debug, Clone)]
pub enum Source {
    BuiltIn,
    Stdin,
    File(PathBuf),
}

impl Source {
    pub fn from_arg(file: Option<&Path>) -> Self {
        match file {
            None => Source::BuiltIn,
            Some(p) if p.as_os_str() == "-" => Source::Stdin,
            Some(p) => Source::File(p.to_path_buf()),
        }
    }

    /// How messages name this input.
    pub fn name(&self) -> String {
        match self {
            Source::BuiltIn => BUILT_IN_NAME.to_owned(),
            Source::Stdin => "<stdin>".to_owned(),
            Source::File(p) => p.display().to_string(),
        }
    }
}

/// Which parser to use. An extension is the author's statement of intent, so it wins; without
/// one the core decides from the content.
#[derive(Debug, Clone, Copy)]
enum Syntax {
    Json,
    Yaml,
    Sniff,
}

fn syntax_of(source: &Source) -> Syntax {
    let ext = match source {
        Source::BuiltIn => return Syntax::Json,
        Source::Stdin => return Syntax::Sniff,
        Source::File(p) => p.extension().and_then(|e| e.to_str()),
    };
    match ext.map(str::to_ascii_lowercase).as_deref() {
        Some("json") => Syntax::Json,
        Some("yaml" | "yml") => Syntax::Yaml,
        _ => Syntax::Sniff,
    }
}

/// Input that cannot be used: it could not be read, or it is not a topology.
#[derive(Debug)]
pub struct InputFailure {
    pub file: String,
    pub cause: Cause,
}

#[derive(Debug)]
pub enum Cause {
    Read(io::Error),
    Parse(InputError),
    /// A CloudFormation template or live-state bundle that could not be imported.
    Import(ImportError),
}

impl InputFailure {
    /// `file:line:column: at /path: message`, the shape editors and terminals link.
    pub fn located_message(&self) -> String {
        match &self.cause {
            Cause::Read(e) => format!("{}: cannot read: {}", self.file, read_reason(e)),
            Cause::Parse(e) => located(
                &self.file,
                e.line,
                e.column,
                e.path.as_ref().map(|p| p.as_str()),
                &e.message,
            ),
            Cause::Import(e) => located(
                &self.file,
                e.line.map(|l| l as usize),
                e.column.map(|c| c as usize),
                e.path.as_deref(),
                &e.message,
            ),
        }
    }
}

fn located(
    file: &str,
    line: Option<usize>,
    column: Option<usize>,
    path: Option<&str>,
    message: &str,
) -> String {
    let mut s = file.to_owned();
    if let Some(line) = line {
        s.push_str(&format!(":{line}"));
        if let Some(col) = column {
            s.push_str(&format!(":{col}"));
        }
    }
    s.push_str(": ");
    if let Some(path) = path.filter(|p| !p.is_empty()) {
        s.push_str(&format!("at {path}: "));
    }
    s.push_str(message);
    s
}

fn read_reason(e: &io::Error) -> String {
    // read_to_string reports bad UTF-8 as InvalidData with a terse message; say it plainly.
    if e.kind() == io::ErrorKind::InvalidData {
        "the file is not UTF-8 text".to_owned()
    } else {
        e.to_string()
    }
}

/// What `--format json` prints for unusable input, so stdout stays JSON for scripts.
#[derive(Debug, Serialize)]
pub struct InputFailureJson<'a> {
    pub file: &'a str,
    pub error: ErrorJson<'a>,
}

#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum ErrorJson<'a> {
    Read { kind: &'static str, message: String },
    Parse(&'a InputError),
    Import(&'a ImportError),
}

impl InputFailure {
    pub fn to_json(&self) -> InputFailureJson<'_> {
        InputFailureJson {
            file: &self.file,
            error: match &self.cause {
                Cause::Read(e) => ErrorJson::Read {
                    kind: "read",
                    message: read_reason(e),
                },
                Cause::Parse(e) => ErrorJson::Parse(e),
                Cause::Import(e) => ErrorJson::Import(e),
            },
        }
    }
}

impl fmt::Display for InputFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.located_message())
    }
}

/// Reads and parses the topology named by `source`.
pub fn load(source: &Source) -> Result<Topology, InputFailure> {
    let fail = |cause| InputFailure {
        file: source.name(),
        cause,
    };
    let text = match source {
        Source::BuiltIn => vpclink_core::examples::THREE_TIER.to_owned(),
        Source::Stdin => {
            let mut text = String::new();
            io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| fail(Cause::Read(e)))?;
            text
        }
        Source::File(path) if path.is_dir() => {
            // A directory can only be a Terraform configuration.
            let files = crate::tfdir::read(path).map_err(|e| fail(Cause::Read(e)))?;
            return import::terraform::import_terraform_hcl(&files)
                .map_err(|e| fail(Cause::Import(e)));
        }
        Source::File(path) => std::fs::read_to_string(path).map_err(|e| fail(Cause::Read(e)))?,
    };
    // A template or a live-state bundle is recognised by its content and imported; the
    // file name is kept so findings can point at its lines.
    let format = match source {
        Source::BuiltIn => InputFormat::Topology,
        _ => import::detect(&text),
    };
    let name = source.name();
    if let Some(imported) = import::import_detected(format, &text, Some(&name)) {
        return imported.map_err(|e| fail(Cause::Import(e)));
    }
    let parsed = match syntax_of(source) {
        Syntax::Json => vpclink_core::topology_from_json(&text),
        Syntax::Yaml => vpclink_core::topology_from_yaml(&text),
        Syntax::Sniff => vpclink_core::topology_from_str(&text),
    };
    parsed.map_err(|e| fail(Cause::Parse(e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_example_loads() {
        assert!(load(&Source::BuiltIn).is_ok());
    }

    #[test]
    fn extension_picks_the_parser() {
        let json = Source::File(PathBuf::from("a.JSON"));
        assert!(matches!(syntax_of(&json), Syntax::Json));
        let yaml = Source::File(PathBuf::from("dir.v2/a.yml"));
        assert!(matches!(syntax_of(&yaml), Syntax::Yaml));
        let other = Source::File(PathBuf::from("topology"));
        assert!(matches!(syntax_of(&other), Syntax::Sniff));
    }

    #[test]
    fn a_missing_file_is_a_read_failure_naming_the_file() {
        let src = Source::File(PathBuf::from("/nonexistent/vpclink/t.json"));
        let err = load(&src).unwrap_err();
        assert!(matches!(err.cause, Cause::Read(_)));
        assert!(err
            .located_message()
            .starts_with("/nonexistent/vpclink/t.json: cannot read: "));
    }
}
