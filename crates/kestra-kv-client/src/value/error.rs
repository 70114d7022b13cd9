//! Why a value is refused ([`ValueError`]): an unknown type name, a text that is not a value
//! of its type (or one Kestra could not keep as that type), or an answer without a value.

use super::KvType;

/// Why a value was rejected. Messages never repeat the value itself: it may be a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    #[error(
        "unknown type {name:?}; expected one of STRING, NUMBER, BOOLEAN, DATETIME, DATE, DURATION, JSON"
    )]
    UnknownType { name: String },
    #[error("not a valid {kind} value: {reason}")]
    Invalid { kind: KvType, reason: String },
    #[error("Kestra returned no value for a {kind} entry")]
    Missing { kind: KvType },
}

pub(super) fn invalid(kind: KvType, reason: impl Into<String>) -> ValueError {
    ValueError::Invalid {
        kind,
        reason: reason.into(),
    }
}
