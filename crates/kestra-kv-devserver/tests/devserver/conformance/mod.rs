//! Conformance of the devserver with Kestra's KV API (its conformance vectors and body-to-type
//! table), through raw HTTP, one file per API area.

mod delete;
mod expiry;
mod faults_and_admin;
mod listing;
mod problem_json;
mod put_get;
mod routes_and_auth;
mod validation;

use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

const KEY_MESSAGE: &str = "Key must start with an alphanumeric character (uppercase or lowercase) and can contain alphanumeric characters (uppercase or lowercase), dots (.), underscores (_), and hyphens (-) only.";

fn parse_time(value: &Value) -> OffsetDateTime {
    OffsetDateTime::parse(value.as_str().unwrap_or_default(), &Rfc3339).expect("RFC 3339 date")
}
