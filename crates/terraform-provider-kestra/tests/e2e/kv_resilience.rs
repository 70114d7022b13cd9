//! End to end, real Terraform 1.15.5: `kestra_kv` under faults, with authentication, and taking
//! over state written by the official Go provider.

use kestra_kv_client::{KvType, KvValue, PutOptions};
use kestra_kv_devserver::{DevServerConfig, Faults, TimestampReading};
use test_support::terraform::{TestServer, Workspace, block_on};

/// `count` keys in namespace `company.faults`, each `value <index>`.
fn many_keys(count: usize) -> String {
    format!(
        "resource \"kestra_kv\" \"k\" {{\n  count = {count}\n  namespace = \"company.faults\"\n  key = \"key-${{count.index}}\"\n  value = \"value ${{count.index}}\"\n}}\n"
    )
}

/// `resources` with a provider retrying a failed request `max_retries` times.
fn retried(max_retries: u32, resources: &str) -> String {
    format!("provider \"kestra\" {{\n  max_retries = {max_retries}\n}}\n{resources}")
}

#[test]
fn apply_of_50_keys_survives_injected_503s_and_dropped_connections() {
    let server = TestServer::start_with(DevServerConfig {
        seed: 7,
        ..DevServerConfig::default()
    });
    let ws = Workspace::new(server.url());
    ws.config(&retried(10, &many_keys(50)));
    server.set_faults(Faults {
        fail_rate: 0.1,
        drop_rate: 0.1,
        fail_status: 503,
        ..Faults::default()
    });
    ws.apply();
    server.set_faults(Faults::default());
    let stats = server.stats();
    assert!(stats.faults_injected > 0, "faults were injected: {stats:?}");

    let client = server.client();
    block_on(async {
        let entries = client
            .list_all("company.faults", Default::default())
            .await
            .expect("list");
        assert_eq!(entries.len(), 50, "exactly the planned keys");
        for i in 0..50 {
            let stored = client
                .get("company.faults", &format!("key-{i}"))
                .await
                .expect("exists");
            assert_eq!(stored.value.to_text(), format!("value {i}"));
        }
    });
    ws.assert_plan_empty();
}

#[test]
fn a_server_that_always_fails_leaves_nothing_unwritten_in_state() {
    let server = TestServer::start();
    let ws = Workspace::new(server.url());
    ws.config(&retried(1, &many_keys(3)));
    server.set_faults(Faults {
        fail_rate: 1.0,
        fail_status: 503,
        ..Faults::default()
    });
    let out = ws.apply_fails();
    assert!(out.contains("Kestra server error"), "{out}");
    assert!(out.contains("503"), "names the status:\n{out}");
    assert!(out.contains("2 attempt"), "names the attempts:\n{out}");
    assert!(out.contains("PUT"), "names the method:\n{out}");
    server.set_faults(Faults::default());
    let state = ws.state_json();
    let resources = state["values"]["root_module"]["resources"]
        .as_array()
        .map_or(0, Vec::len);
    assert_eq!(
        resources, 0,
        "state holds nothing that was not written: {state:#}"
    );
}

#[test]
fn basic_auth_and_bearer_token() {
    let server = TestServer::start_with(DevServerConfig {
        basic_auth: Some(("admin@kestra.io".into(), "Admin1234".into())),
        api_token: Some("s3cr3t-token".into()),
        ..DevServerConfig::default()
    });
    let resource = "resource \"kestra_kv\" \"k\" {\n  namespace = \"company.team\"\n  key = \"auth\"\n  value = \"ok\"\n}\n";

    let mut ws = Workspace::new(server.url());
    ws.set_env("KESTRA_USERNAME", "admin@kestra.io");
    ws.set_env("KESTRA_PASSWORD", "Admin1234");
    ws.config(resource);
    ws.apply();
    ws.assert_plan_empty();

    let mut bearer = Workspace::new(server.url());
    bearer.set_env("KESTRA_API_TOKEN", "s3cr3t-token");
    bearer.config(&resource.replace("auth", "auth2"));
    bearer.apply();

    let mut wrong = Workspace::new(server.url());
    wrong.set_env("KESTRA_USERNAME", "admin@kestra.io");
    wrong.set_env("KESTRA_PASSWORD", "wrong-password");
    wrong.config(&resource.replace("auth", "auth3"));
    let out = wrong.apply_fails();
    assert!(out.contains("Kestra rejected the credentials"), "{out}");
    assert!(
        out.contains("admin@kestra.io"),
        "says which credentials were used:\n{out}"
    );
    assert!(out.contains("401"), "{out}");
    assert!(
        !out.contains("wrong-password"),
        "never shows the secret:\n{out}"
    );

    let mut wrong_token = Workspace::new(server.url());
    wrong_token.set_env("KESTRA_API_TOKEN", "not-the-token");
    wrong_token.config(&resource.replace("auth", "auth4"));
    let out = wrong_token.apply_fails();
    assert!(
        out.contains("Kestra rejected the credentials") && out.contains("api_token"),
        "{out}"
    );
    assert!(!out.contains("not-the-token"), "{out}");

    let none = Workspace::new(server.url());
    none.config(&resource.replace("auth", "auth5"));
    let out = none.apply_fails();
    assert!(out.contains("Kestra requires credentials"), "{out}");
    assert!(
        !out.contains("rejected the credentials"),
        "nothing was sent to reject:\n{out}"
    );
}

/// Kestra before its ION parser fix reads a date-time at exactly midnight UTC back as a DATE:
/// that is the date-time written, not drift (nor a reason to rewrite a write-only value).
#[test]
fn older_kestra_reading_midnight_as_a_date_is_no_drift() {
    let server = TestServer::start_with(DevServerConfig {
        timestamps: TimestampReading::MidnightAsDate,
        ..DevServerConfig::default()
    });
    let ws = Workspace::new(server.url());
    ws.config(
        "resource \"kestra_kv\" \"inferred\" {\n  namespace = \"company.team\"\n  key = \"inferred\"\n  value = \"2026-05-01T00:00:00Z\"\n}\n\
         resource \"kestra_kv\" \"typed\" {\n  namespace = \"company.team\"\n  key = \"typed\"\n  value = \"2026-05-01T02:00:00.000+02:00\"\n  type = \"DATETIME\"\n}\n\
         resource \"kestra_kv\" \"write_only\" {\n  namespace = \"company.team\"\n  key = \"write_only\"\n  value_wo = \"2026-05-01T00:00:00Z\"\n  value_wo_version = 1\n  description = \"first\"\n}\n",
    );
    ws.apply();
    let stored = block_on(server.client().get("company.team", "inferred")).expect("exists");
    assert_eq!(
        stored.value.kind(),
        KvType::Date,
        "the quirk this test is about"
    );
    ws.assert_plan_empty();
    // An update of the write-only key (description only) applies and leaves nothing planned.
    let updated = ws.read("main.tf").replace("\"first\"", "\"second\"");
    ws.write("main.tf", &updated);
    ws.apply();
    ws.assert_plan_empty();
}

/// State as the official Go provider writes it: schema version 0, `type` = "" when not set,
/// `description` = "" (its read stores the absent header), `tenant_id` null or "".
#[test]
fn state_from_the_official_provider_upgrades_without_changes() {
    let server = TestServer::start();
    let client = server.client();
    block_on(async {
        for (key, kind, text) in [
            ("plain", KvType::String, "my-value"),
            ("count", KvType::Number, "42"),
            ("typed", KvType::String, "x"),
        ] {
            client
                .put(
                    "io.kestra.terraform",
                    key,
                    &KvValue::parse(kind, text).expect("v"),
                    &PutOptions::default(),
                )
                .await
                .expect("seed");
        }
    });
    let ws = Workspace::new(server.url());
    ws.config(
        "resource \"kestra_kv\" \"plain\" {\n  namespace = \"io.kestra.terraform\"\n  key = \"plain\"\n  value = \"my-value\"\n}\n\
         resource \"kestra_kv\" \"count\" {\n  namespace = \"io.kestra.terraform\"\n  key = \"count\"\n  value = \"42\"\n}\n\
         resource \"kestra_kv\" \"typed\" {\n  namespace = \"io.kestra.terraform\"\n  key = \"typed\"\n  value = \"x\"\n  type = \"STRING\"\n}\n",
    );
    let instance = |name: &str, value: &str, kind: &str, tenant: serde_json::Value| {
        serde_json::json!({
            "mode": "managed", "type": "kestra_kv", "name": name,
            "provider": "provider[\"registry.terraform.io/kestra-io/kestra\"]",
            "instances": [{
                "schema_version": 0,
                "attributes": {
                    "id": format!("io.kestra.terraform/{name}"), "namespace": "io.kestra.terraform",
                    "key": name, "value": value, "type": kind, "tenant_id": tenant,
                    "description": ""
                },
                "sensitive_attributes": [],
                "private": "bnVsbA=="
            }]
        })
    };
    let state = serde_json::json!({
        "version": 4, "terraform_version": "1.9.8", "serial": 3,
        "lineage": "3f1c1e2a-7d2b-4b8e-9a51-2f0d7c1f9e10", "outputs": {},
        "resources": [
            instance("plain", "my-value", "", serde_json::Value::Null),
            instance("count", "42", "", serde_json::json!("")),
            instance("typed", "x", "STRING", serde_json::Value::Null),
        ],
        "check_results": null
    });
    ws.write(
        "terraform.tfstate",
        &serde_json::to_string_pretty(&state).expect("state"),
    );
    ws.assert_plan_empty();
    ws.apply();
    let values = ws.resource_values("kestra_kv.count");
    assert_eq!(values["type"], "NUMBER");
    assert_eq!(values["tenant_id"], "main");
}

/// A delete that fails (HTTP 500, never retried) keeps the resources in state and reports only
/// the real error, not a second one blaming the provider.
#[test]
fn a_failed_delete_keeps_the_state_and_reports_only_the_real_error() {
    let server = TestServer::start();
    let ws = Workspace::new(server.url());
    ws.config(&many_keys(3));
    ws.apply();
    server.set_faults(Faults {
        fail_rate: 1.0,
        fail_status: 500,
        ..Faults::default()
    });
    let out = ws
        .fails(&["destroy", "-auto-approve", "-no-color", "-refresh=false"])
        .combined();
    assert!(out.contains("Kestra server error"), "{out}");
    assert!(out.contains("While deleting"), "names the action:\n{out}");
    assert!(
        !out.contains("bug in the provider"),
        "no false error:\n{out}"
    );
    assert!(
        !out.contains("max_retries"),
        "HTTP 500 is never retried, so raising max_retries would not help:\n{out}"
    );
    server.set_faults(Faults::default());
    let resources = ws.state_json()["values"]["root_module"]["resources"]
        .as_array()
        .map_or(0, Vec::len);
    assert_eq!(resources, 3, "the keys still exist, so they stay in state");
    ws.assert_plan_empty();
    ws.destroy();
}
