//! The one error type of the engine, with a stable machine code per variant.

use serde::Serialize;

/// Stable, machine-readable error codes. Bindings map these one-to-one onto C status
/// values, Python exception classes and JavaScript `error.code` strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The input is not syntactically valid JSON (or TOML for policies).
    InvalidJson,
    /// A missed-call event is structurally wrong (missing, unknown or mistyped field).
    InvalidEvent,
    /// A CRM snapshot or contact is structurally wrong.
    InvalidCrm,
    /// The policy is wrong: unknown field, bad hours, duplicate location, ...
    InvalidPolicy,
    /// The event names a `location_id` the policy does not define.
    UnknownLocation,
    /// A timestamp is not RFC 3339 with an offset.
    InvalidTimestamp,
    /// A time zone is not a known IANA zone id.
    InvalidTimeZone,
    /// A vendor payload cannot be turned into an event.
    UnsupportedPayload,
    /// A bug in ringback. Please report it.
    Internal,
}

impl ErrorCode {
    /// Every code, in declaration order (bindings walk this in their tests).
    pub const ALL: [ErrorCode; 9] = [
        ErrorCode::InvalidJson,
        ErrorCode::InvalidEvent,
        ErrorCode::InvalidCrm,
        ErrorCode::InvalidPolicy,
        ErrorCode::UnknownLocation,
        ErrorCode::InvalidTimestamp,
        ErrorCode::InvalidTimeZone,
        ErrorCode::UnsupportedPayload,
        ErrorCode::Internal,
    ];

    /// The code as its stable snake_case string.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidJson => "invalid_json",
            ErrorCode::InvalidEvent => "invalid_event",
            ErrorCode::InvalidCrm => "invalid_crm",
            ErrorCode::InvalidPolicy => "invalid_policy",
            ErrorCode::UnknownLocation => "unknown_location",
            ErrorCode::InvalidTimestamp => "invalid_timestamp",
            ErrorCode::InvalidTimeZone => "invalid_time_zone",
            ErrorCode::UnsupportedPayload => "unsupported_payload",
            ErrorCode::Internal => "internal",
        }
    }

    /// Whether the code means "the caller passed bad input" (as opposed to a bug).
    pub fn is_bad_input(self) -> bool {
        !matches!(self, ErrorCode::Internal)
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An engine error: a stable [`ErrorCode`], the JSON path of the offending value
/// (`locations[3].hours.mon[1]`, empty when the whole document is at fault) and a
/// human-readable message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[error("{code}: {}{message}", path_prefix(.path))]
pub struct Error {
    /// The stable machine code.
    pub code: ErrorCode,
    /// JSON path of the problem, `""` for the document root.
    pub path: String,
    /// What is wrong, in words.
    pub message: String,
}

fn path_prefix(path: &str) -> String {
    if path.is_empty() {
        String::new()
    } else {
        format!("at {path}: ")
    }
}

impl Error {
    /// Builds an error from its parts.
    pub fn new(code: ErrorCode, path: impl Into<String>, message: impl Into<String>) -> Self {
        Error {
            code,
            path: path.into(),
            message: message.into(),
        }
    }

    /// The stable code of this error.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// Prefixes the path with a parent segment (`event` + `voicemail.transcript`).
    pub fn within(mut self, parent: &str) -> Self {
        self.path = join_path(parent, &self.path);
        self
    }
}

/// Joins two JSON path fragments (`a.b` + `c[1]` = `a.b.c[1]`, `a` + `[2]` = `a[2]`).
pub fn join_path(parent: &str, child: &str) -> String {
    if parent.is_empty() {
        child.to_string()
    } else if child.is_empty() {
        parent.to_string()
    } else if child.starts_with('[') {
        format!("{parent}{child}")
    } else {
        format!("{parent}.{child}")
    }
}

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Marker prefixes that typed deserializers put in front of their messages so that a
/// serde error can be mapped back onto the more specific error code.
pub(crate) const TIMESTAMP_MARK: &str = "invalid timestamp: ";
pub(crate) const TIME_ZONE_MARK: &str = "invalid time zone: ";

/// Deserializes JSON text into `T`, mapping failures to a coded [`Error`] with the path.
/// `code` is the code used for structural problems (`invalid_event`, `invalid_crm`, ...).
///
/// Valid input takes the plain serde_json path; only input that fails is read again with
/// path tracking (about a third of the parse's cost) to say where.
pub fn from_json_str<T: serde::de::DeserializeOwned>(text: &str, code: ErrorCode) -> Result<T> {
    if let Ok(value) = serde_json::from_str(text) {
        return Ok(value);
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| classify(e, code))?;
    de.end().map_err(|e| syntax_error(&e))?;
    Ok(value)
}

/// Deserializes an already parsed JSON value into `T` with a coded, path-carrying error.
pub fn from_json_value<T: serde::de::DeserializeOwned>(
    value: &serde_json::Value,
    code: ErrorCode,
) -> Result<T> {
    serde_path_to_error::deserialize(value).map_err(|e| classify(e, code))
}

fn syntax_error(e: &serde_json::Error) -> Error {
    Error::new(
        ErrorCode::InvalidJson,
        "",
        format!(
            "{} (line {}, column {})",
            strip_position(e),
            e.line(),
            e.column()
        ),
    )
}

fn strip_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.find(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

fn classify(e: serde_path_to_error::Error<serde_json::Error>, code: ErrorCode) -> Error {
    let path = render_path(e.path());
    let inner = e.inner();
    if inner.is_syntax() || inner.is_eof() {
        return syntax_error(inner);
    }
    let msg = strip_position(inner);
    if let Some(rest) = msg.strip_prefix(TIMESTAMP_MARK) {
        return Error::new(ErrorCode::InvalidTimestamp, path, rest.to_string());
    }
    if let Some(rest) = msg.strip_prefix(TIME_ZONE_MARK) {
        return Error::new(ErrorCode::InvalidTimeZone, path, rest.to_string());
    }
    Error::new(code, path, msg)
}

/// Renders a serde_path_to_error path as `a.b[3].c`.
pub(crate) fn render_path(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for seg in path.iter() {
        match seg {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Segment::Unknown => {}
        }
    }
    if out == "?" {
        out.clear();
    }
    out
}
