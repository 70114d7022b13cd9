//! End to end: Ctrl-C during an apply (issue 16, item 3). SIGINT reaches Terraform's whole
//! process group, as from a terminal, once the devserver has seen a known number of PUTs;
//! Terraform must exit within 2 s plus one request's latency, and the state it leaves must
//! hold exactly what the server holds.

use std::collections::BTreeMap;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use kestra_kv_devserver::{DevServerConfig, Faults};
use test_support::client::values_held;
use test_support::terraform::{TestServer, Workspace, block_on};

const NAMESPACE: &str = "company.interrupt";
const KEYS: u64 = 1000;
const CONCURRENCY: u64 = 8;
const LATENCY: Duration = Duration::from_millis(100);
/// PUTs the server has seen when Ctrl-C comes.
const INTERRUPT_AFTER: u64 = 100;

#[test]
fn ctrl_c_during_a_kvs_apply_stops_within_two_seconds_and_the_state_equals_the_server() {
    let server = TestServer::start_with(DevServerConfig {
        faults: Faults {
            latency_ms: u64::try_from(LATENCY.as_millis()).unwrap(),
            ..Faults::default()
        },
        ..DevServerConfig::default()
    });
    let ws = Workspace::new(server.url());
    ws.config(&format!(
        r#"
resource "kestra_kvs" "all" {{
  namespace       = "{NAMESPACE}"
  max_concurrency = {CONCURRENCY}
  values          = {{ for i in range({KEYS}) : format("k%04d", i) => "v${{i}}" }}
}}
"#
    ));
    ws.ok(&["init", "-no-color"]);

    // Output to files: the plan of 1,000 keys would fill a pipe nobody reads yet.
    let stdout = std::fs::File::create(ws.path().join("apply.out")).unwrap();
    let stderr = std::fs::File::create(ws.path().join("apply.err")).unwrap();
    let mut apply = ws.command(&["apply", "-auto-approve", "-no-color"]);
    apply
        .stdout(Stdio::from(stdout))
        .stderr(Stdio::from(stderr))
        .process_group(0);
    let mut terraform = apply.spawn().expect("terraform starts");
    server.wait_for_puts(INTERRUPT_AFTER);
    let interrupted = Instant::now();
    let killed = Command::new("kill")
        .args(["-INT", "--", &format!("-{}", terraform.id())])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let status = terraform.wait().expect("terraform ends");
    let took = interrupted.elapsed();
    let combined = format!("{}\n{}", ws.read("apply.out"), ws.read("apply.err"));

    assert!(
        took < Duration::from_secs(2) + LATENCY,
        "Terraform took {took:?} to exit after SIGINT:\n{combined}"
    );
    assert!(!status.success(), "{combined}");
    assert!(combined.contains("Apply interrupted"), "{combined}");
    let puts = server.stats().by_route.put;
    eprintln!("Terraform exited {took:?} after SIGINT; {puts} of {KEYS} PUTs made");
    assert!(
        // In flight at SIGINT, plus those started before Terraform's StopProvider arrived.
        puts <= INTERRUPT_AFTER + CONCURRENCY * 2,
        "{puts} PUTs after Ctrl-C at {INTERRUPT_AFTER}"
    );

    let in_state: BTreeMap<String, String> =
        serde_json::from_value(ws.resource_values("kestra_kvs.all")["values"].clone())
            .expect("the state holds the resource's values");
    let client = server.client();
    let on_server = block_on(values_held(&client, NAMESPACE));
    assert_eq!(in_state.len() as u64, puts);
    assert_eq!(in_state, on_server);
}
