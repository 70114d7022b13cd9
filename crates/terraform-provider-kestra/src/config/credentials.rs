//! Which credentials the provider sends, the combinations that make no sense, and how
//! diagnostics name them (never the secrets).

use kestra_kv_client::Auth;
use terraform_plugin_sdk::{AttributePath, Diagnostics};

use super::schema::ProviderConfigModel;

/// The credentials settings as far as they are known (block or environment).
pub(super) struct Credentials {
    pub(super) username: Option<String>,
    pub(super) password: Option<String>,
    pub(super) api_token: Option<String>,
    pub(super) jwt: Option<String>,
}

impl Credentials {
    /// Reports settings that conflict: both kinds of token, or a password without a user.
    pub(super) fn check(&self, config: &ProviderConfigModel, diagnostics: &mut Diagnostics) {
        let both_tokens = self.api_token.is_some() && self.jwt.is_some();
        if both_tokens || (config.api_token.is_known() && config.jwt.is_known()) {
            diagnostics.attribute_error(
                AttributePath::root().attr("jwt"),
                "Conflicting credentials",
                "Set either `api_token` (Bearer token) or `jwt` (JWT cookie), not both.",
            );
        }
        if self.password.is_some() && self.username.is_none() && !config.username.is_unknown() {
            diagnostics.attribute_error(
                AttributePath::root().attr("password"),
                "Password without username",
                "`password` is used for HTTP basic auth together with `username` (or KESTRA_USERNAME); set both.",
            );
        }
    }

    /// The authentication to use (a token wins over basic auth) and its description for 401
    /// diagnostics (`None` without credentials).
    pub(super) fn into_auth(self) -> (Auth, Option<String>) {
        let auth = if let Some(token) = self.api_token {
            Auth::Bearer(token)
        } else if let Some(jwt) = self.jwt {
            Auth::JwtCookie(jwt)
        } else if let Some(username) = self.username {
            Auth::Basic {
                username,
                password: self.password.unwrap_or_default(),
            }
        } else {
            Auth::None
        };
        let described = match &auth {
            Auth::Bearer(_) => Some("the API token (`api_token` / KESTRA_API_TOKEN)".to_string()),
            Auth::JwtCookie(_) => Some("the JWT cookie (`jwt` / KESTRA_JWT)".to_string()),
            Auth::Basic { username, .. } => Some(format!(
                "HTTP basic auth as {username:?} (`username`/`password` or KESTRA_USERNAME/KESTRA_PASSWORD)"
            )),
            _ => None,
        };
        (auth, described)
    }
}
