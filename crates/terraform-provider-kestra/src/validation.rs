//! Plan-time checks shared by every `kestra_kv` flavour (resource, data source, ephemeral, list):
//! namespace and key syntax, type names, values against their type, ttl syntax.
//! Unknown values are accepted: they are checked again once known.

use std::sync::LazyLock;

use regex::Regex;

use kestra_kv_client::{KvDuration, KvType, KvValue};
use terraform_plugin_sdk::{Attr, AttributePath, Diagnostics};

// The patterns are constants checked by the tests: `expect` cannot fire at run time.
#[allow(clippy::expect_used)]
static NAMESPACE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[a-z0-9][a-z0-9._-]*$").expect("static regex"));
#[allow(clippy::expect_used)]
static KEY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[a-zA-Z0-9][a-zA-Z0-9._-]*$").expect("static regex"));
const NAMESPACE_MAX_LEN: usize = 150;
/// Kestra stores keys in a 350-character column and does not check the length itself: a longer
/// key fails only when the database refuses it, with a 500.
pub(crate) const KEY_MAX_LEN: usize = 350;

pub fn namespace_problem(namespace: &str) -> Option<String> {
    if namespace.len() > NAMESPACE_MAX_LEN {
        return Some(format!(
            "A namespace has at most {NAMESPACE_MAX_LEN} characters; {namespace:?} has {}.",
            namespace.len()
        ));
    }
    (!NAMESPACE.is_match(namespace)).then(|| {
        format!(
            "{namespace:?} is not a valid Kestra namespace: it must start with a lowercase letter or digit and contain only lowercase letters, digits, dots (.), underscores (_) and hyphens (-), e.g. \"company.team\"."
        )
    })
}

pub fn key_problem(key: &str) -> Option<String> {
    if key == "inheritance" {
        return Some(
            "Kestra cannot read back a key named \"inheritance\": GET .../kv/inheritance is its route for inherited keys. Choose another name."
                .to_string(),
        );
    }
    if key.len() > KEY_MAX_LEN {
        return Some(format!(
            "A key has at most {KEY_MAX_LEN} characters (the size of Kestra's key column); this one has {}: \"{}...\".",
            key.len(),
            key.chars().take(40).collect::<String>()
        ));
    }
    (!KEY.is_match(key)).then(|| {
        format!(
            "{key:?} is not a valid Kestra key: a key must start with an alphanumeric character (uppercase or lowercase) and can contain alphanumeric characters (uppercase or lowercase), dots (.), underscores (_), and hyphens (-) only."
        )
    })
}

/// Where a configuration points: the attributes with which every `kestra_kv*` type locates
/// keys (`key` is null for types that address a whole namespace).
#[derive(Debug, Clone, Copy)]
pub struct Address<'a> {
    pub tenant_id: &'a Attr<String>,
    pub namespace: &'a Attr<String>,
    pub key: &'a Attr<String>,
}

impl<'a> Address<'a> {
    /// The address of a whole namespace (no key).
    pub fn namespace(tenant_id: &'a Attr<String>, namespace: &'a Attr<String>) -> Address<'a> {
        static NO_KEY: Attr<String> = Attr::Null;
        Address {
            tenant_id,
            namespace,
            key: &NO_KEY,
        }
    }
}

/// Checks `namespace` and `key` (and `tenant_id` when present) of a configuration.
pub fn check_location(address: Address<'_>, diagnostics: &mut Diagnostics) {
    if let Some(namespace) = address.namespace.as_str()
        && let Some(problem) = namespace_problem(namespace)
    {
        diagnostics.attribute_error(
            AttributePath::root().attr("namespace"),
            "Invalid namespace",
            problem,
        );
    }
    if let Some(key) = address.key.as_str()
        && let Some(problem) = key_problem(key)
    {
        diagnostics.attribute_error(AttributePath::root().attr("key"), "Invalid key", problem);
    }
    if let Some(tenant) = address.tenant_id.as_str()
        && tenant.trim().is_empty()
    {
        diagnostics.attribute_error(
            AttributePath::root().attr("tenant_id"),
            "Invalid tenant",
            "`tenant_id` must not be empty; omit it to use the provider's tenant.",
        );
    }
}

/// The diagnostics of [`check_location`] on their own, for the validate RPCs.
pub fn location_diagnostics(address: Address<'_>) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    check_location(address, &mut diagnostics);
    diagnostics
}

/// Parses a type name (the attribute at `path`); `None` when null or unknown.
pub fn check_type(
    kind: &Attr<String>,
    path: &AttributePath,
    diagnostics: &mut Diagnostics,
) -> Option<KvType> {
    let name = kind.as_str()?;
    match name.parse::<KvType>() {
        Ok(kind) => Some(kind),
        Err(error) => {
            diagnostics.attribute_error(path.clone(), "Invalid type", error.to_string());
            None
        }
    }
}

/// Checks a value (the attribute at `path`) against the declared type (or infers one),
/// returning the typed value.
pub fn check_value(
    text: &str,
    kind: Option<KvType>,
    path: &AttributePath,
    diagnostics: &mut Diagnostics,
) -> Option<KvValue> {
    // An inferred type is checked like a configured one: inference falls back to STRING,
    // and some strings cannot be stored as written either.
    let kind = kind.unwrap_or_else(|| KvType::infer(text));
    match KvValue::parse(kind, text) {
        Ok(value) => Some(value),
        Err(error) => {
            diagnostics.attribute_error(
                path.clone(),
                format!("Value does not fit type {kind}"),
                error.to_string(),
            );
            None
        }
    }
}

/// Why Kestra cannot keep `description` as written, if it cannot. It travels in an HTTP
/// header: line breaks and other control characters cannot be sent, and Kestra's HTTP stack
/// decodes header bytes as ISO-8859-1, so anything beyond printable ASCII (sent as UTF-8) is
/// stored garbled and would show as an update in every plan. Every place that writes a
/// description checks it here.
pub fn description_problem(description: &str) -> Option<String> {
    let (position, offending) = description
        .chars()
        .enumerate()
        .find(|(_, c)| !(*c == '\t' || c.is_ascii_graphic() || *c == ' '))?;
    let code = u32::from(offending);
    Some(if offending.is_control() {
        format!(
            "Kestra receives the description as an HTTP header, which cannot hold line breaks or other control characters; character {} is U+{code:04X}.",
            position + 1
        )
    } else {
        format!(
            "Kestra receives the description as an HTTP header and decodes its bytes as ISO-8859-1, so {offending:?} (U+{code:04X}, character {}) would be stored garbled and show as a change in every plan. Use printable ASCII only (e.g. \"naive\" for \"naïve\").",
            position + 1
        )
    })
}

/// Checks a description (the attribute at `path`, see [`description_problem`]).
pub fn check_description(
    description: &Attr<String>,
    path: &AttributePath,
    diagnostics: &mut Diagnostics,
) {
    if let Some(problem) = description.as_str().and_then(description_problem) {
        diagnostics.attribute_error(path.clone(), "Invalid description", problem);
    }
}

/// Checks a ttl (the attribute at `path`): Kestra's ISO-8601 duration syntax, not negative.
pub fn check_ttl(ttl: &Attr<String>, path: &AttributePath, diagnostics: &mut Diagnostics) {
    if let Some(ttl) = ttl.as_str()
        && let Err(error) = KvDuration::parse(ttl)
    {
        diagnostics.attribute_error(path.clone(), "Invalid ttl", error.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespaces_follow_kestra_rules() {
        for good in ["company.team", "a", "0", "a-b_c.d", &"a".repeat(150)] {
            assert_eq!(namespace_problem(good), None, "{good}");
        }
        for bad in [
            "",
            "Company",
            ".a",
            "-a",
            "a b",
            "a/b",
            "é",
            &"a".repeat(151),
        ] {
            assert!(namespace_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn descriptions_are_printable_ascii_naming_the_first_offender() {
        for good in ["", "my desc", "tabs\tare fine", "~!@#$%^&*()"] {
            assert_eq!(description_problem(good), None, "{good:?}");
        }
        let problem = description_problem("naïve café").expect("non-ASCII");
        assert!(
            problem.contains("'ï'")
                && problem.contains("U+00EF")
                && problem.contains("character 3"),
            "{problem}"
        );
        assert!(description_problem("snow ☃").is_some_and(|p| p.contains("U+2603")));
        let problem = description_problem("two\nlines").expect("line break");
        assert!(problem.contains("line breaks"), "{problem}");
        assert!(description_problem("del\u{7f}").is_some());
    }

    #[test]
    fn keys_follow_kestra_rules() {
        for good in ["my_key", "My.Key-1", "1", "A"] {
            assert_eq!(key_problem(good), None, "{good}");
        }
        for bad in [
            "",
            "_key",
            "-key",
            ".key",
            "a b",
            "é",
            "a/b",
            "bad$key",
            "inheritance",
        ] {
            assert!(key_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn keys_fit_kestras_key_column() {
        let longest = "k".repeat(KEY_MAX_LEN);
        assert_eq!(key_problem(&longest), None);
        let too_long = format!("{longest}x");
        let problem = key_problem(&too_long).unwrap_or_default();
        assert!(
            problem.contains("at most 350 characters") && problem.contains("has 351"),
            "{problem}"
        );
    }
}
