//! Python bindings for ringback: the native module `ringback._ringback`, re-exported by the
//! thin `ringback` package in `python/ringback/`.
//!
//! Everything here converts and calls the core's JSON entry points; the logic lives in the
//! `ringback` crate. The interpreter is released (`Python::detach`) while the core runs, and
//! every core call is guarded so that a panic becomes `ringback.InternalError` instead of
//! unwinding into Python.

mod convert;
mod errors;
mod messaging;
mod partition;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use pyo3::exceptions::{PyFileNotFoundError, PyOSError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};
use ringback::{CrmIndex, Engine, ErrorCode, Replayer};

use convert::{from_json, json_or_value, text_of, to_json};
use errors::{guard, to_py};

/// Events per thread below which `process_many` does not start a second thread.
const MIN_EVENTS_PER_THREAD: usize = 16;

/// `Engine.cached`: compiled policies of this process by their text (oldest dropped first).
static ENGINES: Mutex<Vec<(String, Arc<Engine>)>> = Mutex::new(Vec::new());
/// At most this many policies are kept compiled by `Engine.cached`.
const MAX_CACHED_ENGINES: usize = 32;

/// The error of a class whose objects cannot travel to another process.
fn not_picklable(class: &str, why: &str) -> PyErr {
    PyTypeError::new_err(format!("ringback.{class} cannot be pickled: {why}"))
}

/// A compiled policy, ready to decide missed calls (Python class `ringback.Engine`).
///
/// Immutable and safe to share between threads; build it once and reuse it.
#[pyclass(frozen, module = "ringback", name = "Engine")]
struct PyEngine {
    inner: Arc<Engine>,
    /// The policy text it was compiled from: what a pickle carries.
    policy_text: String,
    /// The CRM snapshot text of the last call and its index, reused while callers pass the
    /// same snapshot (`Engine::process_json_reusing`); skipped, not waited for, when
    /// another thread holds it.
    last_crm: Mutex<ringback::LastCrm>,
}

/// A CRM export indexed once on the Rust side (Python class `ringback.CrmIndex`).
///
/// Pass it as `crm` to the engine it was built with: no per-call conversion of the
/// contacts happens.
#[pyclass(frozen, module = "ringback", name = "CrmIndex")]
struct PyCrmIndex {
    engine: Arc<Engine>,
    index: Arc<CrmIndex>,
}

/// The CRM argument of `process*`, converted.
enum Crm {
    Text(String),
    Index(Arc<CrmIndex>),
}

fn conv<T>(py: Python<'_>, r: Result<T, convert::ConvError>, root: &str) -> PyResult<T> {
    r.map_err(|e| e.into_py(py, root))
}

/// A policy file's text, read in the binding (the core does no I/O).
fn read_policy_file(path: &PathBuf) -> PyResult<String> {
    std::fs::read_to_string(path).map_err(|e| {
        let msg = format!("cannot read policy file {}: {e}", path.display());
        if e.kind() == std::io::ErrorKind::NotFound {
            PyFileNotFoundError::new_err(msg)
        } else {
            PyOSError::new_err(msg)
        }
    })
}

/// Policy text from a dict, JSON/TOML text (`str` starting with `{` or containing a line
/// break, or `bytes`) or a path (`os.PathLike`, or any other `str`).
fn policy_text(policy: &Bound<'_, PyAny>) -> PyResult<String> {
    let py = policy.py();
    if let Ok(s) = policy.cast::<PyString>() {
        let text = s.to_cow()?;
        let trimmed = text.trim_start();
        if trimmed.starts_with('{') || text.contains('\n') {
            return Ok(text.into_owned());
        }
        return read_policy_file(&PathBuf::from(text.as_ref()));
    }
    if policy.cast::<PyBytes>().is_ok() {
        return conv(py, text_of(policy, ErrorCode::InvalidPolicy), "")
            .map(Option::unwrap_or_default);
    }
    if policy.cast::<PyDict>().is_ok() {
        return conv(py, to_json(policy, ErrorCode::InvalidPolicy), "");
    }
    if let Ok(path) = policy.extract::<PathBuf>() {
        return read_policy_file(&path);
    }
    Err(PyTypeError::new_err(format!(
        "policy must be a dict, JSON/TOML text or a path, not {}",
        policy.get_type().name()?
    )))
}

impl PyEngine {
    fn crm_arg(&self, crm: Option<&Bound<'_, PyAny>>) -> PyResult<Crm> {
        let Some(crm) = crm else {
            return Ok(Crm::Text(String::new()));
        };
        let py = crm.py();
        if crm.is_none() {
            return Ok(Crm::Text(String::new()));
        }
        if let Ok(index) = crm.cast::<PyCrmIndex>() {
            let index = index.get();
            if !Arc::ptr_eq(&index.engine, &self.inner) {
                return Err(errors::raise(
                    py,
                    ErrorCode::InvalidCrm,
                    "",
                    "this CrmIndex was built for another Engine: build it with \
                     CrmIndex(engine, contacts) for the engine that uses it",
                ));
            }
            return Ok(Crm::Index(index.index.clone()));
        }
        conv(py, crm_json(crm), "").map(Crm::Text)
    }

    /// Runs one event (JSON text) against a converted CRM, guarded.
    fn run(&self, event: &str, crm: &Crm) -> ringback::Result<String> {
        guard(|| match crm {
            Crm::Text(text) if text.is_empty() => self.inner.process_json(event, text),
            Crm::Text(text) => match self.last_crm.try_lock() {
                Ok(mut last) => self.inner.process_json_reusing(event, text, &mut last),
                Err(_) => self.inner.process_json(event, text),
            },
            Crm::Index(index) => self.inner.process_json_with(event, index.as_ref()),
        })
    }
}

/// CRM JSON from a snapshot dict, a list of contacts, or JSON text.
fn crm_json(crm: &Bound<'_, PyAny>) -> Result<String, convert::ConvError> {
    if crm.cast::<PyList>().is_ok() || crm.cast::<PyTuple>().is_ok() {
        let contacts = to_json(crm, ErrorCode::InvalidCrm).map_err(|e| e.under("contacts"))?;
        return Ok(format!("{{\"contacts\":{contacts}}}"));
    }
    json_or_value(crm, ErrorCode::InvalidCrm)
}

#[pymethods]
impl PyEngine {
    /// Compiles a policy: a dict, JSON or TOML text, or a path to a policy file.
    #[new]
    fn new(py: Python<'_>, policy: &Bound<'_, PyAny>) -> PyResult<Self> {
        let text = policy_text(policy)?;
        let engine = py
            .detach(|| guard(|| Engine::from_policy_text(&text)))
            .map_err(|e| to_py(py, e))?;
        Ok(PyEngine {
            inner: Arc::new(engine),
            policy_text: text,
            last_crm: Mutex::new(ringback::LastCrm::default()),
        })
    }

    /// The policy's `version`, echoed in every decision.
    #[getter]
    fn policy_version(&self) -> &str {
        self.inner.policy_version()
    }

    /// An engine for `policy` (the forms `Engine(policy)` takes) compiled at most once per
    /// process: engines from the same policy text share one compiled policy, so a Spark,
    /// Dask or Ray worker that unpickles many closures compiles it once, and a `CrmIndex`
    /// built with one of them serves all of them. Keeps up to 32 policies.
    #[staticmethod]
    fn cached(py: Python<'_>, policy: &Bound<'_, PyAny>) -> PyResult<Self> {
        let text = policy_text(policy)?;
        let found = ENGINES
            .lock()
            .ok()
            .and_then(|m| m.iter().find(|(t, _)| *t == text).map(|(_, e)| e.clone()));
        let inner = match found {
            Some(engine) => engine,
            None => {
                let engine = Arc::new(
                    py.detach(|| guard(|| Engine::from_policy_text(&text)))
                        .map_err(|e| to_py(py, e))?,
                );
                match ENGINES.lock() {
                    // Another thread compiled it meanwhile: share that one.
                    Ok(m) if m.iter().any(|(t, _)| *t == text) => m
                        .iter()
                        .find(|(t, _)| *t == text)
                        .map_or(engine, |(_, e)| e.clone()),
                    Ok(mut m) => {
                        if m.len() >= MAX_CACHED_ENGINES {
                            m.remove(0);
                        }
                        m.push((text.clone(), engine.clone()));
                        engine
                    }
                    Err(_) => engine,
                }
            }
        };
        Ok(PyEngine {
            inner,
            policy_text: text,
            last_crm: Mutex::new(ringback::LastCrm::default()),
        })
    }

    /// Pickles as its policy text, unpickled through `Engine.cached` (one compile per
    /// process): Spark, Dask and Ray closures can carry an engine.
    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyBytes>,))> {
        let cached = py.get_type::<PyEngine>().getattr("cached")?;
        Ok((cached, (PyBytes::new(py, self.policy_text.as_bytes()),)))
    }

    /// Decides one missed call; returns the decision as a dict.
    #[pyo3(signature = (event, crm=None))]
    fn process<'py>(
        &self,
        py: Python<'py>,
        event: &Bound<'py, PyAny>,
        crm: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let event = conv(py, json_or_value(event, ErrorCode::InvalidEvent), "")?;
        let crm = self.crm_arg(crm)?;
        let out = py
            .detach(|| self.run(&event, &crm))
            .map_err(|e| to_py(py, e))?;
        from_json(py, &out)
    }

    /// Decides `event` again with every rule's detail in words (`audit.trace: full`), for a
    /// decision stored at the lean default level: give the same event and CRM contacts; with
    /// `decision_id` (the stored decision's), other inputs raise `InvalidEventError` (path
    /// `decision_id`) instead of explaining another decision.
    #[pyo3(signature = (event, crm=None, decision_id=None))]
    fn explain<'py>(
        &self,
        py: Python<'py>,
        event: &Bound<'py, PyAny>,
        crm: Option<&Bound<'py, PyAny>>,
        decision_id: Option<&str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let event = conv(py, json_or_value(event, ErrorCode::InvalidEvent), "")?;
        let crm = self.crm_arg(crm)?;
        let id = decision_id.unwrap_or("");
        let out = py
            .detach(|| {
                guard(|| match &crm {
                    Crm::Text(text) => self.inner.explain_json(&event, text, id),
                    Crm::Index(index) => self.inner.explain_json_with(&event, index.as_ref(), id),
                })
            })
            .map_err(|e| to_py(py, e))?;
        from_json(py, &out)
    }

    /// Decides one missed call given as JSON text; returns the decision as JSON text.
    #[pyo3(signature = (event_json, crm_json=None))]
    fn process_json(
        &self,
        py: Python<'_>,
        event_json: &Bound<'_, PyAny>,
        crm_json: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<String> {
        let event = match conv(py, text_of(event_json, ErrorCode::InvalidEvent), "")? {
            Some(text) => text,
            None => {
                return Err(PyTypeError::new_err(
                    "process_json takes the event as JSON text (str or bytes); use process() for a dict",
                ))
            }
        };
        let crm = self.crm_arg(crm_json)?;
        py.detach(|| self.run(&event, &crm))
            .map_err(|e| to_py(py, e))
    }

    /// Decides many missed calls with the interpreter released, on up to `threads` threads
    /// (default: 2, or 1 on a single core). Returns the decisions in input order. With
    /// `errors="raise"` (the default) the first failing event (in input order) raises, with
    /// its index at the start of `.path`; with `errors="return"` every event is decided and a
    /// failing one's place in the list holds its exception (a `RingbackError` subclass, index
    /// in `.path`), so one bad event loses none of the others.
    #[pyo3(signature = (events, crm=None, threads=None, *, errors="raise"))]
    fn process_many<'py>(
        &self,
        py: Python<'py>,
        events: &Bound<'py, PyAny>,
        crm: Option<&Bound<'py, PyAny>>,
        threads: Option<usize>,
        errors: &str,
    ) -> PyResult<Bound<'py, PyList>> {
        let keep_errors = match errors {
            "raise" => false,
            "return" => true,
            other => {
                return Err(PyValueError::new_err(format!(
                    "errors must be \"raise\" or \"return\", not {other:?}"
                )))
            }
        };
        if events.cast::<PyString>().is_ok()
            || events.cast::<PyBytes>().is_ok()
            || events.cast::<PyDict>().is_ok()
        {
            return Err(PyTypeError::new_err(
                "process_many takes an iterable of events (dicts or JSON texts), not one event",
            ));
        }
        // Events that convert go to the engine; a conversion error keeps its place.
        let mut texts = Vec::new();
        let mut slots: Vec<Result<usize, PyErr>> = Vec::new();
        for (i, item) in events.try_iter()?.enumerate() {
            let item = item?;
            match conv(
                py,
                json_or_value(&item, ErrorCode::InvalidEvent),
                &format!("[{i}]"),
            ) {
                Ok(t) => {
                    slots.push(Ok(texts.len()));
                    texts.push(t);
                }
                Err(e) if keep_errors => slots.push(Err(e)),
                Err(e) => return Err(e),
            }
        }
        // A snapshot is indexed once for the batch; if it does not index, every event
        // reports the CRM's error in its place, as a single call would.
        let crm = match self.crm_arg(crm)? {
            Crm::Text(text) if !text.is_empty() => match guard(|| self.inner.index_json(&text)) {
                Ok(index) => Crm::Index(Arc::new(index)),
                Err(_) => Crm::Text(text),
            },
            other => other,
        };
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let threads = threads
            .unwrap_or(2)
            .min(cores)
            .min(texts.len() / MIN_EVENTS_PER_THREAD)
            .max(1);
        // One thread: decide the batch with the interpreter released, then convert. More:
        // `threads - 1` workers and this thread decide while this thread also turns each finished decision into
        // Python objects (the only part that needs the interpreter), so the conversion
        // overlaps the deciding instead of following it.
        let mut results: Vec<Option<Decided<'py>>> = if threads == 1 {
            py.detach(|| self.run_part(&texts, &crm))
                .into_iter()
                .map(|r| Some(r.map(|t| from_json(py, &t))))
                .collect()
        } else {
            self.run_pipelined(py, &texts, &crm, threads)
        };
        let out = PyList::empty(py);
        for (i, slot) in slots.into_iter().enumerate() {
            let r = match slot {
                Ok(k) => results
                    .get_mut(k)
                    .and_then(Option::take)
                    .unwrap_or_else(|| {
                        Err(ringback::Error::new(
                            ErrorCode::Internal,
                            "",
                            "batch result missing",
                        ))
                    }),
                Err(e) => {
                    out.append(e.value(py))?;
                    continue;
                }
            };
            match r {
                Ok(decision) => out.append(decision?)?,
                Err(e) => {
                    let err = to_py(py, e.within(&format!("[{i}]")));
                    if keep_errors {
                        out.append(err.value(py))?;
                    } else {
                        return Err(err);
                    }
                }
            }
        }
        Ok(out)
    }

    /// Indexes a CRM export (snapshot dict, list of contacts, or JSON text) for this engine.
    fn index(slf: &Bound<'_, Self>, contacts: &Bound<'_, PyAny>) -> PyResult<PyCrmIndex> {
        PyCrmIndex::build(slf.get(), contacts)
    }

    /// Records an outcome of a decision: returns `(attribution, learning)`, the attribution
    /// event and the updated learning state (pass it back in next time; `None` starts fresh).
    #[pyo3(signature = (decision, outcome, learning=None))]
    fn record_outcome<'py>(
        &self,
        py: Python<'py>,
        decision: &Bound<'py, PyAny>,
        outcome: &Bound<'py, PyAny>,
        learning: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let decision = conv(
            py,
            json_or_value(decision, ErrorCode::InvalidEvent),
            "decision",
        )?;
        let outcome = conv(py, json_or_value(outcome, ErrorCode::InvalidEvent), "")?;
        let learning = match learning {
            Some(l) if !l.is_none() => {
                conv(py, json_or_value(l, ErrorCode::InvalidJson), "learning")?
            }
            _ => String::new(),
        };
        let out = py
            .detach(|| {
                guard(|| {
                    self.inner
                        .record_outcome_json(&decision, &outcome, &learning)
                })
            })
            .map_err(|e| to_py(py, e))?;
        let both = from_json(py, &out)?;
        let attribution = both.get_item("attribution")?;
        let learning = both.get_item("learning")?;
        PyTuple::new(py, [attribution, learning])
    }

    /// The SLA check for an open follow-up at `now` (an aware datetime or RFC 3339 text):
    /// nothing yet, escalate, or breached.
    fn tick<'py>(
        &self,
        py: Python<'py>,
        open_followup: &Bound<'py, PyAny>,
        now: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let followup = conv(py, json_or_value(open_followup, ErrorCode::InvalidCrm), "")?;
        let now = match conv(py, text_of(now, ErrorCode::InvalidTimestamp), "now")? {
            Some(text) => text,
            None => {
                let quoted = conv(py, to_json(now, ErrorCode::InvalidTimestamp), "now")?;
                serde_json::from_str::<String>(&quoted).map_err(|_| {
                    errors::raise(
                        py,
                        ErrorCode::InvalidTimestamp,
                        "now",
                        "now must be an aware datetime or RFC 3339 text",
                    )
                })?
            }
        };
        let out = py
            .detach(|| guard(|| self.inner.tick_json(&followup, &now)))
            .map_err(|e| to_py(py, e))?;
        from_json(py, &out)
    }

    /// `Engine(policy_version="...")`.
    fn __repr__(&self) -> String {
        format!("Engine(policy_version={:?})", self.inner.policy_version())
    }
}

impl PyEngine {
    fn run_part(&self, part: &[String], crm: &Crm) -> Vec<ringback::Result<String>> {
        part.iter().map(|e| self.run(e, crm)).collect()
    }

    /// Decides `events` on `threads` threads: `threads - 1` workers and this one, which
    /// turns each finished decision into Python objects (the only part that needs the
    /// interpreter) as it arrives and, when none is waiting, decides the next event itself
    /// with the interpreter released. Each thread takes the next undecided event, so the
    /// conversion overlaps the deciding instead of following it. A worker that cannot be
    /// started leaves its share to the others.
    fn run_pipelined<'py>(
        &self,
        py: Python<'py>,
        events: &[String],
        crm: &Crm,
        threads: usize,
    ) -> Vec<Option<Decided<'py>>> {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::mpsc;
        let next = AtomicUsize::new(0);
        let mut out: Vec<Option<Decided<'py>>> = (0..events.len()).map(|_| None).collect();
        std::thread::scope(|scope| {
            let (tx, rx) = mpsc::channel::<(usize, ringback::Result<String>)>();
            for _ in 1..threads {
                let tx = tx.clone();
                let next = &next;
                let worker = move || loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(event) = events.get(i) else { break };
                    if tx.send((i, self.run(event, crm))).is_err() {
                        break;
                    }
                };
                // A worker that cannot start leaves its events to the others.
                let _ = std::thread::Builder::new()
                    .name("ringback-batch".to_string())
                    .spawn_scoped(scope, worker);
            }
            drop(tx);
            let mut rx = rx;
            loop {
                let got = match rx.try_recv() {
                    Ok(got) => Some(got),
                    Err(mpsc::TryRecvError::Empty) => {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        match events.get(i) {
                            // Nothing to convert: decide one here, without the interpreter.
                            Some(event) => Some((i, py.detach(|| self.run(event, crm)))),
                            // Nothing left to decide: wait for the workers, without it too
                            // (the receiver goes along and comes back).
                            None => {
                                let (got, back) = py.detach(move || (rx.recv().ok(), rx));
                                rx = back;
                                got
                            }
                        }
                    }
                    Err(mpsc::TryRecvError::Disconnected) => {
                        // Every worker is done (or none started): decide what is left here.
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        events
                            .get(i)
                            .map(|event| (i, py.detach(|| self.run(event, crm))))
                    }
                };
                let Some((i, r)) = got else { break };
                if let Some(slot) = out.get_mut(i) {
                    *slot = Some(r.map(|t| from_json(py, &t)));
                }
            }
        });
        out
    }
}

/// One event of a batch: the core's error, or its decision converted to Python objects.
type Decided<'py> = ringback::Result<PyResult<Bound<'py, PyAny>>>;

impl PyCrmIndex {
    fn build(engine: &PyEngine, contacts: &Bound<'_, PyAny>) -> PyResult<Self> {
        let py = contacts.py();
        let text = conv(py, crm_json(contacts), "")?;
        let inner = engine.inner.clone();
        let index = py
            .detach(|| guard(|| inner.index_json(&text)))
            .map_err(|e| to_py(py, e))?;
        Ok(PyCrmIndex {
            engine: engine.inner.clone(),
            index: Arc::new(index),
        })
    }
}

#[pymethods]
impl PyCrmIndex {
    /// Indexes `contacts` (a snapshot dict `{"contacts": [...], "suppressions": {...}}`, a
    /// list of contacts, or JSON text) for `engine`, whose policy decides how numbers
    /// without a country code are read.
    #[new]
    fn new(engine: &Bound<'_, PyEngine>, contacts: &Bound<'_, PyAny>) -> PyResult<Self> {
        Self::build(engine.get(), contacts)
    }

    /// Refuses to pickle, saying what to do instead.
    fn __reduce__(&self) -> PyResult<()> {
        Err(not_picklable(
            "CrmIndex",
            "it is an index built in this process for one engine; build it where it is used \
             (for example once per Spark or Dask partition, CrmIndex(engine, contacts)) and \
             send the contacts and the engine (which pickles) instead",
        ))
    }

    /// The number of contacts indexed.
    fn __len__(&self) -> usize {
        self.index.len()
    }

    /// `CrmIndex(contacts=N)`.
    fn __repr__(&self) -> String {
        format!("CrmIndex(contacts={})", self.index.len())
    }
}

/// Runs `f` on the value behind `lock` with the interpreter released, guarded against
/// panics; a lock poisoned by an earlier internal error stays an error.
fn locked<S: Send, T: Send>(
    py: Python<'_>,
    lock: &Mutex<S>,
    what: &str,
    f: impl FnOnce(&mut S) -> ringback::Result<T> + Send,
) -> PyResult<T> {
    py.detach(|| {
        let mut v = lock.lock().map_err(|_| {
            ringback::Error::new(
                ErrorCode::Internal,
                "",
                format!("this {what} stopped at an internal error; start a new one"),
            )
        })?;
        guard(|| f(&mut v))
    })
    .map_err(|e| to_py(py, e))
}

/// A replay of many calls through one engine (Python class `ringback.Replayer`): each
/// call is decided against the CRM as every earlier decision left it, written back, and
/// added to the recovery report; outcomes are matched to the decisions. The loop is the
/// core's `ringback::replay::Replayer` (ordering contract: occurred_at, received_at,
/// event_id). Safe to share between threads: calls on one replayer take turns.
#[pyclass(frozen, module = "ringback", name = "Replayer")]
struct PyReplayer {
    inner: Mutex<Replayer<Arc<Engine>>>,
}

impl PyReplayer {
    /// Runs `f` on the replayer with the interpreter released, guarded against panics.
    fn with<T: Send>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&mut Replayer<Arc<Engine>>) -> ringback::Result<T> + Send,
    ) -> PyResult<T> {
        locked(py, &self.inner, "Replayer", f)
    }
}

#[pymethods]
impl PyReplayer {
    /// Refuses to pickle, saying what to do instead.
    fn __reduce__(&self) -> PyResult<()> {
        Err(not_picklable(
            "Replayer",
            "it holds a replay's CRM state in this process; start one replay per partition \
             from the engine (which pickles) and that partition's contacts",
        ))
    }

    /// A replay for `engine` over `crm`: a `CrmIndex` built for that engine (copied: the
    /// index you pass is not changed), a snapshot dict, a list of contacts, JSON text, or
    /// `None` for an empty CRM.
    #[new]
    #[pyo3(signature = (engine, crm=None))]
    fn new(
        py: Python<'_>,
        engine: &Bound<'_, PyEngine>,
        crm: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let engine = engine.get();
        let inner = engine.inner.clone();
        let index = match engine.crm_arg(crm)? {
            Crm::Index(index) => CrmIndex::clone(&index),
            Crm::Text(text) => py
                .detach(|| guard(|| inner.index_json(&text)))
                .map_err(|e| to_py(py, e))?,
        };
        Ok(PyReplayer {
            inner: Mutex::new(Replayer::new(inner, index)),
        })
    }

    /// Writes back a consent revocation (`channel` `sms`, `voice` or `email`; a number or
    /// address): later decisions of this replay do not contact it there.
    fn suppress(&self, py: Python<'_>, channel: &str, number: &str) -> PyResult<()> {
        let Some(c) = ringback::model::policy::Channel::parse(channel) else {
            return Err(to_py(
                py,
                ringback::Error::new(
                    ErrorCode::InvalidJson,
                    "channel",
                    format!("`{channel}` is not sms, voice or email"),
                ),
            ));
        };
        let number = number.to_string();
        self.with(py, move |r| {
            r.suppress(c, &number);
            Ok(())
        })
    }

    /// Decides one call (a dict or JSON text) in the order given, writes the decision back
    /// and adds it to the report; returns the decision as a dict.
    fn decide<'py>(
        &self,
        py: Python<'py>,
        event: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let event = conv(py, json_or_value(event, ErrorCode::InvalidEvent), "")?;
        let out = self.with(py, |r| r.decide_json(&event))?;
        from_json(py, &out)
    }

    /// Orders `events` (dicts or JSON texts) by the replay key and decides each. Returns a
    /// list in replay order: a decision dict, or for a rejected event its exception (a
    /// `RingbackError` subclass whose `.path` starts with the event's input index), so one
    /// bad event loses none of the others.
    fn replay<'py>(
        &self,
        py: Python<'py>,
        events: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyList>> {
        if events.cast::<PyString>().is_ok()
            || events.cast::<PyBytes>().is_ok()
            || events.cast::<PyDict>().is_ok()
        {
            return Err(PyTypeError::new_err(
                "replay takes an iterable of events (dicts or JSON texts); use replay_jsonl for JSON lines",
            ));
        }
        // An event that does not convert keeps its place: it is replayed as an empty text
        // (rejected in place by the core) and answered with its conversion error.
        let mut texts = Vec::new();
        let mut failed: Vec<Option<PyErr>> = Vec::new();
        for (i, item) in events.try_iter()?.enumerate() {
            let item = item?;
            match conv(
                py,
                json_or_value(&item, ErrorCode::InvalidEvent),
                &format!("[{i}]"),
            ) {
                Ok(t) => {
                    texts.push(t);
                    failed.push(None);
                }
                Err(e) => {
                    texts.push(String::new());
                    failed.push(Some(e));
                }
            }
        }
        let answers = self.with(py, |r| {
            let mut out = Vec::with_capacity(texts.len());
            r.replay_texts_each(texts.iter().map(String::as_str), |a| {
                let json = a.result.and_then(|d| ringback::to_json(&d));
                out.push((a.input, json));
            });
            Ok(out)
        })?;
        let list = PyList::empty(py);
        for (input, json) in answers {
            let i = input - 1;
            if let Some(e) = failed.get_mut(i).and_then(Option::take) {
                list.append(e.value(py))?;
                continue;
            }
            match json {
                Ok(text) => list.append(from_json(py, &text)?)?,
                Err(e) => list.append(to_py(py, e.within(&format!("[{i}]"))).value(py))?,
            }
        }
        Ok(list)
    }

    /// Replays JSON lines (one event per line, `str` or `bytes`) and returns the answers as
    /// JSON lines in replay order: each decision, or `{"error": {...}, "line": N}` for a
    /// rejected line. Byte for byte what `ringback replay --format jsonl` prints.
    fn replay_jsonl(&self, py: Python<'_>, text: &Bound<'_, PyAny>) -> PyResult<String> {
        let text = match conv(py, text_of(text, ErrorCode::InvalidEvent), "")? {
            Some(t) => t,
            None => return Err(PyTypeError::new_err(
                "replay_jsonl takes JSON lines as str or bytes; use replay() for a list of dicts",
            )),
        };
        self.with(py, |r| Ok(r.replay_jsonl_to_jsonl(&text)))
    }

    /// Records an outcome (a dict or JSON text) against the decision the report counts for
    /// its call; returns the attribution event as a dict.
    fn record_outcome<'py>(
        &self,
        py: Python<'py>,
        outcome: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let outcome = conv(py, json_or_value(outcome, ErrorCode::InvalidEvent), "")?;
        let out = self.with(py, |r| r.record_outcome_json(&outcome))?;
        from_json(py, &out)
    }

    /// The recovery report's figures so far, as a dict.
    fn summary<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let out = self.with(py, |r| r.summary_json())?;
        from_json(py, &out)
    }

    /// Counts so far: `{"events", "rejected", "outcomes", "outcomes_rejected"}`.
    #[getter]
    fn stats<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let s = self.with(py, |r| Ok(r.stats()))?;
        let d = PyDict::new(py);
        d.set_item("events", s.events)?;
        d.set_item("rejected", s.rejected)?;
        d.set_item("outcomes", s.outcomes)?;
        d.set_item("outcomes_rejected", s.outcomes_rejected)?;
        Ok(d)
    }

    /// `Replayer(events=N)`.
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let s = self.with(py, |r| Ok(r.stats()))?;
        Ok(format!("Replayer(events={})", s.events))
    }
}

fn crm_config(
    py: Python<'_>,
    config: Option<&Bound<'_, PyAny>>,
) -> PyResult<ringback::crm::Config> {
    let text = match config {
        Some(c) if !c.is_none() => match conv(py, text_of(c, ErrorCode::InvalidCrm), "config")? {
            Some(t) => t,
            None => conv(py, to_json(c, ErrorCode::InvalidCrm), "config")?,
        },
        _ => String::new(),
    };
    guard(|| ringback::crm::Config::parse(&text)).map_err(|e| to_py(py, e))
}

fn crm_system(py: Python<'_>, system: &str) -> PyResult<ringback::crm::System> {
    ringback::crm::System::parse(system).map_err(|e| to_py(py, e))
}

fn crm_response(py: Python<'_>, response: &Bound<'_, PyAny>) -> PyResult<ringback::crm::Response> {
    let text = conv(
        py,
        json_or_value(response, ErrorCode::InvalidCrm),
        "response",
    )?;
    guard(|| ringback::crm::Response::from_json(&text)).map_err(|e| to_py(py, e))
}

/// A sans-I/O machine's next request as a dict (or `None`), for every machine class.
fn machine_next<'py, M: ringback::crm::Machine + Send>(
    py: Python<'py>,
    m: &Mutex<M>,
    what: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let text = locked(py, m, what, |s| ringback::to_json(&s.next_request()))?;
    from_json(py, &text)
}

/// Feeds a machine the answer `{status, headers, body}` to its last request.
fn machine_feed<M: ringback::crm::Machine + Send>(
    py: Python<'_>,
    m: &Mutex<M>,
    what: &str,
    response: &Bound<'_, PyAny>,
) -> PyResult<()> {
    let r = crm_response(py, response)?;
    locked(py, m, what, |s| s.feed(r))
}

/// A machine's outcome so far as a dict.
fn machine_outcome<'py, M: ringback::crm::Machine + Send>(
    py: Python<'py>,
    m: &Mutex<M>,
    what: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let text = locked(py, m, what, |s| s.outcome_json())?;
    from_json(py, &text)
}

/// The search requests for one caller (native class behind `ringback.crm.lookup`).
#[pyclass(frozen, module = "ringback", name = "_CrmLookup")]
struct PyCrmLookup {
    inner: ringback::crm::Lookup,
}

#[pymethods]
impl PyCrmLookup {
    /// Refuses to pickle, saying what to do instead.
    fn __reduce__(&self) -> PyResult<()> {
        Err(not_picklable(
            "crm lookup",
            "a lookup in progress lives in the process that started it; start a new one \
             where the answers arrive",
        ))
    }

    /// The requests to send, as dicts `{method, path, headers, body, delay_seconds}`.
    fn requests<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let text = guard(|| ringback::to_json(&self.inner.requests())).map_err(|e| to_py(py, e))?;
        from_json(py, &text)
    }

    /// The upsert key a new lead for this caller would carry.
    #[getter]
    fn key(&self) -> &str {
        self.inner.key()
    }

    /// Seconds to wait before sending a request again after `response` (its `attempt`-th
    /// failure), or `None` to use the answer as it is (the core's retry policy).
    fn retry_delay(
        &self,
        py: Python<'_>,
        response: &Bound<'_, PyAny>,
        attempt: u32,
    ) -> PyResult<Option<u32>> {
        let r = crm_response(py, response)?;
        Ok(self.inner.retry_delay(&r, attempt))
    }

    /// Reads the answers (dicts `{status, headers, body}`, one per request, in order) into
    /// a CRM snapshot dict.
    fn snapshot<'py>(
        &self,
        py: Python<'py>,
        responses: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let mut list = Vec::new();
        for r in responses.try_iter()? {
            list.push(crm_response(py, &r?)?);
        }
        let text = py
            .detach(|| {
                guard(|| {
                    self.inner
                        .snapshot(&list)
                        .and_then(|s| ringback::to_json(&s))
                })
            })
            .map_err(|e| to_py(py, e))?;
        from_json(py, &text)
    }
}

/// `_crm_lookup(system, caller, location, config=None)`: the lookup for a caller number in
/// any format.
#[pyfunction]
#[pyo3(signature = (system, caller, location, config=None))]
fn _crm_lookup(
    py: Python<'_>,
    system: &str,
    caller: &str,
    location: &str,
    config: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyCrmLookup> {
    let system = crm_system(py, system)?;
    let config = crm_config(py, config)?;
    let caller = guard(|| ringback::crm::Caller::parse(caller, location, &config))
        .map_err(|e| to_py(py, e))?;
    Ok(PyCrmLookup {
        inner: ringback::crm::lookup(system, &config, &caller),
    })
}

/// The sync machine of one decision (native class behind `ringback.crm.Sync`).
#[pyclass(frozen, module = "ringback", name = "_CrmSync")]
struct PyCrmSync {
    inner: Mutex<ringback::crm::Sync>,
}

#[pymethods]
impl PyCrmSync {
    /// Refuses to pickle, saying what to do instead.
    fn __reduce__(&self) -> PyResult<()> {
        Err(not_picklable(
            "crm sync",
            "a sync in progress lives in the process that started it; a new sync of the \
             same decision elsewhere is safe (writes are idempotent)",
        ))
    }

    /// A sync of `decision` (a dict or JSON text, as `process` returned it) into `system`.
    #[new]
    #[pyo3(signature = (system, decision, config=None))]
    fn new(
        py: Python<'_>,
        system: &str,
        decision: &Bound<'_, PyAny>,
        config: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let system = crm_system(py, system)?;
        let config = crm_config(py, config)?;
        let text = conv(
            py,
            json_or_value(decision, ErrorCode::InvalidEvent),
            "decision",
        )?;
        let subject =
            guard(|| ringback::crm::SyncSubject::from_json(&text)).map_err(|e| to_py(py, e))?;
        Ok(PyCrmSync {
            inner: Mutex::new(ringback::crm::Sync::new(system, &subject, &config)),
        })
    }

    /// The next request as a dict, or `None` when the sync is done or failed.
    fn next_request<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        machine_next(py, &self.inner, "sync")
    }

    /// Reads the answer (`{status, headers, body}`) to the last request.
    fn feed(&self, py: Python<'_>, response: &Bound<'_, PyAny>) -> PyResult<()> {
        machine_feed(py, &self.inner, "sync", response)
    }

    /// What the sync did so far, as a dict.
    fn outcome<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        machine_outcome(py, &self.inner, "sync")
    }

    /// The most requests this sync can send.
    #[getter]
    fn request_bound(&self, py: Python<'_>) -> PyResult<u32> {
        locked(py, &self.inner, "sync", |s| Ok(s.request_bound()))
    }
}

/// The built-in default policy as a dict (SPEC §3.3): add locations to it and pass it to
/// `Engine`.
#[pyfunction]
fn default_policy(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    from_json(py, &ringback::default_policy_json())
}

/// Vendor payload to canonical event: `{"ingested": "event", "event": {...}}`,
/// `{"ingested": "not_missed", "reason": ...}` or `{"ingested": "incomplete", "reason": ...}`.
/// `payload` is the raw body (`str`/`bytes`) or an already parsed JSON dict; `options` a
/// dict of ingest options or `None`.
#[pyfunction]
#[pyo3(signature = (vendor, payload, options=None))]
fn ingest<'py>(
    py: Python<'py>,
    vendor: &str,
    payload: &Bound<'py, PyAny>,
    options: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    if !ringback::ingest::VENDORS.contains(&vendor) {
        return Err(PyValueError::new_err(format!(
            "unknown vendor {vendor:?}; known: {}",
            ringback::ingest::VENDORS.join(", ")
        )));
    }
    run_ingest(py, payload, options, |p, o| {
        ringback::ingest::parse_json(vendor, p, o)
    })
}

/// Converts an ingest payload and options, runs `f` with the interpreter released, and
/// builds the result.
fn run_ingest<'py>(
    py: Python<'py>,
    payload: &Bound<'py, PyAny>,
    options: Option<&Bound<'py, PyAny>>,
    f: impl FnOnce(&str, &str) -> ringback::Result<String> + Send,
) -> PyResult<Bound<'py, PyAny>> {
    let payload = conv(
        py,
        json_or_value(payload, ErrorCode::UnsupportedPayload),
        "",
    )?;
    let options = match options {
        Some(o) if !o.is_none() => conv(py, json_or_value(o, ErrorCode::InvalidJson), "options")?,
        _ => String::new(),
    };
    let out = py
        .detach(|| guard(|| f(&payload, &options)))
        .map_err(|e| to_py(py, e))?;
    from_json(py, &out)
}

/// A page of a vendor's list API (RingCentral `records`, CallRail `calls`, WhatConverts
/// `leads`, Twilio `calls`, ..., or a list of webhook bodies) to one result per item, in
/// order: each `{"ingested": "event" | "not_missed" | "incomplete", ...}`, or
/// `{"ingested": "error", "error": {"code", "path", "message"}}` for a bad item. Raises only
/// when the page itself cannot be read.
#[pyfunction]
#[pyo3(signature = (vendor, payload, options=None))]
fn ingest_many<'py>(
    py: Python<'py>,
    vendor: &str,
    payload: &Bound<'py, PyAny>,
    options: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    run_ingest(py, payload, options, |p, o| {
        ringback::ingest::parse_many_json(vendor, p, o)
    })
}

/// Converts a Python value to JSON text exactly as `Engine.process` does (for benchmarks
/// and debugging).
#[pyfunction]
fn _to_json(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<String> {
    conv(py, to_json(value, ErrorCode::InvalidJson), "")
}

/// Builds Python values from JSON text exactly as `Engine.process` does.
#[pyfunction]
fn _from_json<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    convert::parse(py, text, ErrorCode::InvalidJson)
}

/// Panics inside a guarded core call: proves that a panic surfaces as `InternalError`.
#[pyfunction]
fn _panic_for_test(py: Python<'_>) -> PyResult<()> {
    py.detach(|| guard(|| -> ringback::Result<()> { panic!("deliberate test panic") }))
        .map_err(|e| to_py(py, e))
}

/// The native module `ringback._ringback`.
#[pymodule]
fn _ringback(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("ENGINE_VERSION", ringback::ENGINE_VERSION)?;
    m.add("VENDORS", PyTuple::new(m.py(), ringback::ingest::VENDORS)?)?;
    m.add_class::<PyEngine>()?;
    m.add_class::<PyCrmIndex>()?;
    m.add_class::<partition::PyPlan>()?;
    m.add_function(wrap_pyfunction!(partition::bucket, m)?)?;
    m.add_class::<PyReplayer>()?;
    m.add_class::<PyCrmLookup>()?;
    m.add_class::<PyCrmSync>()?;
    m.add_class::<messaging::PyTwilioSend>()?;
    m.add_function(wrap_pyfunction!(messaging::_twilio_read_callback, m)?)?;
    m.add_function(wrap_pyfunction!(_crm_lookup, m)?)?;
    m.add_function(wrap_pyfunction!(default_policy, m)?)?;
    m.add_function(wrap_pyfunction!(ingest, m)?)?;
    m.add_function(wrap_pyfunction!(ingest_many, m)?)?;
    m.add_function(wrap_pyfunction!(_to_json, m)?)?;
    m.add_function(wrap_pyfunction!(_from_json, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_for_test, m)?)?;
    errors::register(m)?;
    Ok(())
}
