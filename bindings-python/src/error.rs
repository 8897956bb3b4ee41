//! The one place where a core error becomes a Python exception. Each `ErrorKind` has its
//! class in `vpclink/errors.py` (`TopologyError`, `SourceImportError`, ...); the instance
//! carries `kind`, `code`, `path`, `file`, `line` and `column` as the core reported them.

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyModule};
use vpclink_core::api::{ApiError, ErrorKind};

/// The module that defines the exception classes (pure Python, so users can subclass
/// and import them without the extension).
const ERRORS_MODULE: &str = "vpclink.errors";

static ERRORS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

/// The class that stands for `kind` in `vpclink.errors`.
fn class_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Topology => "TopologyError",
        ErrorKind::Import => "SourceImportError",
        ErrorKind::Plan => "PlanError",
        ErrorKind::Render => "RenderError",
        ErrorKind::Cost => "CostError",
        ErrorKind::Executor => "ExecutorError",
        ErrorKind::Argument => "ArgumentError",
    }
}

/// `kind` as the core serialises it (`"topology"`, `"import"`, ...), so Python sees the
/// same words as JSON and JavaScript do.
fn kind_text(kind: ErrorKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The Python exception for `err`.
pub fn to_py(py: Python<'_>, err: ApiError) -> PyErr {
    match build(py, &err) {
        Ok(exception) => exception,
        // Only a damaged installation gets here (vpclink/errors.py missing or broken):
        // still an exception with the whole message, never a crash.
        Err(why) => PyRuntimeError::new_err(format!(
            "{} [{} error `{}`; {ERRORS_MODULE} could not raise it: {why}]",
            err.message,
            kind_text(err.kind),
            err.code
        )),
    }
}

fn build(py: Python<'_>, err: &ApiError) -> PyResult<PyErr> {
    let module = ERRORS.get_or_try_init(py, || {
        PyModule::import(py, ERRORS_MODULE).map(Bound::unbind)
    })?;
    let class = module.bind(py).getattr(class_name(err.kind))?;
    let kwargs = PyDict::new(py);
    kwargs.set_item("kind", kind_text(err.kind))?;
    kwargs.set_item("code", &err.code)?;
    kwargs.set_item("path", &err.path)?;
    kwargs.set_item("file", &err.file)?;
    kwargs.set_item("line", err.line)?;
    kwargs.set_item("column", err.column)?;
    let instance = class.call((&err.message,), Some(&kwargs))?;
    Ok(PyErr::from_value(instance))
}

/// `?` for core results inside functions that return `PyResult`.
pub trait OrRaise<T> {
    fn or_raise(self, py: Python<'_>) -> PyResult<T>;
}

impl<T> OrRaise<T> for Result<T, ApiError> {
    fn or_raise(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|e| to_py(py, e))
    }
}
