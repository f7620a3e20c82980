//! The exception hierarchy: `ringback.RingbackError` and one subclass per core
//! [`ErrorCode`], generated from [`ErrorCode::ALL`] when the module loads. Bad-input
//! codes also subclass `ValueError`.

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};

use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyTuple, PyType};
use ringback::{Error, ErrorCode};

pyo3::create_exception!(
    ringback,
    RingbackError,
    PyException,
    "Base class of every error ringback raises. `.code` is the stable snake_case error \
     code, `.path` the JSON path of the offending value (`\"\"` for the whole document) \
     and `.message` what is wrong."
);

/// The subclasses, in `ErrorCode::ALL` order.
static CLASSES: PyOnceLock<Vec<Py<PyType>>> = PyOnceLock::new();

/// The Python class name of a code: `invalid_json` -> `InvalidJsonError`.
pub fn class_name(code: ErrorCode) -> String {
    let mut out = String::new();
    for part in code.as_str().split('_') {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.push_str(chars.as_str());
        }
    }
    out.push_str("Error");
    out
}

/// One line of documentation per code. The match is exhaustive: a new core code does not
/// compile here until it is documented.
fn class_doc(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::InvalidJson => "The input is not valid JSON (or TOML, for a policy).",
        ErrorCode::InvalidEvent => {
            "A missed-call event is structurally wrong: a missing, unknown or mistyped field."
        }
        ErrorCode::InvalidCrm => "A CRM snapshot, contact or open follow-up is structurally wrong.",
        ErrorCode::InvalidPolicy => {
            "The policy is wrong: unknown field, bad hours, duplicate location, ..."
        }
        ErrorCode::UnknownLocation => "The input names a location the policy does not define.",
        ErrorCode::InvalidTimestamp => {
            "A timestamp is not RFC 3339 with an offset (or a datetime is naive)."
        }
        ErrorCode::InvalidTimeZone => "A time zone is not a known IANA zone id.",
        ErrorCode::UnsupportedPayload => "A vendor payload cannot be turned into an event.",
        ErrorCode::Internal => "A bug in ringback (a panic is reported as this). Please report it.",
    }
}

fn build_classes(py: Python<'_>) -> PyResult<Vec<Py<PyType>>> {
    let base = py.get_type::<RingbackError>();
    let value_error = py.get_type::<PyValueError>();
    let type_type = py.get_type::<PyType>();
    let mut out = Vec::with_capacity(ErrorCode::ALL.len());
    for code in ErrorCode::ALL {
        let name = class_name(code);
        let ns = PyDict::new(py);
        ns.set_item("__module__", "ringback")?;
        ns.set_item("__qualname__", &name)?;
        ns.set_item("__doc__", class_doc(code))?;
        ns.set_item("code", code.as_str())?;
        let bases = if code.is_bad_input() {
            PyTuple::new(py, [base.clone(), value_error.clone()])?
        } else {
            PyTuple::new(py, [base.clone()])?
        };
        let cls = type_type.call1((name, bases, ns))?.cast_into::<PyType>()?;
        out.push(cls.unbind());
    }
    Ok(out)
}

/// Adds `RingbackError`, its subclasses and `ERROR_CODES` to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    let base = py.get_type::<RingbackError>();
    base.setattr("code", "")?;
    base.setattr("path", "")?;
    base.setattr("message", "")?;
    m.add("RingbackError", base)?;
    let classes = CLASSES.get_or_try_init(py, || build_classes(py))?;
    for (code, cls) in ErrorCode::ALL.iter().zip(classes) {
        m.add(class_name(*code).as_str(), cls.bind(py))?;
    }
    let codes: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
    m.add("ERROR_CODES", PyTuple::new(py, codes)?)?;
    Ok(())
}

/// Converts a core error into the matching Python exception (`.code`, `.path`,
/// `.message` set on the instance).
pub fn to_py(py: Python<'_>, e: Error) -> PyErr {
    match build_exception(py, &e) {
        Ok(err) => err,
        Err(err) => err,
    }
}

fn build_exception(py: Python<'_>, e: &Error) -> PyResult<PyErr> {
    let classes = CLASSES.get_or_try_init(py, || build_classes(py))?;
    let index = ErrorCode::ALL
        .iter()
        .position(|c| *c == e.code)
        .unwrap_or(ErrorCode::ALL.len() - 1);
    let cls = classes
        .get(index)
        .map(|c| c.bind(py).clone())
        .unwrap_or_else(|| py.get_type::<RingbackError>());
    let instance = cls.call1((e.to_string(),))?;
    instance.setattr("code", e.code.as_str())?;
    instance.setattr("path", e.path.as_str())?;
    instance.setattr("message", e.message.as_str())?;
    Ok(PyErr::from_value(instance))
}

/// Shorthand: a coded error raised as its Python exception.
pub fn raise(py: Python<'_>, code: ErrorCode, path: &str, message: impl Into<String>) -> PyErr {
    to_py(py, Error::new(code, path, message))
}

fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic payload".to_string()
    }
}

/// Runs core work; a panic becomes an `internal` error instead of unwinding into Python.
pub fn guard<T>(f: impl FnOnce() -> ringback::Result<T>) -> ringback::Result<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(payload) => Err(Error::new(
            ErrorCode::Internal,
            "",
            format!("ringback panicked: {}", panic_message(payload.as_ref())),
        )),
    }
}
