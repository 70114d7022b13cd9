//! Proof that the acceptance mode works against a server the tests did not start, reached only
//! through the environment and Kestra's HTTP API: the `kestra-kv-devserver` binary runs as a
//! separate process, and this test binary runs itself with the `acceptance::` filter and the
//! `KESTRA_ACCEPTANCE_*` variables (once with basic auth, once with an API token, once in a
//! tenant other than `main`, the devserver refusing `main`). Every scenario must run and pass
//! against it, and the server must hold nothing afterwards; a scenario that fails leaves
//! nothing behind either.
//!
//! No test name here contains "acceptance", so `cargo test --test e2e acceptance` never runs
//! them (and a child run never starts another).

use std::panic::AssertUnwindSafe;
use std::process::Command;

use reqwest::Method;

use crate::acceptance::{REPORT_PREFIX, Scenario};
use test_support::binaries::devserver_binary;
use test_support::devserver_binary::RunningBinary;
use test_support::server::{
    API_TOKEN_VAR, Credentials, PASSWORD_VAR, Server, TENANT_VAR, URL_VAR, USERNAME_VAR,
};
use test_support::terraform::block_on;

/// Set in the environment of a child run, so that a child never runs the proof again.
const CHILD_RUN: &str = "KESTRA_ACCEPTANCE_PROOF_CHILD";
/// The filter selecting the acceptance scenarios (test paths `acceptance::<file>::<name>`, or
/// `acceptance::kv::<theme>::<name>`).
const FILTER: &str = "acceptance::";

/// The acceptance scenarios this binary holds, as `--list` names them.
fn scenario_names() -> Vec<String> {
    let output = Command::new(std::env::current_exe().expect("test binary"))
        .args([FILTER, "--list", "--format", "terse"])
        .output()
        .expect("lists its tests");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.strip_suffix(": test"))
        .map(str::to_string)
        .collect()
}

/// Runs every acceptance scenario in a child process whose only knowledge of the server is
/// `vars`; checks each ran and passed against `server` and that the server holds nothing after.
fn acceptance_passes_through_the_environment(server: &Server, vars: &[(&str, &str)]) {
    assert!(
        std::env::var_os(CHILD_RUN).is_none(),
        "a child run must not start the proof again"
    );
    let expected = scenario_names();
    assert!(
        expected.len() >= 30,
        "at least 30 scenarios: {}",
        expected.len()
    );
    let mut command = Command::new(std::env::current_exe().expect("test binary"));
    command.arg(FILTER);
    for name in [
        URL_VAR,
        USERNAME_VAR,
        PASSWORD_VAR,
        API_TOKEN_VAR,
        TENANT_VAR,
    ] {
        command.env_remove(name);
    }
    let output = command
        .envs(vars.iter().copied())
        .env(CHILD_RUN, "1")
        .output()
        .expect("the child run starts");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the acceptance run failed against {}:\n{stdout}\n{stderr}",
        server.describe()
    );
    assert!(
        stdout.contains(&format!(
            "test result: ok. {} passed; 0 failed; 0 ignored",
            expected.len()
        )),
        "every scenario ran and passed:\n{stdout}"
    );
    let reports: Vec<&str> = stderr
        .lines()
        .filter(|line| line.starts_with(REPORT_PREFIX))
        .collect();
    assert_eq!(reports.len(), expected.len(), "{stderr}");
    let against = format!("against {}", server.describe());
    for name in &expected {
        assert!(
            reports
                .iter()
                .any(|line| line.contains(&format!(" passed: {name} {against}"))),
            "{name} passed {against}:\n{stderr}"
        );
    }
    assert!(
        reports
            .iter()
            .any(|line| line.starts_with(&format!("{REPORT_PREFIX} {} ", expected.len()))),
        "the last report counts every scenario:\n{stderr}"
    );
    assert_server_holds_nothing(server);
}

/// The tenant's whole key listing, through the HTTP API, is empty.
fn assert_server_holds_nothing(server: &Server) {
    let listing = block_on(async {
        server
            .request(Method::GET, "/kv?page=1&size=1000")
            .send()
            .await
            .expect("search")
            .json::<serde_json::Value>()
            .await
            .expect("JSON")
    });
    assert_eq!(listing["total"], 0, "keys left behind: {listing}");
}

#[test]
fn the_suite_passes_against_a_server_it_did_not_start_with_basic_auth() {
    let devserver = RunningBinary::spawn(&devserver_binary(), &["--basic-auth", "ci:s3cret"]);
    let server = Server::external(
        &devserver.url,
        Credentials::Basic {
            username: "ci".into(),
            password: "s3cret".into(),
        },
        "main",
    );
    acceptance_passes_through_the_environment(
        &server,
        &[
            (URL_VAR, &devserver.url),
            (USERNAME_VAR, "ci"),
            (PASSWORD_VAR, "s3cret"),
        ],
    );
}

#[test]
fn the_suite_passes_against_a_server_it_did_not_start_with_an_api_token() {
    let devserver = RunningBinary::spawn(&devserver_binary(), &["--api-token", "t0ken"]);
    let server = Server::external(&devserver.url, Credentials::Token("t0ken".into()), "main");
    acceptance_passes_through_the_environment(
        &server,
        &[(URL_VAR, &devserver.url), (API_TOKEN_VAR, "t0ken")],
    );
}

/// The devserver serves only tenant `acme`: a request to `main` anywhere would fail a scenario.
#[test]
fn the_suite_passes_against_a_server_it_did_not_start_in_another_tenant() {
    let devserver = RunningBinary::spawn(
        &devserver_binary(),
        &["--basic-auth", "ci:s3cret", "--tenants", "acme"],
    );
    let server = Server::external(
        &devserver.url,
        Credentials::Basic {
            username: "ci".into(),
            password: "s3cret".into(),
        },
        "acme",
    );
    acceptance_passes_through_the_environment(
        &server,
        &[
            (URL_VAR, &devserver.url),
            (USERNAME_VAR, "ci"),
            (PASSWORD_VAR, "s3cret"),
            (TENANT_VAR, "acme"),
        ],
    );
}

/// A scenario that fails after Terraform wrote keys deletes them as it unwinds.
#[test]
fn a_failing_scenario_leaves_nothing_behind() {
    let devserver = RunningBinary::spawn(&devserver_binary(), &["--api-token", "t0ken"]);
    let server = || Server::external(&devserver.url, Credentials::Token("t0ken".into()), "main");
    let failed = std::panic::catch_unwind(AssertUnwindSafe(|| {
        let s = Scenario::on(server());
        let ns = s.ns("company.team");
        let ws = s.workspace();
        ws.config(&format!(
            "resource \"kestra_kv\" \"k\" {{\n  count = 3\n  namespace = \"{ns}\"\n  key = \"k${{count.index}}\"\n  value = \"v\"\n}}\n"
        ));
        ws.apply_summarised("3 added, 0 changed, 0 destroyed");
        let written = block_on(s.client().list_all(&ns, Default::default())).expect("list");
        assert_eq!(written.len(), 3, "the scenario wrote its keys");
        panic!("the scenario fails after writing");
    }));
    assert!(failed.is_err(), "the scenario failed");
    assert_server_holds_nothing(&server());
}
