//! The one error type of the domain. Each error has a stable machine-readable `code`
//! (part of the API contract) and a message for people that names the value at fault.

use std::fmt;

/// What sort of failure an error is; the HTTP layer maps each to one status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The input is malformed (a bad date, an unknown field): HTTP 400.
    Invalid,
    /// The named thing does not exist: HTTP 404.
    NotFound,
    /// The change conflicts with the state (a cycle, a duplicate code): HTTP 409.
    Conflict,
    /// A rule of the organization is broken (a kind that may not go there): HTTP 422.
    Rule,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub kind: ErrorKind,
    pub code: &'static str,
    pub message: String,
    /// Why, as a fault with its values, when the reason can be worded in each language (the
    /// message is then its English wording).
    pub fault: Option<crate::fault::Fault>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: ErrorKind, code: &'static str, message: impl Into<String>) -> Self {
        Self { kind, code, message: message.into(), fault: None }
    }
    /// An error whose reason is a fault: its message is the fault's English wording.
    pub fn faulted(kind: ErrorKind, code: &'static str, fault: crate::fault::Fault) -> Self {
        Self { kind, code, message: fault.english(), fault: Some(fault) }
    }
    pub fn invalid(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Invalid, code, message)
    }
    pub fn not_found(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::NotFound, code, message)
    }
    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Conflict, code, message)
    }
    pub fn rule(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Rule, code, message)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}
