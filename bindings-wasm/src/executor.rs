//! The sans-IO executor as a JavaScript class: the host asks `poll(nowMs)` for actions,
//! performs them (with `fetch`, an AWS SDK, a test double), and answers with `complete` or
//! `observe`. Its whole state is a JSON string from `checkpoint()`, so a host that stops
//! resumes with `Executor.resume(text)` without repeating a call.

use vpclink_core::api::ApiExecutor;
use wasm_bindgen::prelude::*;

use crate::error;
use crate::input::{optional_value, output, text, value_of, whole_number, JsResult};

/// Drives a plan to completion, one batch of actions at a time.
#[wasm_bindgen(js_name = Executor)]
pub struct WasmExecutor {
    inner: ApiExecutor,
}

#[wasm_bindgen(js_class = Executor)]
impl WasmExecutor {
    /// A run of `plan` from its start; `options` as in the schema `exec_options`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "Plan")] plan: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ExecOptions")] options: JsValue,
    ) -> JsResult<WasmExecutor> {
        let plan = value_of(&plan, "plan")?;
        let options = optional_value(&options, "options")?;
        let inner = ApiExecutor::new(plan, options).map_err(error::to_js)?;
        Ok(WasmExecutor { inner })
    }

    /// The run a `checkpoint()` string describes, where it stopped.
    pub fn resume(
        #[wasm_bindgen(unchecked_param_type = "string")] checkpoint: JsValue,
    ) -> JsResult<WasmExecutor> {
        let checkpoint = text(&checkpoint, "checkpoint")?;
        let inner = ApiExecutor::resume(&checkpoint).map_err(error::to_js)?;
        Ok(WasmExecutor { inner })
    }

    /// What to do now, at `nowMs` milliseconds on the host's clock (any epoch, never
    /// going back). An empty list means: answer what is in flight, or poll again later.
    #[wasm_bindgen(unchecked_return_type = "Action[]")]
    pub fn poll(&mut self, #[wasm_bindgen(js_name = nowMs)] now_ms: f64) -> JsResult<JsValue> {
        let now_ms = whole_number(now_ms, "time in milliseconds")?;
        output(&self.inner.poll(now_ms))
    }

    /// The answer to a `call` action.
    pub fn complete(
        &mut self,
        #[wasm_bindgen(js_name = requestId)] request_id: f64,
        #[wasm_bindgen(unchecked_param_type = "Outcome")] outcome: JsValue,
    ) -> JsResult<()> {
        let request_id = whole_number(request_id, "request id")?;
        let outcome = value_of(&outcome, "outcome")?;
        self.inner
            .complete(request_id, outcome)
            .map_err(error::to_js)
    }

    /// The answer to a `check` action of a wait.
    pub fn observe(
        &mut self,
        #[wasm_bindgen(js_name = requestId)] request_id: f64,
        #[wasm_bindgen(unchecked_param_type = "Observation")] observation: JsValue,
    ) -> JsResult<()> {
        let request_id = whole_number(request_id, "request id")?;
        let observation = value_of(&observation, "observation")?;
        self.inner
            .observe(request_id, observation)
            .map_err(error::to_js)
    }

    /// The whole state as a JSON string, to store and pass to `Executor.resume`.
    pub fn checkpoint(&self) -> String {
        self.inner.checkpoint()
    }

    /// What happened since the last call, oldest first.
    #[wasm_bindgen(unchecked_return_type = "Event[]")]
    pub fn events(&mut self) -> JsResult<JsValue> {
        output(&self.inner.events())
    }

    /// Where the run stands: its phase and how many steps are in each state.
    #[wasm_bindgen(unchecked_return_type = "ExecStatus")]
    pub fn status(&self) -> JsResult<JsValue> {
        output(&self.inner.status())
    }

    /// The plan being run.
    #[wasm_bindgen(unchecked_return_type = "Plan")]
    pub fn plan(&self) -> JsResult<JsValue> {
        output(self.inner.plan())
    }
}
