//! The `kestra-kv-devserver` binary: announces its address, serves, honours flags.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

struct RunningBinary {
    child: Child,
    url: String,
}

impl RunningBinary {
    fn spawn(extra_args: &[&str]) -> RunningBinary {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kestra-kv-devserver"))
            .args(["--listen", "127.0.0.1:0"])
            .args(extra_args)
            .stdout(Stdio::piped())
            .spawn()
            .expect("binary starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("reads the first line");
        let url = line
            .trim_end()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_owned();
        RunningBinary { child, url }
    }
}

impl Drop for RunningBinary {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client builds")
}

#[tokio::test]
async fn prints_real_address_and_serves() {
    let binary = RunningBinary::spawn(&[]);
    assert!(binary.url.starts_with("http://127.0.0.1:"));
    assert!(!binary.url.ends_with(":0"));
    let key = format!(
        "{}/api/v1/main/namespaces/company.team/kv/greeting",
        binary.url
    );
    let put = client()
        .put(&key)
        .header("content-type", "text/plain")
        .body("\"hi\"")
        .send()
        .await
        .expect("PUT");
    assert_eq!(put.status(), 200);
    let got: serde_json::Value = client()
        .get(&key)
        .send()
        .await
        .expect("GET")
        .json()
        .await
        .expect("JSON");
    assert_eq!(got["value"], "hi");
    let stats: serde_json::Value = client()
        .get(format!("{}/_devserver/stats", binary.url))
        .send()
        .await
        .expect("stats")
        .json()
        .await
        .expect("JSON");
    assert_eq!(stats["by_route"]["put"], 1);
}

#[tokio::test]
async fn flags_configure_auth_faults_and_problem_json() {
    let binary = RunningBinary::spawn(&[
        "--basic-auth",
        "user:pass",
        "--problem-json",
        "--fail-rate",
        "1",
        "--fail-status",
        "502",
    ]);
    let key = format!("{}/api/v1/main/namespaces/company.team/kv/k", binary.url);
    let faulted = client().get(&key).send().await.expect("GET");
    assert_eq!(faulted.status(), 502);
    client()
        .put(format!("{}/_devserver/faults", binary.url))
        .body("{}")
        .send()
        .await
        .expect("PUT faults");
    let anonymous = client().get(&key).send().await.expect("GET");
    assert_eq!(anonymous.status(), 401);
    let missing = client()
        .get(&key)
        .basic_auth("user", Some("pass"))
        .send()
        .await
        .expect("GET");
    assert_eq!(missing.status(), 404);
    assert_eq!(
        missing.headers().get("content-type").map(|v| v.as_bytes()),
        Some(&b"application/problem+json"[..])
    );
}

#[test]
#[allow(unsafe_code)] // libc::kill, see the SAFETY note
fn sigterm_exits_cleanly() {
    let mut binary = RunningBinary::spawn(&[]);
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
        let output = Command::new(env!("CARGO_BIN_EXE_kestra-kv-devserver"))
            .args(args)
            .output()
            .expect("binary runs");
        assert!(!output.status.success(), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
    }
}
