//! Twilio Messaging from Python: the native class behind `ringback.messaging` (the logic is
//! the core's `messaging::twilio::Send`; this converts and calls it).

use std::sync::Mutex;

use pyo3::prelude::*;
use ringback::ErrorCode;

use super::convert::{from_json, json_or_value};
use super::errors::{guard, to_py};
use super::{conv, locked, machine_feed, machine_next, machine_outcome};

/// The send run of one decision's texts (native class behind `ringback.messaging.Send`).
#[pyclass(frozen, module = "ringback", name = "_TwilioSend")]
pub(crate) struct PyTwilioSend {
    inner: Mutex<ringback::messaging::twilio::Send>,
}

#[pymethods]
impl PyTwilioSend {
    /// Refuses to pickle, saying what to do instead.
    fn __reduce__(&self) -> PyResult<()> {
        Err(pyo3::exceptions::PyTypeError::new_err(
            "ringback.messaging send cannot be pickled: a send in progress lives in the \
             process that started it; a new send of the same decision elsewhere is safe \
             (it finds texts already sent)",
        ))
    }

    /// The texts of `decision` (a dict or JSON text) through Twilio with `config` (a dict
    /// or JSON text), at `now` (RFC 3339).
    #[new]
    fn new(
        py: Python<'_>,
        decision: &Bound<'_, PyAny>,
        config: &Bound<'_, PyAny>,
        now: &str,
    ) -> PyResult<Self> {
        let decision = conv(
            py,
            json_or_value(decision, ErrorCode::InvalidEvent),
            "decision",
        )?;
        let config = conv(py, json_or_value(config, ErrorCode::InvalidCrm), "config")?;
        let inner = guard(|| ringback::messaging::twilio::Send::from_json(&decision, &config, now))
            .map_err(|e| to_py(py, e))?;
        Ok(PyTwilioSend {
            inner: Mutex::new(inner),
        })
    }

    /// The next request as a dict, or `None` when the run is done or stopped.
    fn next_request<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        machine_next(py, &self.inner, "send")
    }

    /// Reads Twilio's answer (`{status, headers, body}`) to the last request.
    fn feed(&self, py: Python<'_>, response: &Bound<'_, PyAny>) -> PyResult<()> {
        machine_feed(py, &self.inner, "send", response)
    }

    /// What the run did so far, as a dict.
    fn outcome<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        machine_outcome(py, &self.inner, "send")
    }

    /// The most requests this run can send.
    #[getter]
    fn request_bound(&self, py: Python<'_>) -> PyResult<u32> {
        locked(py, &self.inner, "send", |s| Ok(s.request_bound()))
    }
}

/// `_twilio_read_callback(form)`: what a Twilio webhook body says about consent.
#[pyfunction]
pub(crate) fn _twilio_read_callback<'py>(
    py: Python<'py>,
    form: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let text = guard(|| {
        ringback::messaging::twilio::read_callback(form).and_then(|c| ringback::to_json(&c))
    })
    .map_err(|e| to_py(py, e))?;
    from_json(py, &text)
}
