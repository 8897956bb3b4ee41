//! The core's sans-IO executor as a Python class: answers go in as dicts, actions and
//! events come out as dicts, the checkpoint is a JSON string. The host (vpclink.aws, or
//! any other driver) makes the calls and keeps the clock.

use pyo3::prelude::*;
use pyo3::types::PyAny;
use vpclink_core::api::ApiExecutor;

use crate::convert::{to_py_data, to_value};
use crate::error::OrRaise;

/// Runs a plan: `poll(now_ms)` says what to do next, `complete`/`observe` report the
/// answers, `checkpoint()` saves the run and `Executor.resume(checkpoint)` continues it.
#[pyclass(module = "vpclink._vpclink")]
pub struct Executor {
    inner: ApiExecutor,
}

#[pymethods]
impl Executor {
    #[new]
    #[pyo3(signature = (plan, options=None))]
    fn new(
        py: Python<'_>,
        plan: &Bound<'_, PyAny>,
        options: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let plan = to_value(py, plan, "plan")?;
        let options = options.map(|o| to_value(py, o, "options")).transpose()?;
        let inner = py
            .detach(move || ApiExecutor::new(plan, options))
            .or_raise(py)?;
        Ok(Executor { inner })
    }

    /// Continues a run saved by `checkpoint()`.
    #[staticmethod]
    fn resume(py: Python<'_>, checkpoint: &str) -> PyResult<Self> {
        let checkpoint = checkpoint.to_owned();
        let inner = py
            .detach(move || ApiExecutor::resume(&checkpoint))
            .or_raise(py)?;
        Ok(Executor { inner })
    }

    /// What to do now, given the host's clock in milliseconds.
    fn poll(&mut self, py: Python<'_>, now_ms: u64) -> PyResult<Py<PyAny>> {
        to_py_data(py, &self.inner.poll(now_ms))
    }

    /// The answer to a `call` action.
    fn complete(
        &mut self,
        py: Python<'_>,
        request_id: u64,
        outcome: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let outcome = to_value(py, outcome, "outcome")?;
        self.inner.complete(request_id, outcome).or_raise(py)
    }

    /// The answer to a `check` action (a wait's read call).
    fn observe(
        &mut self,
        py: Python<'_>,
        request_id: u64,
        observation: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let observation = to_value(py, observation, "observation")?;
        self.inner.observe(request_id, observation).or_raise(py)
    }

    /// The whole run as JSON text, to save before acting on what `poll` returned.
    fn checkpoint(&self, py: Python<'_>) -> String {
        let inner = &self.inner;
        py.detach(|| inner.checkpoint())
    }

    /// Events since the last call, oldest first.
    fn events(&mut self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_py_data(py, &self.inner.events())
    }

    /// Counts of steps by state, and the phase of the run.
    fn status(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_py_data(py, &self.inner.status())
    }

    /// The plan being run.
    fn plan(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_py_data(py, self.inner.plan())
    }

    fn __repr__(&self) -> String {
        let s = self.inner.status();
        format!(
            "<Executor {} of {} steps done, {} failed>",
            s.done,
            self.inner.plan().steps.len(),
            s.failed
        )
    }
}
