//! `vpclink._vpclink`: the core API (`vpclink_core::api`) for Python. Every function here
//! converts its arguments, calls the core function of the same name with the GIL
//! released, and converts the result back; what to do with an input is the core's
//! decision, never the binding's. The pure-Python package `vpclink` wraps this module,
//! reads paths and defines the exception classes.
#![forbid(unsafe_code)]

mod convert;
mod error;
mod executor;
mod input;
mod schemas;

use pyo3::prelude::*;
use pyo3::types::{PyAny, PyTuple};
use vpclink_core::api::{self, PlanRequest, RenderSource};

use crate::convert::{to_py_data, to_value};
use crate::error::OrRaise;
use crate::input::to_input;

/// Findings for a topology (or anything that imports into one).
#[pyfunction]
fn validate(py: Python<'_>, input: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let input = to_input(py, input, "input")?;
    let report = py.detach(move || api::validate(input)).or_raise(py)?;
    to_py_data(py, &report)
}

/// Which targets each route reaches, and why not where it does not.
#[pyfunction]
fn reach(py: Python<'_>, input: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let input = to_input(py, input, "input")?;
    let report = py.detach(move || api::reach(input)).or_raise(py)?;
    to_py_data(py, &report)
}

/// The steps that take `current` (or nothing) to `desired`, or that delete everything.
#[pyfunction]
#[pyo3(signature = (desired, *, current=None, destroy=false))]
fn plan(
    py: Python<'_>,
    desired: &Bound<'_, PyAny>,
    current: Option<&Bound<'_, PyAny>>,
    destroy: bool,
) -> PyResult<Py<PyAny>> {
    let desired = to_input(py, desired, "desired topology")?;
    let current = current
        .map(|c| to_input(py, c, "current topology"))
        .transpose()?;
    let request = PlanRequest { current, destroy };
    let plan = py
        .detach(move || api::plan(desired, request))
        .or_raise(py)?;
    to_py_data(py, &plan)
}

/// A topology as text in `format` (plan formats plan it first).
#[pyfunction]
fn render(py: Python<'_>, topology: &Bound<'_, PyAny>, format: &str) -> PyResult<String> {
    let source = RenderSource::Topology(to_input(py, topology, "topology")?);
    let format = format.to_owned();
    py.detach(move || api::render(source, &format)).or_raise(py)
}

/// A plan already made, as text in `format`.
#[pyfunction]
fn render_plan(py: Python<'_>, plan: &Bound<'_, PyAny>, format: &str) -> PyResult<String> {
    let source = RenderSource::Plan(to_value(py, plan, "plan")?);
    let format = format.to_owned();
    py.detach(move || api::render(source, &format)).or_raise(py)
}

/// A report from `validate` as text, laid out as `vpclink check` prints it.
#[pyfunction]
fn report_text(py: Python<'_>, report: &Bound<'_, PyAny>) -> PyResult<String> {
    let report = to_value(py, report, "report")?;
    py.detach(move || api::report_text(report)).or_raise(py)
}

/// Likely causes of a symptom (`{"kind": "http_503", ...}`), most likely first.
#[pyfunction]
fn diagnose(
    py: Python<'_>,
    topology: &Bound<'_, PyAny>,
    symptom: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let input = to_input(py, topology, "topology")?;
    let symptom = to_value(py, symptom, "symptom")?;
    let diagnosis = py
        .detach(move || api::diagnose(input, symptom))
        .or_raise(py)?;
    to_py_data(py, &diagnosis)
}

/// The monthly cost under `traffic` (the core's defaults when None).
#[pyfunction]
#[pyo3(signature = (topology, traffic=None))]
fn estimate_cost(
    py: Python<'_>,
    topology: &Bound<'_, PyAny>,
    traffic: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let input = to_input(py, topology, "topology")?;
    let traffic = traffic.map(|t| to_value(py, t, "traffic")).transpose()?;
    let cost = py
        .detach(move || api::estimate_cost(input, traffic))
        .or_raise(py)?;
    to_py_data(py, &cost)
}

/// A CloudFormation or SAM template (JSON or YAML text) as a topology.
#[pyfunction]
#[pyo3(signature = (text, file=None))]
fn import_cloudformation(py: Python<'_>, text: &str, file: Option<&str>) -> PyResult<Py<PyAny>> {
    let topology = py
        .detach(|| api::import_cloudformation(text, file))
        .or_raise(py)?;
    to_py_data(py, &topology)
}

/// A live-state bundle (a dict, or its JSON text) as a topology.
#[pyfunction]
fn import_aws(py: Python<'_>, bundle: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let input = to_input(py, bundle, "bundle")?;
    let topology = py.detach(move || api::import_aws(input)).or_raise(py)?;
    to_py_data(py, &topology)
}

/// A Terraform configuration (`Files`, HCL text) or `terraform show -json` output.
#[pyfunction]
fn import_terraform(py: Python<'_>, source: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let input = to_input(py, source, "configuration")?;
    let topology = py
        .detach(move || api::import_terraform(input))
        .or_raise(py)?;
    to_py_data(py, &topology)
}

/// The version shared by the crates and the packages.
#[pyfunction]
fn version() -> &'static str {
    api::version()
}

#[pymodule]
fn _vpclink(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", api::version())?;
    m.add("SCHEMA_NAMES", PyTuple::new(py, api::SCHEMA_NAMES)?)?;
    m.add("RENDER_FORMATS", PyTuple::new(py, api::RENDER_FORMATS)?)?;
    m.add_function(wrap_pyfunction!(validate, m)?)?;
    m.add_function(wrap_pyfunction!(reach, m)?)?;
    m.add_function(wrap_pyfunction!(plan, m)?)?;
    m.add_function(wrap_pyfunction!(render, m)?)?;
    m.add_function(wrap_pyfunction!(render_plan, m)?)?;
    m.add_function(wrap_pyfunction!(report_text, m)?)?;
    m.add_function(wrap_pyfunction!(diagnose, m)?)?;
    m.add_function(wrap_pyfunction!(estimate_cost, m)?)?;
    m.add_function(wrap_pyfunction!(import_cloudformation, m)?)?;
    m.add_function(wrap_pyfunction!(import_aws, m)?)?;
    m.add_function(wrap_pyfunction!(import_terraform, m)?)?;
    m.add_function(wrap_pyfunction!(schemas::schema, m)?)?;
    m.add_function(wrap_pyfunction!(schemas::rules, m)?)?;
    m.add_function(wrap_pyfunction!(version, m)?)?;
    m.add_class::<input::Text>()?;
    m.add_class::<input::Files>()?;
    m.add_class::<executor::Executor>()?;
    Ok(())
}
