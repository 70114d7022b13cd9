//! The `kestra-kv-devserver` binary: announces its address, serves, honours flags.

use std::path::Path;
use std::process::Command;

use reqwest::StatusCode;
use test_support::devserver_binary::RunningBinary;

const BINARY: &str = env!("CARGO_BIN_EXE_kestra-kv-devserver");

#[tokio::test]
async fn prints_real_address_and_serves() {
    let binary = RunningBinary::spawn(Path::new(BINARY), &[]);
    assert!(binary.url.starts_with("http://127.0.0.1:"));
    assert!(!binary.url.ends_with(":0"));
    let put = binary.put("greeting", "\"hi\"").await;
    assert_eq!(put.status, StatusCode::OK);
    assert_eq!(binary.get("greeting").await.json()["value"], "hi");
    let stats = binary.get_path("/_devserver/stats").await.json();
    assert_eq!(stats["by_route"]["put"], 1);
}

#[tokio::test]
async fn flags_configure_auth_faults_and_problem_json() {
    let binary = RunningBinary::spawn(
        Path::new(BINARY),
        &[
            "--basic-auth",
            "user:pass",
            "--problem-json",
            "--fail-rate",
            "1",
            "--fail-status",
            "502",
        ],
    );
    let faulted = binary.get("k").await;
    assert_eq!(faulted.status, StatusCode::BAD_GATEWAY);
    binary.put_faults("{}").await;
    let anonymous = binary.get("k").await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let user_pass = ("authorization", "Basic dXNlcjpwYXNz");
    let missing = binary.get_with("k", &[user_pass]).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(
        missing.header("content-type"),
        Some(&b"application/problem+json"[..])
    );
}

#[test]
#[allow(unsafe_code)] // libc::kill, see the SAFETY note
fn sigterm_exits_cleanly() {
    let mut binary = RunningBinary::spawn(Path::new(BINARY), &[]);
    let pid = libc::pid_t::try_from(binary.child.id()).expect("pid fits");
    // SAFETY: sending a signal to our own child process by its id.
    let sent = unsafe { libc::kill(pid, libc::SIGTERM) };
    assert_eq!(sent, 0);
    let status = binary.child.wait().expect("child exits");
    assert!(status.success(), "{status:?}");
}

#[test]
fn rejects_bad_arguments() {
    for args in [
        &["--fail-rate", "2"][..],
        &["--basic-auth", "nocolon"],
        &["--listen", "nope"],
    ] {
        let output = Command::new(BINARY)
            .args(args)
            .output()
            .expect("binary runs");
        assert!(!output.status.success(), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
    }
}
