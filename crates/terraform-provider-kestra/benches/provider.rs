//! Provider benchmark: real Terraform 1.15.5 against kestra-kv-devserver on loopback.
//! Prints ratios measured in one run (run with `cargo bench --bench provider`):
//! - start-up to handshake of the provider binary;
//! - `terraform validate` / `plan` of a config using the provider over the same config without it;
//! - `terraform apply` of N `kestra_kv` over N `terraform_data`;
//! - `terraform plan` (with refresh) of the same N existing keys over N `terraform_data`;
//! - why the apply ratio is what it is: the provider processes' CPU during the apply, state
//!   bytes per instance, and the apply of N `terraform_data` carrying the same values;
//! - HTTP requests per refreshed resource; the provider process's peak RSS (the provider runs
//!   behind a small Python wrapper that records its rusage, adding ~30 ms per provider start).
//!
//! `KESTRA_BENCH_KEYS` sets N (default 1000). `KESTRA_BENCH_BASELINE=<provider binary>` also
//! runs the same keys with that binary (e.g. built from an earlier commit) and prints the
//! provider CPU per `kestra_kv` and the plan ratio of both. `KESTRA_BENCH=kvs` runs the `kestra_kvs`
//! benchmark instead (see `provider/kvs.rs`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test or bench run panics

#[path = "provider/kvs.rs"]
mod kvs;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use test_support::terraform::{TestServer, Workspace};

const MAGIC_COOKIE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

fn timed<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let start = Instant::now();
    let value = f();
    (start.elapsed(), value)
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// Time from spawning the binary to reading its handshake line (plaintext and AutoMTLS).
fn startup_to_handshake(with_tls: bool) -> Duration {
    let client_cert = rcgen::generate_simple_self_signed(vec!["localhost".to_string()])
        .expect("client cert")
        .cert
        .pem();
    let samples = (0..20)
        .map(|_| {
            let mut command = Command::new(env!("CARGO_BIN_EXE_terraform-provider-kestra"));
            command
                .env("TF_PLUGIN_MAGIC_COOKIE", MAGIC_COOKIE)
                .env("PLUGIN_PROTOCOL_VERSIONS", "5,6")
                .env_remove("TF_LOG")
                .env_remove("TF_LOG_PROVIDER")
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::null());
            if with_tls {
                command.env("PLUGIN_CLIENT_CERT", &client_cert);
            } else {
                command.env_remove("PLUGIN_CLIENT_CERT");
            }
            let start = Instant::now();
            let mut child = command.spawn().expect("provider starts");
            let mut line = String::new();
            BufReader::new(child.stdout.take().expect("stdout"))
                .read_line(&mut line)
                .expect("handshake line");
            let elapsed = start.elapsed();
            assert!(line.starts_with("1|6|tcp|127.0.0.1:"), "handshake: {line}");
            let _ = child.kill();
            let _ = child.wait();
            elapsed
        })
        .collect();
    median(samples)
}

fn kv_config(count: usize) -> String {
    kv_config_in("company.bench", count)
}

fn kv_config_in(namespace: &str, count: usize) -> String {
    format!(
        "resource \"kestra_kv\" \"k\" {{\n  count = {count}\n  namespace = \"{namespace}\"\n  key = \"key-${{count.index}}\"\n  value = \"value ${{count.index}}\"\n  description = \"benchmark key\"\n}}\n"
    )
}

fn data_config(count: usize) -> String {
    format!(
        "resource \"terraform_data\" \"k\" {{\n  count = {count}\n  input = \"value ${{count.index}}\"\n}}\n"
    )
}

/// A terraform_data carrying what a `kestra_kv` of `kv_config` carries, so that Terraform's
/// own per-instance state work is comparable.
fn data_same_payload_config(count: usize) -> String {
    format!(
        "resource \"terraform_data\" \"k\" {{\n  count = {count}\n  input = {{\n    namespace = \"company.bench\"\n    key = \"key-${{count.index}}\"\n    value = \"value ${{count.index}}\"\n    description = \"benchmark key\"\n  }}\n}}\n"
    )
}

/// What the provider processes of one Terraform command used, summed over processes (CPU)
/// or the largest (RSS).
struct ProviderUsage {
    peak_rss_kib: u64,
    cpu: Duration,
    /// Terraform's stderr (holds the provider's log when `TF_LOG_PROVIDER` is set).
    stderr: String,
}

/// A workspace whose provider binary is a wrapper that waits for the real one and records
/// its rusage.
struct MeteredWorkspace {
    ws: Workspace,
    report: std::path::PathBuf,
}

impl MeteredWorkspace {
    /// Runs the provider binary of this build.
    fn new(server: &TestServer) -> MeteredWorkspace {
        MeteredWorkspace::running(server, env!("CARGO_BIN_EXE_terraform-provider-kestra"))
    }

    /// Runs the provider binary at `provider` (e.g. one built from an earlier commit).
    fn running(server: &TestServer, provider: &str) -> MeteredWorkspace {
        let mut ws = Workspace::new(server.url());
        let wrapper_dir = ws.path().join("wrapped");
        std::fs::create_dir_all(&wrapper_dir).expect("wrapper dir");
        let report = ws.path().join("usage.txt");
        let python = test_support::binaries::repo_root().join(".venv/bin/python");
        let wrapper = wrapper_dir.join("terraform-provider-kestra");
        std::fs::write(
            &wrapper,
            format!(
                "#!{python}\nimport os, sys\npid = os.fork()\nif pid == 0:\n    os.execv({real:?}, [{real:?}])\n_, status, usage = os.wait4(pid, 0)\nwith open({report:?}, 'a') as f:\n    f.write('%d %f\\n' % (usage.ru_maxrss, usage.ru_utime + usage.ru_stime))\nsys.exit(os.waitstatus_to_exitcode(status))\n",
                python = python.display(),
                real = provider,
                report = report.display().to_string(),
            ),
        )
        .expect("wrapper");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755))
                .expect("chmod");
        }
        let cli_config = ws.path().join("wrapped.rc");
        std::fs::write(
            &cli_config,
            format!(
                "provider_installation {{\n  dev_overrides {{\n    \"registry.terraform.io/kestra-io/kestra\" = \"{}\"\n  }}\n  direct {{}}\n}}\n",
                wrapper_dir.display()
            ),
        )
        .expect("cli config");
        ws.set_env("TF_CLI_CONFIG_FILE", &cli_config.display().to_string());
        MeteredWorkspace { ws, report }
    }

    /// Runs a command and returns what its provider processes used.
    fn usage_of(&self, args: &[&str]) -> ProviderUsage {
        let _ = std::fs::remove_file(&self.report);
        let run = self.ws.ok(args);
        let mut usage = ProviderUsage {
            peak_rss_kib: 0,
            cpu: Duration::ZERO,
            stderr: run.stderr,
        };
        for line in std::fs::read_to_string(&self.report)
            .unwrap_or_default()
            .lines()
        {
            let mut fields = line.split_whitespace();
            let rss = fields.next().and_then(|f| f.parse::<u64>().ok());
            let cpu = fields.next().and_then(|f| f.parse::<f64>().ok());
            if let (Some(rss), Some(cpu)) = (rss, cpu) {
                usage.peak_rss_kib = usage.peak_rss_kib.max(rss);
                usage.cpu += Duration::from_secs_f64(cpu);
            }
        }
        usage
    }
}

/// Size of a workspace's state file per resource instance.
fn state_bytes_per_instance(ws: &Workspace, count: usize) -> f64 {
    ws.read("terraform.tfstate").len() as f64 / count as f64
}

fn main() {
    if std::env::var("KESTRA_BENCH").as_deref() == Ok("kvs") {
        kvs::run();
        return;
    }
    let count: usize = std::env::var("KESTRA_BENCH_KEYS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let server = TestServer::start();

    println!("== start-up to handshake (median of 20)");
    let plain = startup_to_handshake(false);
    let tls = startup_to_handshake(true);
    println!(
        "plaintext: {:.1} ms   AutoMTLS: {:.1} ms",
        plain.as_secs_f64() * 1e3,
        tls.as_secs_f64() * 1e3
    );

    println!(
        "== SDK round trip: validate and plan of one key, with the provider over without it (median of 5)"
    );
    let with = Workspace::new(server.url());
    with.config(&kv_config(1));
    let without = Workspace::new(server.url());
    without.config(&data_config(1));
    for (command, args) in [
        ("validate", vec!["validate", "-no-color"]),
        ("plan", vec!["plan", "-no-color", "-refresh=false"]),
    ] {
        let ours = median((0..5).map(|_| timed(|| with.ok(&args)).0).collect());
        let builtin = median((0..5).map(|_| timed(|| without.ok(&args)).0).collect());
        println!(
            "terraform {command}: {:.0} ms with kestra, {:.0} ms with terraform_data only, ratio {:.2}",
            ours.as_secs_f64() * 1e3,
            builtin.as_secs_f64() * 1e3,
            ours.as_secs_f64() / builtin.as_secs_f64()
        );
    }

    println!("== {count} resources");
    let data = Workspace::new(server.url());
    data.config(&data_config(count));

    let same_payload = Workspace::new(server.url());
    same_payload.config(&data_same_payload_config(count));
    let kv = MeteredWorkspace::new(&server);
    kv.ws.config(&kv_config(count));

    let (data_apply, _) = timed(|| data.apply());
    let (same_payload_apply, _) = timed(|| same_payload.apply());
    let (kv_apply, kv_apply_usage) =
        timed(|| kv.usage_of(&["apply", "-auto-approve", "-no-color"]));
    println!(
        "apply: kestra_kv {:.2} s, terraform_data {:.2} s, ratio {:.2} (goal <= 1.15)",
        kv_apply.as_secs_f64(),
        data_apply.as_secs_f64(),
        kv_apply.as_secs_f64() / data_apply.as_secs_f64()
    );
    println!(
        "  provider processes' CPU during that apply: {:.2} s ({:.1}% of the apply's wall time)",
        kv_apply_usage.cpu.as_secs_f64(),
        100.0 * kv_apply_usage.cpu.as_secs_f64() / kv_apply.as_secs_f64()
    );
    let baseline = Baseline::from_env(&server, count);
    if let Some(baseline) = &baseline {
        baseline.compare_apply(&kv_apply_usage, count);
    }
    println!(
        "  state per instance: kestra_kv {:.0} B, terraform_data {:.0} B; terraform_data carrying \
         the same namespace/key/value/description: {:.0} B, apply {:.2} s, ratio {:.2}",
        state_bytes_per_instance(&kv.ws, count),
        state_bytes_per_instance(&data, count),
        state_bytes_per_instance(&same_payload, count),
        same_payload_apply.as_secs_f64(),
        kv_apply.as_secs_f64() / same_payload_apply.as_secs_f64()
    );

    // An apply records the version it wrote, so even the first refresh after it skips values
    // whose version has not moved.
    server.reset_stats();
    kv.ws
        .ok(&["apply", "-refresh-only", "-auto-approve", "-no-color"]);
    let first_refresh = server.stats().requests;
    println!(
        "requests per resource, first refresh after apply: {:.3} ({first_refresh} requests for {count} keys)",
        first_refresh as f64 / count as f64
    );
    let (data_plan, _) = timed(|| data.ok(&["plan", "-no-color"]));
    server.reset_stats();
    let (kv_plan, kv_plan_usage) = timed(|| kv.usage_of(&["plan", "-no-color"]));
    let requests = server.stats().requests;
    println!(
        "plan (with refresh): kestra_kv {:.2} s, terraform_data {:.2} s, ratio {:.2} (goal <= 3)",
        kv_plan.as_secs_f64(),
        data_plan.as_secs_f64(),
        kv_plan.as_secs_f64() / data_plan.as_secs_f64()
    );
    if let Some(baseline) = &baseline {
        baseline.compare_plan(kv_plan, data_plan);
    }
    println!(
        "requests per refreshed resource, later refreshes: {:.3} ({requests} requests for {count} keys; goal <= 1.1)",
        requests as f64 / count as f64
    );

    println!(
        "provider peak RSS during plan of {count} keys: {:.1} MB (goal <= 40 MB)",
        kv_plan_usage.peak_rss_kib as f64 / 1024.0
    );

    kv.ws.destroy();
    if let Some(baseline) = baseline {
        baseline.metered.ws.destroy();
    }
}

/// The same keys managed by another provider binary (`KESTRA_BENCH_BASELINE`, e.g. one built
/// from an earlier commit), so that a change's effect is a ratio measured in one run.
struct Baseline {
    binary: String,
    metered: MeteredWorkspace,
}

impl Baseline {
    fn from_env(server: &TestServer, count: usize) -> Option<Baseline> {
        let binary = std::env::var("KESTRA_BENCH_BASELINE").ok()?;
        let metered = MeteredWorkspace::running(server, &binary);
        metered
            .ws
            .config(&kv_config_in("company.bench-baseline", count));
        Some(Baseline { binary, metered })
    }

    /// Applies the same number of keys with the baseline and compares the provider CPU.
    fn compare_apply(&self, this_build: &ProviderUsage, count: usize) {
        let (apply, usage) = timed(|| {
            self.metered
                .usage_of(&["apply", "-auto-approve", "-no-color"])
        });
        let per_key = |usage: &ProviderUsage| usage.cpu.as_secs_f64() * 1e3 / count as f64;
        println!(
            "  provider CPU per kestra_kv: this build {:.3} ms, baseline {:.3} ms ({}; its apply {:.2} s), ratio {:.2}",
            per_key(this_build),
            per_key(&usage),
            self.binary,
            apply.as_secs_f64(),
            per_key(this_build) / per_key(&usage)
        );
        self.metered
            .ws
            .ok(&["apply", "-refresh-only", "-auto-approve", "-no-color"]);
    }

    /// Plans (with refresh) the baseline's keys and compares both ratios over terraform_data.
    fn compare_plan(&self, this_build: Duration, data: Duration) {
        let (plan, _) = timed(|| self.metered.ws.ok(&["plan", "-no-color"]));
        println!(
            "  plan (with refresh) over terraform_data: this build {:.2}, baseline {:.2} ({:.2} s)",
            this_build.as_secs_f64() / data.as_secs_f64(),
            plan.as_secs_f64() / data.as_secs_f64(),
            plan.as_secs_f64()
        );
    }
}
