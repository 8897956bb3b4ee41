//! The catalogue functions: JSON Schemas by name and the rule list. Small and free of
//! input, so they run without releasing the GIL.

use pyo3::prelude::*;
use pyo3::types::PyAny;
use vpclink_core::api;

use crate::convert::to_py_data;
use crate::error::OrRaise;

/// The JSON Schema (draft 2020-12) called `name`, one of `SCHEMA_NAMES`.
#[pyfunction]
pub fn schema(py: Python<'_>, name: &str) -> PyResult<Py<PyAny>> {
    to_py_data(py, &api::schema(name).or_raise(py)?)
}

/// Every code the engine can report, in code order.
#[pyfunction]
pub fn rules(py: Python<'_>) -> PyResult<Py<PyAny>> {
    to_py_data(py, &api::rules())
}
