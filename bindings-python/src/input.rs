//! What the functions accept where the core takes an `Input`: a `str` is text in any of
//! the formats, `Text` is text with the file name it came from, `Files` is a Terraform
//! directory (file name → text), and anything else is parsed data (a dict). Reading
//! paths is the pure-Python layer's job (`vpclink/_inputs.py`): it turns a path into
//! `Text` or `Files`.

use std::collections::BTreeMap;

use pyo3::prelude::*;
use pyo3::types::{PyAny, PyDict, PyString};
use vpclink_core::api::Input;

use crate::convert::to_value;

/// JSON, YAML or HCL text with the name of the file it was read from, so findings and
/// errors name the file.
#[pyclass(frozen, module = "vpclink._vpclink")]
pub struct Text {
    #[pyo3(get)]
    text: String,
    #[pyo3(get)]
    file: Option<String>,
}

#[pymethods]
impl Text {
    #[new]
    #[pyo3(signature = (text, file=None))]
    fn new(text: String, file: Option<String>) -> Self {
        Text { text, file }
    }

    fn __repr__(&self) -> String {
        format!(
            "Text(<{} characters>, file={})",
            self.text.chars().count(),
            self.file
                .as_deref()
                .map_or_else(|| "None".to_owned(), |f| format!("{f:?}"))
        )
    }
}

/// A Terraform configuration as file name (relative, `/`-separated) → text.
#[pyclass(frozen, module = "vpclink._vpclink")]
pub struct Files {
    files: BTreeMap<String, String>,
}

#[pymethods]
impl Files {
    #[new]
    fn new(files: BTreeMap<String, String>) -> Self {
        Files { files }
    }

    /// A copy of the mapping, as a new dict.
    #[getter]
    fn files<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for (name, text) in &self.files {
            dict.set_item(name, text)?;
        }
        Ok(dict)
    }

    fn __repr__(&self) -> String {
        let names: Vec<&str> = self.files.keys().map(String::as_str).collect();
        format!("Files({names:?})")
    }
}

/// The core `Input` for a Python argument.
pub fn to_input(py: Python<'_>, value: &Bound<'_, PyAny>, what: &str) -> PyResult<Input> {
    if let Ok(text) = value.cast::<PyString>() {
        return Ok(Input::Text {
            text: text.to_cow()?.into_owned(),
            file: None,
        });
    }
    if let Ok(text) = value.cast::<Text>() {
        let text = text.get();
        return Ok(Input::Text {
            text: text.text.clone(),
            file: text.file.clone(),
        });
    }
    if let Ok(files) = value.cast::<Files>() {
        return Ok(Input::Files(files.get().files.clone()));
    }
    Ok(Input::Value(to_value(py, value, what)?))
}
