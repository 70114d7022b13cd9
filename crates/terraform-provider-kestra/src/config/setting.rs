//! Reading one setting: from the provider block, else from its environment variable.

use terraform_plugin_sdk::{Attr, AttributePath, Diagnostics, Number};

/// Where a setting's value came from; unknown values (plan time) are kept apart so validation can
/// skip them and configuration can report precisely what was missing.
pub(super) enum Setting<T> {
    Unset,
    Unknown,
    Set(T),
}

impl<T> Setting<T> {
    pub(super) fn is_unknown(&self) -> bool {
        matches!(self, Setting::Unknown)
    }

    pub(super) fn into_option(self) -> Option<T> {
        match self {
            Setting::Set(v) => Some(v),
            _ => None,
        }
    }
}

/// A string setting, falling back to the environment variable `env` when the block leaves it null.
pub(super) fn string_setting(attribute: &Attr<String>, env: &str) -> Setting<String> {
    match attribute {
        Attr::Unknown => Setting::Unknown,
        Attr::Known(text) => Setting::Set(text.clone()),
        Attr::Null => match std::env::var(env) {
            Ok(v) if !v.is_empty() => Setting::Set(v),
            _ => Setting::Unset,
        },
    }
}

/// A whole number of at least `minimum`, from the block or the environment variable `env`.
pub(super) fn count_setting(
    attribute: &Attr<Number>,
    name: &str,
    env: &str,
    minimum: u64,
    diagnostics: &mut Diagnostics,
) -> Setting<u64> {
    let (source, text) = match attribute {
        Attr::Unknown => return Setting::Unknown,
        Attr::Known(n) => (format!("`{name}`"), n.to_string()),
        Attr::Null => match std::env::var(env) {
            Ok(text) if !text.trim().is_empty() => (
                format!("The environment variable {env}"),
                text.trim().to_owned(),
            ),
            _ => return Setting::Unset,
        },
    };
    match text.parse::<u64>() {
        Ok(value) if value >= minimum => Setting::Set(value),
        _ => {
            diagnostics.attribute_error(
                AttributePath::root().attr(name),
                format!("Invalid {name}"),
                format!("{source} must be a whole number of {minimum} or more, got {text}."),
            );
            Setting::Unset
        }
    }
}
