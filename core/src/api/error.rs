//! The one error type every binding raises: what went wrong, a stable code, and the place.
//! Python turns `kind` into an exception class, JavaScript into `error.kind`/`error.code`.

use schemars::JsonSchema;
use serde::Serialize;

use crate::cost::CostError;
use crate::exec::ExecError;
use crate::import::ImportError;
use crate::plan::PlanError;
use crate::render::RenderError;
use crate::InputError;

/// Which family an error belongs to; bindings map each to one exception class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The input is not a topology: not JSON/YAML, a wrong shape, an unknown version.
    Topology,
    /// A template, bundle or Terraform configuration that could not be imported.
    Import,
    /// A plan that cannot be made (errors in the topology, an unavailable link, ...).
    Plan,
    /// An export that cannot be written.
    Render,
    /// A topology or traffic that cannot be priced.
    Cost,
    /// The executor was used wrongly or given a bad checkpoint.
    Executor,
    /// An argument of the call itself is wrong (an unknown format name, bad options).
    Argument,
}

/// An error crossing into Python or JavaScript.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema, thiserror::Error)]
#[error("{message}")]
pub struct ApiError {
    pub kind: ErrorKind,
    /// Stable within a kind: `syntax`, `shape`, `invalid_topology`, `unknown_region`, ...
    pub code: String,
    /// The whole message, with the place in front when there is one.
    pub message: String,
    /// A JSON Pointer into the input, when one place is to blame.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The file, for inputs made of several files (Terraform directories).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// 1-based line and column in the source text, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
}

impl ApiError {
    pub fn argument(code: &str, message: impl Into<String>) -> Self {
        ApiError {
            kind: ErrorKind::Argument,
            code: code.to_owned(),
            message: message.into(),
            path: None,
            file: None,
            line: None,
            column: None,
        }
    }

    fn new(kind: ErrorKind, code: &str, message: String, path: Option<String>) -> Self {
        ApiError {
            kind,
            code: code.to_owned(),
            message,
            path,
            file: None,
            line: None,
            column: None,
        }
    }

    pub(crate) fn with_file(mut self, file: Option<&str>) -> Self {
        if self.file.is_none() {
            self.file = file.map(str::to_owned);
        }
        self
    }
}

fn small(n: Option<usize>) -> Option<u32> {
    n.map(|n| u32::try_from(n).unwrap_or(u32::MAX))
}

impl From<InputError> for ApiError {
    fn from(e: InputError) -> Self {
        let mut err = ApiError::new(
            ErrorKind::Topology,
            e.code(),
            e.to_string(),
            e.path.as_ref().map(|p| p.to_string()),
        );
        err.line = small(e.line);
        err.column = small(e.column);
        err
    }
}

impl From<ImportError> for ApiError {
    fn from(e: ImportError) -> Self {
        let code = match e.format {
            crate::model::SourceFormat::Cloudformation => "cloudformation",
            crate::model::SourceFormat::Aws => "aws_bundle",
            crate::model::SourceFormat::Terraform => "terraform",
        };
        let mut err = ApiError::new(ErrorKind::Import, code, e.to_string(), e.path.clone());
        err.line = e.line;
        err.column = e.column;
        err
    }
}

impl From<PlanError> for ApiError {
    fn from(e: PlanError) -> Self {
        let code = serde_json::to_value(e.code)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_else(|| "plan".to_owned());
        let path = e.path.as_ref().map(|p| p.to_string());
        let message = match &path {
            Some(p) => format!("at {p}: {}", e.message),
            None => e.message.clone(),
        };
        ApiError::new(ErrorKind::Plan, &code, message, path)
    }
}

impl From<RenderError> for ApiError {
    fn from(e: RenderError) -> Self {
        let path = e.path.as_ref().map(|p| p.to_string());
        let message = match &path {
            Some(p) => format!("at {p}: {}", e.message),
            None => e.message.clone(),
        };
        ApiError::new(ErrorKind::Render, "render", message, path)
    }
}

impl From<CostError> for ApiError {
    fn from(e: CostError) -> Self {
        let code = match &e {
            CostError::UnknownRegion { .. } => "unknown_region",
            CostError::BadTraffic { .. } => "bad_traffic",
            CostError::BrokenReferences { .. } => "broken_references",
        };
        let path = match &e {
            CostError::UnknownRegion { .. } => Some("/region".to_owned()),
            CostError::BadTraffic { field, .. } => Some(format!("/{field}")),
            CostError::BrokenReferences { diagnostics, .. } => {
                diagnostics.first().map(|d| d.path.to_string())
            }
        };
        ApiError::new(ErrorKind::Cost, code, e.to_string(), path)
    }
}

impl From<ExecError> for ApiError {
    fn from(e: ExecError) -> Self {
        ApiError::new(ErrorKind::Executor, e.code(), e.to_string(), None)
    }
}

/// A reference failure found while building the graph, for the analyses that need one.
pub(crate) fn broken_references(diagnostics: &[crate::Diagnostic]) -> ApiError {
    let first = diagnostics.first();
    let message = match first {
        Some(d) => format!(
            "at {}: {} ({} reference problem{} in all; `validate` lists them)",
            d.path,
            d.message,
            diagnostics.len(),
            if diagnostics.len() == 1 { "" } else { "s" }
        ),
        None => "the topology's references do not resolve".to_owned(),
    };
    ApiError::new(
        ErrorKind::Topology,
        "broken_references",
        message,
        first.map(|d| d.path.to_string()),
    )
}
