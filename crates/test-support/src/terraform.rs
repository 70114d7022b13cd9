//! Shared harness for the end-to-end tests: real Terraform (from the project's `.venv`, see
//! `scripts/setup.sh`) driving the freshly built provider binary through `dev_overrides` (or a
//! release installed from a filesystem mirror), against an in-process `kestra-kv-devserver` on
//! loopback. Terraform 1.15.5 by default; [`Workspace::on_terraform`] picks another minor.
//!
//! Terraform missing is a test failure, never a skip.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::mpsc;

use crate::binaries::{own_binary, repo_root};
use kestra_kv_devserver::{DevServer, DevServerConfig, Faults, Stats};

/// Runs a future to completion (the tests themselves are synchronous: they block on Terraform).
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(future)
}

/// The Terraform executable the tests run: `$TERRAFORM`, else `<repo>/.venv/bin/terraform`.
pub fn terraform_bin() -> PathBuf {
    let path = std::env::var_os("TERRAFORM")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join(".venv/bin/terraform"));
    assert!(
        path.is_file(),
        "Terraform not found at {} — run ./scripts/setup.sh (installs Terraform 1.15.5 into .venv); \
         the end-to-end tests never skip",
        path.display()
    );
    path
}

/// The Terraform of one minor version (`"1.6"` … `"1.15"`), installed by `scripts/setup.sh` as
/// `<repo>/.venv/terraform/<minor>/terraform`.
pub fn terraform_of(minor: &str) -> PathBuf {
    let path = repo_root()
        .join(".venv/terraform")
        .join(minor)
        .join("terraform");
    assert!(
        path.is_file(),
        "Terraform {minor} not found at {} — run ./scripts/setup.sh (installs every tested \
         Terraform minor into .venv/terraform); the end-to-end tests never skip",
        path.display()
    );
    path
}

/// Directory holding the provider binary under test (what `dev_overrides` points at): the
/// tests and benches of the provider's package find it beside them.
pub fn provider_dir() -> PathBuf {
    let exe = own_binary("terraform-provider-kestra");
    exe.parent()
        .expect("binary has a parent directory")
        .to_path_buf()
}

/// How long [`TestServer::wait_for_puts`] waits at most.
const PUTS_SEEN_LIMIT: std::time::Duration = std::time::Duration::from_secs(120);

/// A devserver running on its own runtime thread, so tests can block on Terraform freely.
pub struct TestServer {
    url: String,
    control: mpsc::Sender<Control>,
    thread: Option<std::thread::JoinHandle<()>>,
}

enum Control {
    Stats(mpsc::Sender<Stats>),
    /// Reply once at least this many PUTs have arrived.
    PutsSeen(u64, mpsc::Sender<Stats>),
    ResetStats,
    Faults(Faults),
    Stop,
}

impl TestServer {
    pub fn start() -> Self {
        Self::start_with(DevServerConfig::default())
    }

    pub fn start_with(config: DevServerConfig) -> Self {
        let (url_tx, url_rx) = mpsc::channel();
        let (control, control_rx) = mpsc::channel::<Control>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("tokio runtime");
            runtime.block_on(async move {
                let server = DevServer::start(config).await.expect("devserver starts");
                url_tx.send(server.url()).expect("url sent");
                loop {
                    let message = tokio::task::block_in_place(|| control_rx.recv());
                    match message {
                        Ok(Control::Stats(reply)) => {
                            let _ = reply.send(server.stats());
                        }
                        Ok(Control::PutsSeen(puts, reply)) => {
                            // Bounded, so that a run that never gets there fails instead of hanging.
                            let seen = server.wait_for(|s| s.by_route.put >= puts);
                            let seen = tokio::time::timeout(PUTS_SEEN_LIMIT, seen).await;
                            let _ = reply.send(seen.unwrap_or_else(|_| server.stats()));
                        }
                        Ok(Control::ResetStats) => server.reset_stats(),
                        Ok(Control::Faults(faults)) => server.set_faults(faults),
                        Ok(Control::Stop) | Err(_) => break,
                    }
                }
                server.shutdown().await;
            });
        });
        let url = url_rx.recv().expect("devserver reported its url");
        TestServer {
            url,
            control,
            thread: Some(thread),
        }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn stats(&self) -> Stats {
        let (tx, rx) = mpsc::channel();
        self.control
            .send(Control::Stats(tx))
            .expect("devserver alive");
        rx.recv().expect("stats reply")
    }

    /// Blocks until the server has seen at least `puts` PUTs (no polling): the counters then.
    /// Panics when that takes longer than [`PUTS_SEEN_LIMIT`].
    pub fn wait_for_puts(&self, puts: u64) -> Stats {
        let (tx, rx) = mpsc::channel();
        self.control
            .send(Control::PutsSeen(puts, tx))
            .expect("devserver alive");
        let stats = rx.recv().expect("stats reply");
        assert!(
            stats.by_route.put >= puts,
            "the server saw {} PUTs, not {puts}, within {PUTS_SEEN_LIMIT:?}",
            stats.by_route.put
        );
        stats
    }

    pub fn reset_stats(&self) {
        self.control
            .send(Control::ResetStats)
            .expect("devserver alive");
    }

    pub fn set_faults(&self, faults: Faults) {
        self.control
            .send(Control::Faults(faults))
            .expect("devserver alive");
    }

    /// A typed client for seeding and checking the server directly.
    pub fn client(&self) -> kestra_kv_client::Client {
        let config = kestra_kv_client::ClientConfig::from_url(&self.url).expect("devserver url");
        kestra_kv_client::Client::new(config).expect("client")
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        let _ = self.control.send(Control::Stop);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A Terraform working directory with its own CLI config (by default `dev_overrides` pointing at
/// the binary under test).
pub struct Workspace {
    dir: tempfile::TempDir,
    env: Vec<(String, String)>,
    terraform: PathBuf,
}

/// The outcome of one `terraform` command.
pub struct TfRun {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl TfRun {
    pub fn combined(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

impl Workspace {
    /// A workspace whose provider talks to `server_url` (through `KESTRA_URL`).
    pub fn new(server_url: &str) -> Self {
        Self::with_cli_config(
            server_url,
            &format!(
                "provider_installation {{\n  dev_overrides {{\n    \"registry.terraform.io/kestra-io/kestra\" = \"{}\"\n  }}\n  direct {{}}\n}}\n",
                provider_dir().display()
            ),
        )
    }

    /// A workspace whose Terraform installs providers only from the packed filesystem mirror
    /// `mirror` (no `dev_overrides`, no registry): `terraform init` as users run it.
    pub fn with_mirror(server_url: &str, mirror: &Path) -> Self {
        Self::with_cli_config(
            server_url,
            &format!(
                "provider_installation {{\n  filesystem_mirror {{\n    path = \"{}\"\n  }}\n}}\n",
                mirror.display()
            ),
        )
    }

    /// A workspace whose Terraform reads the CLI configuration `cli_config_text` (e.g. a
    /// `host` block and a `provider_installation` of its own).
    pub fn with_cli_config(server_url: &str, cli_config_text: &str) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let cli_config = dir.path().join("terraform.rc");
        std::fs::write(&cli_config, cli_config_text).expect("write CLI config");
        let env = vec![
            (
                "TF_CLI_CONFIG_FILE".to_string(),
                cli_config.display().to_string(),
            ),
            ("TF_IN_AUTOMATION".to_string(), "1".to_string()),
            ("TF_INPUT".to_string(), "0".to_string()),
            ("CHECKPOINT_DISABLE".to_string(), "1".to_string()),
            ("KESTRA_URL".to_string(), server_url.to_string()),
        ];
        Workspace {
            dir,
            env,
            terraform: terraform_bin(),
        }
    }

    /// Runs Terraform of another minor version (see [`terraform_of`]) in this workspace.
    pub fn on_terraform(mut self, minor: &str) -> Self {
        self.terraform = terraform_of(minor);
        self
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn set_env(&mut self, name: &str, value: &str) {
        self.env.retain(|(n, _)| n != name);
        self.env.push((name.to_string(), value.to_string()));
    }

    pub fn remove_env(&mut self, name: &str) {
        self.env.retain(|(n, _)| n != name);
    }

    /// Writes `main.tf` (with the required_providers block prepended).
    pub fn config(&self, body: &str) {
        self.write(
            "main.tf",
            &format!(
                "terraform {{\n  required_providers {{\n    kestra = {{ source = \"kestra-io/kestra\" }}\n  }}\n}}\n\n{body}\n"
            ),
        );
    }

    pub fn write(&self, name: &str, content: &str) {
        std::fs::write(self.dir.path().join(name), content).expect("write file");
    }

    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(name)).unwrap_or_default()
    }

    /// `terraform <args>` in this workspace, not started yet (for tests that signal it).
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(&self.terraform);
        command
            .args(args)
            .current_dir(self.dir.path())
            .env_remove("TF_LOG")
            .env_remove("TF_LOG_PROVIDER")
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        command
    }

    pub fn run(&self, args: &[&str]) -> TfRun {
        let output: Output = self.command(args).output().expect("terraform runs");
        TfRun {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Runs a command that must succeed; panics with Terraform's output otherwise.
    pub fn ok(&self, args: &[&str]) -> TfRun {
        let run = self.run(args);
        assert_eq!(
            run.code,
            0,
            "terraform {args:?} failed:\n{}",
            run.combined()
        );
        run
    }

    pub fn apply(&self) -> TfRun {
        self.ok(&["apply", "-auto-approve", "-no-color"])
    }

    /// `terraform apply` whose summary reads `Resources: <summary>`.
    pub fn apply_summarised(&self, summary: &str) -> TfRun {
        let run = self.apply();
        assert!(
            run.stdout.contains(&format!("Resources: {summary}")),
            "expected \"{summary}\" from apply:\n{}",
            run.stdout
        );
        run
    }

    /// A plan whose summary line reads `Plan: <summary>`, e.g. "1 to add, 0 to change, 0 to destroy".
    pub fn plan_summarised(&self, summary: &str) -> TfRun {
        let run = self.ok(&["plan", "-no-color"]);
        assert!(
            run.stdout.contains(summary),
            "expected \"{summary}\" from plan:\n{}",
            run.stdout
        );
        run
    }

    pub fn destroy(&self) -> TfRun {
        self.ok(&["destroy", "-auto-approve", "-no-color"])
    }

    /// `terraform plan -detailed-exitcode`: asserts it succeeded and reports whether it has changes.
    pub fn plan_has_changes(&self) -> (bool, TfRun) {
        let run = self.run(&["plan", "-detailed-exitcode", "-no-color"]);
        assert!(
            run.code == 0 || run.code == 2,
            "terraform plan failed:\n{}",
            run.combined()
        );
        (run.code == 2, run)
    }

    pub fn assert_plan_empty(&self) {
        let (changes, run) = self.plan_has_changes();
        assert!(!changes, "expected an empty plan, got:\n{}", run.stdout);
    }

    /// Fails with Terraform's diagnostics in `stderr`.
    pub fn fails(&self, args: &[&str]) -> TfRun {
        let run = self.run(args);
        assert_ne!(
            run.code,
            0,
            "terraform {args:?} unexpectedly succeeded:\n{}",
            run.combined()
        );
        run
    }

    /// A `terraform apply` that must fail: its whole output, diagnostics included.
    pub fn apply_fails(&self) -> String {
        self.fails(&["apply", "-auto-approve", "-no-color"])
            .combined()
    }

    /// `terraform show -json` of the state, parsed.
    pub fn state_json(&self) -> serde_json::Value {
        let run = self.ok(&["show", "-json"]);
        serde_json::from_str(&run.stdout).expect("show -json is JSON")
    }

    /// The attribute values of one resource address in the state (`kestra_kv.x`, `data.kestra_kv.y`).
    pub fn resource_values(&self, address: &str) -> serde_json::Value {
        let state = self.state_json();
        state["values"]["root_module"]["resources"]
            .as_array()
            .and_then(|resources| resources.iter().find(|r| r["address"] == address))
            .map(|r| r["values"].clone())
            .unwrap_or(serde_json::Value::Null)
    }

    pub fn output(&self, name: &str) -> serde_json::Value {
        let run = self.ok(&["output", "-json", name]);
        serde_json::from_str(&run.stdout).expect("output -json is JSON")
    }
}
