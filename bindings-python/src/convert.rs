//! Conversions at the boundary, chosen by measurement (see `benches/python_bench.py`):
//!
//! - Python values to JSON text: a direct walk over dicts, lists, strings, numbers,
//!   `None`, booleans and `datetime`/`date` objects that writes JSON into a buffer, which the
//!   core then parses. An aware `datetime` is written as ISO 8601 with its offset; a naive
//!   one is an `invalid_timestamp` error with the JSON path of the value.
//! - JSON text to Python values: a serde visitor that builds dicts, lists, strings and
//!   numbers straight from the core's JSON output, without an intermediate tree.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Mutex;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple, PyType};
use ringback::{Error, ErrorCode};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

/// Deepest nesting accepted from Python (also stops self-referencing containers).
const MAX_DEPTH: usize = 128;

/// One step of a JSON path.
enum Seg {
    Key(String),
    Index(usize),
}

/// A conversion failure: the path is collected on the way out of the recursion. Boxed,
/// so that the `Ok` path stays small.
pub struct ConvError(Box<ConvInner>);

struct ConvInner {
    code: ErrorCode,
    /// Innermost segment first.
    segs: Vec<Seg>,
    message: String,
    /// A Python exception raised while reading the value (by `isoformat()`, `utcoffset()`).
    py_err: Option<PyErr>,
}

impl ConvError {
    fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ConvError(Box::new(ConvInner {
            code,
            segs: Vec::new(),
            message: message.into(),
            py_err: None,
        }))
    }

    fn from_py(code: ErrorCode, err: PyErr) -> Self {
        ConvError(Box::new(ConvInner {
            code,
            segs: Vec::new(),
            message: String::new(),
            py_err: Some(err),
        }))
    }

    /// Puts the whole path under `key` (`contacts` + `[0].phones`).
    pub fn under(self, key: &str) -> Self {
        self.at(Seg::Key(key.to_string()))
    }

    fn at(mut self, seg: Seg) -> Self {
        self.0.segs.push(seg);
        self
    }

    /// The JSON path, `a.b[3].c`, below `root` (`""`, `"[4]"`, ...).
    fn path(&self, root: &str) -> String {
        let mut out = root.to_string();
        for seg in self.0.segs.iter().rev() {
            match seg {
                Seg::Key(k) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                }
                Seg::Index(i) => {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
            }
        }
        out
    }

    /// The coded Python exception for this failure.
    pub fn into_py(self, py: Python<'_>, root: &str) -> PyErr {
        let path = self.path(root);
        let inner = *self.0;
        let message = match &inner.py_err {
            Some(e) => format!("cannot convert value: {e}"),
            None => inner.message,
        };
        crate::errors::to_py(py, Error::new(inner.code, path, message))
    }
}

type ConvResult<T> = Result<T, ConvError>;

struct DateTypes {
    datetime: Py<PyType>,
    date: Py<PyType>,
}

static DATE_TYPES: PyOnceLock<DateTypes> = PyOnceLock::new();

fn date_types(py: Python<'_>) -> PyResult<&DateTypes> {
    DATE_TYPES.get_or_try_init(py, || {
        let module = py.import("datetime")?;
        Ok(DateTypes {
            datetime: module.getattr("datetime")?.cast_into::<PyType>()?.unbind(),
            date: module.getattr("date")?.cast_into::<PyType>()?.unbind(),
        })
    })
}

fn write_str(out: &mut Vec<u8>, s: &str) {
    // Writing into a Vec cannot fail.
    let _ = serde_json::to_writer(out, s);
}

fn str_of<'a>(s: &'a Bound<'_, PyString>, code: ErrorCode) -> ConvResult<Cow<'a, str>> {
    s.to_cow().map_err(|e| ConvError::from_py(code, e))
}

/// Converts a Python value to JSON text. `code` is the error code for structural
/// problems (`invalid_event`, `invalid_crm`, ...).
pub fn to_json(obj: &Bound<'_, PyAny>, code: ErrorCode) -> ConvResult<String> {
    let mut out = Vec::with_capacity(1024);
    write_value(obj, &mut out, code, 0)?;
    String::from_utf8(out).map_err(|e| ConvError::new(ErrorCode::Internal, e.to_string()))
}

fn write_value(
    obj: &Bound<'_, PyAny>,
    out: &mut Vec<u8>,
    code: ErrorCode,
    depth: usize,
) -> ConvResult<()> {
    if depth > MAX_DEPTH {
        return Err(ConvError::new(
            code,
            format!("nested deeper than {MAX_DEPTH} levels (or a container contains itself)"),
        ));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        write_str(out, &str_of(s, code)?);
    } else if let Ok(d) = obj.cast::<PyDict>() {
        out.push(b'{');
        for (i, (k, v)) in d.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            let key = match k.cast::<PyString>() {
                Ok(k) => str_of(k, code)?,
                Err(_) => {
                    return Err(ConvError::new(
                        code,
                        format!(
                            "dict keys must be str, not {}",
                            type_name(&k).unwrap_or_default()
                        ),
                    ))
                }
            };
            write_str(out, &key);
            out.push(b':');
            write_value(&v, out, code, depth + 1).map_err(|e| e.at(Seg::Key(key.into_owned())))?;
        }
        out.push(b'}');
    } else if obj.is_none() {
        out.extend_from_slice(b"null");
    } else if let Ok(b) = obj.cast::<PyBool>() {
        out.extend_from_slice(if b.is_true() { b"true" } else { b"false" });
    } else if let Ok(i) = obj.cast::<PyInt>() {
        match i.extract::<i64>() {
            Ok(n) => out.extend_from_slice(n.to_string().as_bytes()),
            Err(_) => {
                let text = i.str().map_err(|e| ConvError::from_py(code, e))?;
                out.extend_from_slice(str_of(&text, code)?.as_bytes());
            }
        }
    } else if let Ok(f) = obj.cast::<PyFloat>() {
        let v = f.value();
        if !v.is_finite() {
            return Err(ConvError::new(code, format!("{v} is not a JSON number")));
        }
        let _ = serde_json::to_writer(&mut *out, &v);
    } else if let Ok(l) = obj.cast::<PyList>() {
        out.push(b'[');
        for (i, item) in l.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            write_value(&item, out, code, depth + 1).map_err(|e| e.at(Seg::Index(i)))?;
        }
        out.push(b']');
    } else if let Ok(t) = obj.cast::<PyTuple>() {
        out.push(b'[');
        for (i, item) in t.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            write_value(&item, out, code, depth + 1).map_err(|e| e.at(Seg::Index(i)))?;
        }
        out.push(b']');
    } else {
        write_other(obj, out, code)?;
    }
    Ok(())
}

/// `datetime`, `date`, or an unsupported type.
fn write_other(obj: &Bound<'_, PyAny>, out: &mut Vec<u8>, code: ErrorCode) -> ConvResult<()> {
    let py = obj.py();
    let types = date_types(py).map_err(|e| ConvError::from_py(ErrorCode::Internal, e))?;
    let is = |t: &Py<PyType>| obj.is_instance(t.bind(py)).unwrap_or(false);
    if is(&types.datetime) {
        let offset = obj
            .call_method0("utcoffset")
            .map_err(|e| ConvError::from_py(ErrorCode::InvalidTimestamp, e))?;
        if offset.is_none() {
            return Err(ConvError::new(
                ErrorCode::InvalidTimestamp,
                "naive datetime: ringback needs a timezone-aware datetime \
                 (for example datetime(..., tzinfo=timezone.utc) or ZoneInfo(...))",
            ));
        }
        iso(obj, out)
    } else if is(&types.date) {
        iso(obj, out)
    } else {
        Err(ConvError::new(
            code,
            format!(
                "a value of type {} cannot be converted to JSON (use dict, list, str, int, \
                 float, bool, None or an aware datetime)",
                type_name(obj).unwrap_or_default()
            ),
        ))
    }
}

fn iso(obj: &Bound<'_, PyAny>, out: &mut Vec<u8>) -> ConvResult<()> {
    let text = obj
        .call_method0("isoformat")
        .map_err(|e| ConvError::from_py(ErrorCode::InvalidTimestamp, e))?;
    let text = text
        .cast::<PyString>()
        .map_err(|_| ConvError::new(ErrorCode::InvalidTimestamp, "isoformat() is not a str"))?;
    write_str(out, &str_of(text, ErrorCode::InvalidTimestamp)?);
    Ok(())
}

fn type_name(obj: &Bound<'_, PyAny>) -> Option<String> {
    obj.get_type().name().ok().map(|n| n.to_string())
}

/// Text input as given: `str`, or UTF-8 `bytes` (other bytes are `invalid_json`); `None`
/// if `obj` is neither.
pub fn text_of(obj: &Bound<'_, PyAny>, code: ErrorCode) -> ConvResult<Option<String>> {
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Some(str_of(s, code)?.into_owned()));
    }
    if let Ok(b) = obj.cast::<PyBytes>() {
        return match std::str::from_utf8(b.as_bytes()) {
            Ok(s) => Ok(Some(s.to_string())),
            Err(e) => Err(ConvError::new(
                ErrorCode::InvalidJson,
                format!("bytes are not UTF-8 text: {e}"),
            )),
        };
    }
    Ok(None)
}

/// JSON text as given (`str`/`bytes`), or the JSON of a Python value.
pub fn json_or_value(obj: &Bound<'_, PyAny>, code: ErrorCode) -> ConvResult<String> {
    match text_of(obj, code)? {
        Some(text) => Ok(text),
        None => to_json(obj, code),
    }
}

/// Builds Python values from JSON text written by the core.
pub fn from_json<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    parse(py, text, ErrorCode::Internal)
}

/// Builds Python values from JSON text; text that does not parse is a `code` error.
pub fn parse<'py>(py: Python<'py>, text: &str, code: ErrorCode) -> PyResult<Bound<'py, PyAny>> {
    let mut de = serde_json::Deserializer::from_str(text);
    let mut slot = None;
    // `try_lock`: a thread that finds the cache busy (another thread converting while a
    // finalizer released the interpreter) converts without it rather than wait.
    let mut guard = KEY_CACHE.try_lock().ok();
    let value = PySeed {
        py,
        err: &mut slot,
        keys: guard.as_deref_mut(),
    }
    .deserialize(&mut de);
    let value = value.and_then(|v| de.end().map(|()| v));
    match (value, slot) {
        (_, Some(err)) => Err(err),
        (Ok(v), None) => Ok(v),
        (Err(e), None) => Err(crate::errors::raise(
            py,
            code,
            "",
            format!("JSON does not parse: {e}"),
        )),
    }
}

/// Keys longer than this are not cached.
const MAX_CACHED_KEY: usize = 40;
/// At most this many distinct keys are cached (the decision has a few hundred).
const MAX_CACHED_KEYS: usize = 4096;

/// Python `str` objects for the object keys seen so far. The core's outputs use a small,
/// fixed set of keys, so reusing their `str` objects (with their hashes already computed)
/// saves an allocation and a hash per key.
#[derive(Default)]
struct KeyCache {
    map: HashMap<Box<str>, Py<PyString>, BuildHasherDefault<Fnv>>,
}

static KEY_CACHE: Mutex<KeyCache> = Mutex::new(KeyCache {
    map: HashMap::with_hasher(BuildHasherDefault::new()),
});

impl KeyCache {
    fn get<'py>(&mut self, py: Python<'py>, key: &str) -> Bound<'py, PyString> {
        if let Some(s) = self.map.get(key) {
            return s.bind(py).clone();
        }
        let s = PyString::new(py, key);
        if key.len() <= MAX_CACHED_KEY && self.map.len() < MAX_CACHED_KEYS {
            self.map.insert(key.into(), s.clone().unbind());
        }
        s
    }
}

/// FNV-1a: short keys, no need for a DoS-resistant hash (the key set is bounded).
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// A serde seed producing a Python object; a Python error is kept in `err`.
struct PySeed<'a, 'py> {
    py: Python<'py>,
    err: &'a mut Option<PyErr>,
    keys: Option<&'a mut KeyCache>,
}

impl<'a, 'py> PySeed<'a, 'py> {
    fn fail<E: de::Error>(&mut self, e: PyErr) -> E {
        *self.err = Some(e);
        E::custom("python error")
    }
}

impl<'de, 'py> DeserializeSeed<'de> for PySeed<'_, 'py> {
    type Value = Bound<'py, PyAny>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, 'py> Visitor<'de> for PySeed<'_, 'py> {
    type Value = Bound<'py, PyAny>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(PyBool::new(self.py, v).to_owned().into_any())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(PyInt::new(self.py, v).into_any())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(PyInt::new(self.py, v).into_any())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(PyFloat::new(self.py, v).into_any())
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(PyString::new(self.py, v).into_any())
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(self.py.None().into_bound(self.py))
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        self.visit_unit()
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<Self::Value, A::Error> {
        let py = self.py;
        let list = PyList::empty(py);
        while let Some(item) = seq.next_element_seed(PySeed {
            py,
            err: &mut *self.err,
            keys: self.keys.as_deref_mut(),
        })? {
            if let Err(e) = list.append(item) {
                return Err(self.fail(e));
            }
        }
        Ok(list.into_any())
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Self::Value, A::Error> {
        let py = self.py;
        let dict = PyDict::new(py);
        while let Some(key) = map.next_key_seed(KeySeed {
            py,
            keys: self.keys.as_deref_mut(),
        })? {
            let value = map.next_value_seed(PySeed {
                py,
                err: &mut *self.err,
                keys: self.keys.as_deref_mut(),
            })?;
            if let Err(e) = dict.set_item(key, value) {
                return Err(self.fail(e));
            }
        }
        Ok(dict.into_any())
    }
}

/// A map key straight into a Python `str` (no intermediate `String`), from the cache when
/// there is one.
struct KeySeed<'a, 'py> {
    py: Python<'py>,
    keys: Option<&'a mut KeyCache>,
}

impl<'de, 'py> DeserializeSeed<'de> for KeySeed<'_, 'py> {
    type Value = Bound<'py, PyString>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de, 'py> Visitor<'de> for KeySeed<'_, 'py> {
    type Value = Bound<'py, PyString>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(match self.keys {
            Some(cache) => cache.get(self.py, v),
            None => PyString::new(self.py, v),
        })
    }
}
