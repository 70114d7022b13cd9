//! End to end, real Terraform 1.15.5: the provider loads, shows its schema, validates its
//! configuration with diagnostics on the right attribute, plans, and introduces itself (version
//! flag, User-Agent).

use std::process::Command;
use std::sync::{Arc, Mutex};

use kestra_kv_devserver::DevServerConfig;
use terraform_provider_kestra::VERSION;
use test_support::front::Front;
use test_support::terraform::{TestServer, Workspace, block_on};

const ONE_KEY: &str = "resource \"kestra_kv\" \"k\" {\n  namespace = \"company.team\"\n  key = \"k\"\n  value = \"v\"\n}\n";

#[test]
fn schema_json_lists_the_provider_configuration() {
    let server = TestServer::start();
    let ws = Workspace::new(server.url());
    ws.config("");
    let run = ws.ok(&["providers", "schema", "-json"]);
    let schemas: serde_json::Value = serde_json::from_str(&run.stdout).expect("schema JSON");
    let provider = &schemas["provider_schemas"]["registry.terraform.io/kestra-io/kestra"];
    let attributes = &provider["provider"]["block"]["attributes"];
    let expected = [
        ("url", "\"string\"", false),
        ("username", "\"string\"", false),
        ("password", "\"string\"", true),
        ("api_token", "\"string\"", true),
        ("jwt", "\"string\"", true),
        ("tenant_id", "\"string\"", false),
        ("extra_headers", "[\"map\",\"string\"]", true),
        ("timeout", "\"number\"", false),
        ("max_retries", "\"number\"", false),
        ("ca_certificate", "\"string\"", false),
        ("insecure_skip_verify", "\"bool\"", false),
        ("keep_original_source", "\"bool\"", false),
    ];
    assert_eq!(
        attributes.as_object().map(|a| a.len()),
        Some(expected.len()),
        "{attributes:#}"
    );
    for (name, ty, sensitive) in expected {
        let attribute = &attributes[name];
        assert_eq!(attribute["type"].to_string(), ty, "type of {name}");
        assert_eq!(attribute["optional"], true, "{name} is optional");
        assert_eq!(
            attribute["sensitive"].as_bool().unwrap_or(false),
            sensitive,
            "sensitive flag of {name}"
        );
        assert!(
            attribute["description"]
                .as_str()
                .is_some_and(|d| !d.is_empty()),
            "{name} is described"
        );
    }
    let kv = &provider["resource_schemas"]["kestra_kv"]["block"]["attributes"];
    assert_eq!(kv["namespace"]["required"], true);
    assert_eq!(kv["type"]["optional"], true);
    assert_eq!(kv["type"]["computed"], true);
    assert_eq!(kv["value_wo"]["write_only"], true);
    // Write-only, not schema-sensitive: see cross_version.rs (issue 16, item 11).
    assert_eq!(kv["value_wo"]["sensitive"], serde_json::Value::Null);
    assert!(provider["data_source_schemas"]["kestra_kv"].is_object());
}

#[test]
fn validate_reports_a_bad_url_on_the_attribute() {
    let server = TestServer::start();
    let ws = Workspace::new(server.url());
    // A provider no resource uses is pruned from the graph, so the config has one.
    ws.config(&format!(
        "provider \"kestra\" {{\n  url = \"ftp//not a url\"\n}}\n{ONE_KEY}"
    ));
    let run = ws.fails(&["validate", "-no-color"]);
    let out = run.combined();
    assert!(out.contains("Invalid Kestra URL"), "{out}");
    // Terraform anchors an attribute diagnostic on the configuration line of that attribute.
    assert!(
        out.contains("url = \"ftp//not a url\""),
        "diagnostic not on the url attribute:\n{out}"
    );

    let json = ws.fails(&["validate", "-json"]);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).expect("validate -json");
    let diagnostic = &report["diagnostics"][0];
    assert_eq!(diagnostic["severity"], "error");
    assert_eq!(diagnostic["range"]["start"]["line"], 8, "{diagnostic:#}");
}

/// The URLs newcomers write: no scheme, or the API path; each diagnostic gives the fix.
#[test]
fn validate_suggests_the_server_root_for_common_url_mistakes() {
    let server = TestServer::start();
    let ws = Workspace::new(server.url());
    for (url, suggestion) in [
        ("localhost:8080", "\"http://localhost:8080\""),
        ("http://localhost:8080/api/v1", "\"http://localhost:8080\""),
    ] {
        ws.config(&format!(
            "provider \"kestra\" {{\n  url = \"{url}\"\n}}\n{ONE_KEY}"
        ));
        let out = ws.fails(&["validate", "-no-color"]).combined();
        assert!(out.contains("Invalid Kestra URL"), "{out}");
        assert!(
            out.contains(&format!("url = \"{url}\"")),
            "on the attribute:\n{out}"
        );
        assert!(out.contains(suggestion), "suggests the fix:\n{out}");
    }
}

/// Requests that cannot reach Kestra name the server (host and port) and the fix; https against
/// a plain-http server says so at once instead of retrying the handshake.
#[test]
fn unreachable_and_plain_http_servers_are_named_with_the_fix() {
    let server = TestServer::start();
    let address = server.url().trim_start_matches("http://").to_string();
    let mut ws = Workspace::new(&format!("https://{address}"));
    ws.config(ONE_KEY);
    let out = ws.apply_fails();
    assert!(
        out.contains(&format!("Kestra at {address} does not speak TLS")),
        "{out}"
    );
    assert!(
        out.contains(&format!("http://{address}")),
        "suggests http:\n{out}"
    );
    // Terraform wraps long lines.
    assert!(
        out.replace('\n', " ").contains("after 1 attempt(s)"),
        "not retried:\n{out}"
    );

    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let closed_address = closed.local_addr().expect("address").to_string();
    drop(closed);
    ws.set_env("KESTRA_URL", &format!("http://{closed_address}"));
    ws.set_env("KESTRA_MAX_RETRIES", "0");
    let out = ws.apply_fails();
    assert!(
        out.contains(&format!("Cannot reach Kestra at {closed_address}")),
        "{out}"
    );
}

/// A tenant the server does not have: the diagnostic names the tenant setting to check.
#[test]
fn a_nonexistent_tenant_is_named_as_the_likely_cause() {
    let server = TestServer::start_with(DevServerConfig {
        tenants: Some(vec!["main".into()]),
        ..DevServerConfig::default()
    });
    let ws = Workspace::new(server.url());
    ws.config(&format!(
        "provider \"kestra\" {{\n  tenant_id = \"nope\"\n}}\n{ONE_KEY}"
    ));
    let out = ws.apply_fails();
    assert!(out.contains("Kestra found no such tenant"), "{out}");
    assert!(
        out.contains("tenant \"nope\""),
        "names the tenant used:\n{out}"
    );
    assert!(out.contains("404"), "{out}");
}

#[test]
fn validate_reports_conflicting_credentials_and_negative_timeout() {
    let server = TestServer::start();
    let ws = Workspace::new(server.url());
    ws.config(
        &format!("provider \"kestra\" {{\n  api_token = \"t\"\n  jwt = \"j\"\n  timeout = -1\n  password = \"p\"\n}}\n{ONE_KEY}"),
    );
    let out = ws.fails(&["validate", "-no-color"]).combined();
    assert!(out.contains("Conflicting credentials"), "{out}");
    assert!(out.contains("Invalid timeout"), "{out}");
    assert!(out.contains("Password without username"), "{out}");
    assert!(
        !out.contains("\"t\"") || !out.contains("\"j\""),
        "secrets must not be echoed:\n{out}"
    );
}

#[test]
fn validate_reports_bad_header_values_and_timeouts_on_the_attribute() {
    let server = TestServer::start();
    let ws = Workspace::new(server.url());
    ws.config(&format!(
        "provider \"kestra\" {{\n  timeout = 0\n  extra_headers = {{\n    \"X-Gateway\" = \"line1\\nhidden-secret\"\n  }}\n}}\n{ONE_KEY}"
    ));
    let out = ws.fails(&["validate", "-no-color"]).combined();
    assert!(
        out.contains("Invalid header value") && out.contains("X-Gateway"),
        "{out}"
    );
    assert!(
        out.contains("`timeout` must be a whole number of 1 or more, got 0."),
        "{out}"
    );
    // Terraform quotes the configuration line; the diagnostic itself never echoes the value.
    assert!(
        out.lines()
            .filter(|line| line.contains("hidden-secret"))
            .all(|line| line.contains("\"X-Gateway\" =")),
        "the value is a secret:\n{out}"
    );
}

#[test]
fn validate_accepts_unknown_provider_values() {
    let server = TestServer::start();
    let ws = Workspace::new(server.url());
    ws.config(
        "variable \"u\" { type = string }\nprovider \"kestra\" {\n  url = var.u\n}\nresource \"kestra_kv\" \"k\" {\n  namespace = \"company.team\"\n  key = \"k\"\n  value = var.u\n}\n",
    );
    ws.ok(&["validate", "-no-color"]);
}

/// Terraform validates with variables unknown: "one of two" settings fed by variables, one of
/// them null, must validate, plan and apply.
#[test]
fn either_or_settings_from_variables_apply() {
    let server = TestServer::start();
    let ws = Workspace::new(server.url());
    ws.config(concat!(
        "variable \"token\" {\n  default = \"tok\"\n}\n",
        "variable \"jwt\" {\n  default = null\n}\n",
        "variable \"plain\" {\n  default = \"x\"\n}\n",
        "variable \"secret\" {\n  default = null\n}\n",
        "provider \"kestra\" {\n  api_token = var.token\n  jwt = var.jwt\n}\n",
        "resource \"kestra_kv\" \"k\" {\n  namespace = \"company.team\"\n  key = \"k\"\n",
        "  value = var.plain\n  value_wo = var.secret\n}\n",
    ));
    ws.ok(&["validate", "-no-color"]);
    ws.apply();
    let stored = block_on(server.client().get("company.team", "k")).expect("key written");
    assert_eq!(stored.value.to_text(), "x");
    ws.assert_plan_empty();
}

#[test]
fn plan_with_the_provider_succeeds() {
    let server = TestServer::start();
    let ws = Workspace::new(server.url());
    ws.config(
        "resource \"kestra_kv\" \"k\" {\n  namespace = \"company.team\"\n  key = \"k\"\n  value = \"42\"\n}\n",
    );
    let (changes, run) = ws.plan_has_changes();
    assert!(changes);
    assert!(
        run.stdout.contains("+ type      = \"NUMBER\""),
        "type inferred in the plan:\n{}",
        run.stdout
    );
}

#[test]
fn run_by_hand_explains_itself_and_exits_1() {
    let output = Command::new(env!("CARGO_BIN_EXE_terraform-provider-kestra"))
        .env_remove("TF_PLUGIN_MAGIC_COOKIE")
        .output()
        .expect("binary runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty(), "nothing on stdout");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("Terraform provider plugin"), "{stderr}");
}

#[test]
fn version_flag_prints_the_package_version() {
    let output = Command::new(env!("CARGO_BIN_EXE_terraform-provider-kestra"))
        .arg("--version")
        .env_remove("TF_PLUGIN_MAGIC_COOKIE")
        .output()
        .expect("binary runs");
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        format!("terraform-provider-kestra {}\n", env!("CARGO_PKG_VERSION"))
    );
}

/// A front before the devserver that records each request's User-Agent.
struct UserAgentRecorder {
    url: String,
    seen: Arc<Mutex<Vec<String>>>,
}

impl UserAgentRecorder {
    fn start(upstream: &str) -> Self {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let recorded = Arc::clone(&seen);
        let front = Front::start(upstream, move |request, server| {
            let agent = request
                .header("user-agent")
                .unwrap_or_else(|| "<none>".to_string());
            recorded.lock().expect("lock").push(agent);
            server.forward(&request)
        });
        UserAgentRecorder {
            url: front.url,
            seen,
        }
    }

    /// The User-Agents recorded since the last call.
    fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.seen.lock().expect("lock"))
    }
}

/// Every request of a whole lifecycle (refresh, plan, apply, data source, destroy) says which
/// provider and which Terraform made it; the Terraform version is the one ConfigureProvider got.
#[test]
fn every_request_names_the_provider_and_terraform_versions() {
    let server = TestServer::start();
    let recorder = UserAgentRecorder::start(server.url());
    for minor in ["1.6", "1.15"] {
        let ws = Workspace::new(&recorder.url).on_terraform(minor);
        let version: serde_json::Value =
            serde_json::from_str(&ws.ok(&["version", "-json"]).stdout).expect("version JSON");
        let terraform = version["terraform_version"].as_str().expect("version");
        ws.config(&format!(
            "{ONE_KEY}data \"kestra_kv\" \"read\" {{\n  namespace = \"company.team\"\n  key = \"k\"\n  depends_on = [kestra_kv.k]\n}}\n"
        ));
        ws.apply();
        ws.assert_plan_empty();
        ws.destroy();
        let agents = recorder.take();
        assert!(agents.len() >= 4, "{agents:?}");
        let expected = format!("terraform-provider-kestra/{VERSION} Terraform/{terraform}");
        assert!(
            agents.iter().all(|agent| *agent == expected),
            "expected {expected:?} on every request: {agents:?}"
        );
    }
}
