//! Authentication: the configured basic-auth credentials (header or the UI's cookie) or
//! API token; with neither configured, every request is let in.

use base64::Engine;
use http::{HeaderMap, header};
use percent_encoding::percent_decode_str;

use crate::errors::{ApiError, ErrorKind};

#[derive(Debug, Clone)]
pub(super) struct AuthConfig {
    pub(super) basic: Option<(String, String)>,
    pub(super) bearer: Option<String>,
}

pub(super) fn authenticate(auth: &AuthConfig, headers: &HeaderMap) -> Result<(), ApiError> {
    if auth.basic.is_none() && auth.bearer.is_none() {
        return Ok(());
    }
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split_once(' '));
    let accepted = match authorization {
        Some((scheme, encoded)) if scheme.eq_ignore_ascii_case("basic") => {
            basic_credentials_match(encoded, auth)
        }
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => {
            auth.bearer.as_deref() == Some(token.trim())
        }
        _ => basic_auth_cookie(headers)
            .is_some_and(|encoded| basic_credentials_match(&encoded, auth)),
    };
    if accepted {
        Ok(())
    } else {
        Err(ApiError::new(ErrorKind::Unauthenticated, ""))
    }
}

/// Whether base64 `user:password` are the configured basic-auth credentials.
fn basic_credentials_match(encoded: &str, auth: &AuthConfig) -> bool {
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok());
    match (
        decoded.as_deref().and_then(|text| text.split_once(':')),
        &auth.basic,
    ) {
        (Some((user, password)), Some((expected_user, expected_password))) => {
            user == expected_user && password == expected_password
        }
        _ => false,
    }
}

/// The base64 credentials of the UI's `BASIC_AUTH` cookie, which may carry the whole
/// (percent-encoded) `Basic …` header value or just its credentials.
fn basic_auth_cookie(headers: &HeaderMap) -> Option<String> {
    let value = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|cookies| cookies.to_str().ok())
        .flat_map(|cookies| cookies.split(';'))
        .find_map(|cookie| cookie.trim().strip_prefix("BASIC_AUTH="))?;
    let value = percent_decode_str(value.trim_matches('"'))
        .decode_utf8()
        .ok()?;
    let credentials = match value.split_once(' ') {
        Some((scheme, credentials)) if scheme.eq_ignore_ascii_case("basic") => credentials,
        _ => &value,
    };
    Some(credentials.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authentication_accepts_either_configured_credential() {
        let auth = AuthConfig {
            basic: Some(("user".into(), "pa:ss".into())),
            bearer: Some("token".into()),
        };
        let with = |value: &str| {
            let mut headers = HeaderMap::new();
            if let Ok(value) = value.parse() {
                headers.insert(header::AUTHORIZATION, value);
            }
            authenticate(&auth, &headers).is_ok()
        };
        let basic = base64::engine::general_purpose::STANDARD.encode("user:pa:ss");
        assert!(with(&format!("Basic {basic}")));
        assert!(with("Bearer token"));
        assert!(!with("Bearer nope"));
        assert!(!with("Basic !!!"));
        assert!(!with(""));
        let open = AuthConfig {
            basic: None,
            bearer: None,
        };
        assert!(authenticate(&open, &HeaderMap::new()).is_ok());
    }
}
