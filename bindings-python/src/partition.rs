//! Partitioning a replay (Python `ringback.Plan`, `ringback.bucket`): thin wrappers over
//! `ringback::partition`.

use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::PyList;
use ringback::{Engine, ErrorCode};

use super::convert::{from_json, json_or_value};
use super::errors::{guard, to_py};
use super::{conv, crm_json, not_picklable, PyEngine};

/// Which bucket every contact and every call goes to, so that replaying each bucket on its
/// own decides exactly as one replay (Python class `ringback.Plan`; see
/// `ringback::partition`).
#[pyclass(frozen, module = "ringback", name = "Plan")]
pub(crate) struct PyPlan {
    engine: Arc<Engine>,
    snapshot: ringback::CrmSnapshot,
    plan: ringback::partition::Plan,
}

#[pymethods]
impl PyPlan {
    /// Plans `buckets` buckets (at least 1) over `contacts` (the forms `CrmIndex` takes),
    /// reading numbers as `engine` does.
    #[new]
    fn new(
        py: Python<'_>,
        engine: &Bound<'_, PyEngine>,
        contacts: &Bound<'_, PyAny>,
        buckets: u32,
    ) -> PyResult<Self> {
        let engine = engine.get().inner.clone();
        let text = conv(py, crm_json(contacts), "")?;
        py.detach(|| {
            guard(|| {
                let snapshot = ringback::parse_crm(&text)?;
                let plan = ringback::partition::Plan::new(&engine, &snapshot, buckets);
                Ok((snapshot, plan))
            })
        })
        .map(|(snapshot, plan)| PyPlan {
            engine,
            snapshot,
            plan,
        })
        .map_err(|e| to_py(py, e))
    }

    /// The number of buckets.
    #[getter]
    fn buckets(&self) -> u32 {
        self.plan.buckets()
    }

    /// The bucket of a call (a dict or JSON text): its caller's component, an unknown
    /// number's own bucket, or the event id's for a withheld caller.
    fn event_bucket(&self, py: Python<'_>, event: &Bound<'_, PyAny>) -> PyResult<u32> {
        let text = conv(py, json_or_value(event, ErrorCode::InvalidEvent), "")?;
        let event =
            guard(|| ringback::MissedCallEvent::from_json(&text)).map_err(|e| to_py(py, e))?;
        Ok(self.plan.event_bucket(&self.engine, &event))
    }

    /// The bucket of each contact, in the order given.
    fn contact_buckets(&self) -> Vec<u32> {
        (0..self.snapshot.contacts.len())
            .map(|i| self.plan.contact_bucket(i).unwrap_or(0))
            .collect()
    }

    /// The CRM numbers (E.164) and their buckets, sorted by number: the plan as a table to
    /// join on.
    fn phones(&self) -> Vec<(String, u32)> {
        self.plan
            .phones()
            .into_iter()
            .map(|(k, b)| (k.to_string(), b))
            .collect()
    }

    /// One CRM snapshot (a dict) per bucket: its contacts and every suppression list.
    fn split<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let out = PyList::empty(py);
        for part in self.plan.split(&self.snapshot) {
            let text = guard(|| ringback::to_json(&part)).map_err(|e| to_py(py, e))?;
            out.append(from_json(py, &text)?)?;
        }
        Ok(out)
    }

    /// Refuses to pickle, saying what to do instead.
    fn __reduce__(&self) -> PyResult<()> {
        Err(not_picklable(
            "Plan",
            "it holds the whole CRM; build it once where the contacts are, and send its \
             phones() table (or a bucket column computed with event_bucket) instead",
        ))
    }
}

/// The bucket of `key` among `buckets`: FNV-1a (64-bit) of the key's UTF-8 bytes modulo
/// `buckets` — the same function in every language ringback runs in.
#[pyfunction]
pub(crate) fn bucket(key: &str, buckets: u32) -> u32 {
    ringback::partition::bucket(key, buckets)
}
