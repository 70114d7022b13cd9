//! Kestra's rules for keys and namespace ids, checked before any handler touches the store.

use crate::errors::{ApiError, ErrorKind};

const KEY_MESSAGE: &str = "Key must start with an alphanumeric character (uppercase or lowercase) and can contain alphanumeric characters (uppercase or lowercase), dots (.), underscores (_), and hyphens (-) only.";
const MAX_NAMESPACE_LENGTH: usize = 150;

pub(super) fn validate_key(key: &str) -> Result<(), ApiError> {
    let mut bytes = key.bytes();
    let Some(first) = bytes.next() else {
        return Err(ApiError::new(
            ErrorKind::InvalidArgument,
            "Key cannot be null or empty",
        ));
    };
    let valid = first.is_ascii_alphanumeric()
        && bytes.all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'_' | b'-'));
    if valid {
        Ok(())
    } else {
        Err(ApiError::new(ErrorKind::InvalidArgument, KEY_MESSAGE))
    }
}

/// Kestra's namespace id rule (`^[a-z0-9][a-z0-9._-]*$`, at most 150 characters). Kestra's KV
/// controller itself does not check it; the stand-in does, so clients cannot rely on
/// namespaces a real instance could never hold.
pub(super) fn validate_namespace(namespace: &str) -> Result<(), ApiError> {
    let mut bytes = namespace.bytes();
    let valid = namespace.len() <= MAX_NAMESPACE_LENGTH
        && bytes
            .next()
            .is_some_and(|first| first.is_ascii_lowercase() || first.is_ascii_digit())
        && bytes.all(|byte| {
            byte.is_ascii_lowercase() || byte.is_ascii_digit() || matches!(byte, b'.' | b'_' | b'-')
        });
    if valid {
        Ok(())
    } else {
        Err(ApiError::new(
            ErrorKind::InvalidArgument,
            format!(
                "Invalid namespace '{namespace}': it must match ^[a-z0-9][a-z0-9._-]*$ and be at most 150 characters"
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_and_namespace_rules() {
        for key in ["my_key", "My.Key-1", "1"] {
            assert!(validate_key(key).is_ok(), "{key}");
        }
        for key in ["", "_key", "-key", ".key", "a b", "é", "a/b", "bad$key"] {
            assert!(validate_key(key).is_err(), "{key}");
        }
        for namespace in ["company.team", "io", "0a-b_c"] {
            assert!(validate_namespace(namespace).is_ok(), "{namespace}");
        }
        let too_long = "a".repeat(151);
        for namespace in ["", "Company", ".a", "a b", too_long.as_str()] {
            assert!(validate_namespace(namespace).is_err(), "{namespace}");
        }
    }
}
