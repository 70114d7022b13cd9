//! The provider block's schema and its typed model.

use std::collections::BTreeMap;

use terraform_plugin_sdk::{Attr, Attribute, Block, Number, Schema, Type};

terraform_plugin_sdk::model! {
    /// The `provider "kestra"` block.
    pub(super) struct ProviderConfigModel {
        pub(super) url: Attr<String>,
        pub(super) username: Attr<String>,
        pub(super) password: Attr<String>,
        pub(super) api_token: Attr<String>,
        pub(super) jwt: Attr<String>,
        pub(super) tenant_id: Attr<String>,
        /// Values may be unknown one by one.
        pub(super) extra_headers: Attr<BTreeMap<String, Attr<String>>>,
        pub(super) timeout: Attr<Number>,
        pub(super) max_retries: Attr<Number>,
        pub(super) ca_certificate: Attr<String>,
        pub(super) insecure_skip_verify: Attr<bool>,
        pub(super) keep_original_source: Attr<bool>,
    }
}

pub fn schema() -> Schema {
    Schema::new(
        0,
        Block::new(vec![
            Attribute::optional("url", Type::String)
                .description("Kestra server root, `http(s)://host:port`. Falls back to `KESTRA_URL`. Required (here or in the environment).")
                .markdown(),
            Attribute::optional("username", Type::String)
                .description("User for HTTP basic auth. Falls back to `KESTRA_USERNAME`.")
                .markdown(),
            Attribute::optional("password", Type::String)
                .sensitive()
                .description("Password for HTTP basic auth. Falls back to `KESTRA_PASSWORD`.")
                .markdown(),
            Attribute::optional("api_token", Type::String)
                .sensitive()
                .description("API token sent as `Authorization: Bearer` (Enterprise Edition). Falls back to `KESTRA_API_TOKEN`.")
                .markdown(),
            Attribute::optional("jwt", Type::String)
                .sensitive()
                .description("JWT sent as the `JWT` cookie (Enterprise Edition). Falls back to `KESTRA_JWT`.")
                .markdown(),
            Attribute::optional("tenant_id", Type::String)
                .description("Default tenant of every request. Falls back to `KESTRA_TENANT_ID`, then `main`.")
                .markdown(),
            Attribute::optional("extra_headers", Type::Map(Box::new(Type::String)))
                .sensitive()
                .description("Headers added to every request.")
                .markdown(),
            Attribute::optional("timeout", Type::Number)
                .description("Timeout of one HTTP request, in seconds. Falls back to `KESTRA_TIMEOUT`, then 30.")
                .markdown(),
            Attribute::optional("max_retries", Type::Number)
                .description("Retries of idempotent requests on connection errors, 429, 502, 503 and 504, with exponential backoff and jitter, honouring `Retry-After`. Falls back to `KESTRA_MAX_RETRIES`, then 4.")
                .markdown(),
            Attribute::optional("ca_certificate", Type::String)
                .description("PEM content (e.g. `file(\"ca.pem\")`, not a path) of extra certificates trusted for https: CAs, or the server's own self-signed certificate. Falls back to `KESTRA_CA_CERTIFICATE`.")
                .markdown(),
            Attribute::optional("insecure_skip_verify", Type::Bool)
                .description("Skip TLS certificate verification (testing only). Default false.")
                .markdown(),
            Attribute::optional("keep_original_source", Type::Bool)
                .description("Accepted for compatibility with configurations of the official provider; has no effect here.")
                .markdown(),
        ])
        .description("Manages Kestra's Key-Value store.")
        .markdown(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use terraform_plugin_sdk::check_model;

    #[test]
    fn model_matches_the_schema() {
        assert_eq!(check_model::<ProviderConfigModel>(&schema().block), Ok(()));
    }
}
