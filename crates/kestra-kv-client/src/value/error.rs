//! Why a value is refused ([`ValueError`]): an unknown type name, a text that is not a value
//! of its type (or one Kestra could not keep as that type), or an answer without a value.

use super::KvType;

/// Why a value was rejected. Messages never repeat the value itself: it may be a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    /// A type name that is not one of Kestra's, exactly upper-case (`string` is refused).
    #[error(
        "unknown type {name:?}; expected one of STRING, NUMBER, BOOLEAN, DATETIME, DATE, DURATION, JSON"
    )]
    UnknownType {
        /// The name as given.
        name: String,
    },
    /// A text that is not a value of its type, or one Kestra would not read back as it.
    #[error("not a valid {kind} value: {reason}")]
    Invalid {
        /// The type the text was checked against.
        kind: KvType,
        /// What is wrong, with an example of what is accepted.
        reason: String,
    },
    /// A GET answer without `value` for a type other than STRING (a stored `null` comes back
    /// as a STRING without value).
    #[error("Kestra returned no value for a {kind} entry")]
    Missing {
        /// The type Kestra reported.
        kind: KvType,
    },
}

pub(super) fn invalid(kind: KvType, reason: impl Into<String>) -> ValueError {
    ValueError::Invalid {
        kind,
        reason: reason.into(),
    }
}
