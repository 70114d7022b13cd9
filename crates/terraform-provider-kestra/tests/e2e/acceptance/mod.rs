//! The acceptance scenarios: real Terraform against a Kestra-compatible server reached only
//! through Kestra's public HTTP API, so the same tests run against a real Kestra.
//!
//! `cargo test --test e2e acceptance` runs exactly these (no other test name contains
//! "acceptance"). With `KESTRA_ACCEPTANCE_URL` set they run against that server (see
//! [`Server::from_env`]); without it each starts a devserver of its own, so they run on every CI
//! run too. Each scenario is a [`Scenario`]: its namespaces are unique to the run, and when it
//! ends, passed or failed, it deletes every key of them through the HTTP API and prints one line
//! saying how it went, against which server, and how many scenarios of the run have finished.
//!
//! What needs the devserver itself (its request counters, fault injection, another
//! configuration) stays in the other modules.

mod kv;
mod kvs;
mod modern;
mod provider;

pub(crate) use kv::replacement_keeps_the_key;

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::io::Write;
use std::ops::Deref;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use kestra_kv_client::ListOptions;

use test_support::server::Server;
use test_support::terraform::block_on;

/// The lines a scenario prints when it ends start with this (the proof test counts them).
pub const REPORT_PREFIX: &str = "acceptance scenario";

/// How many scenarios of this run have ended.
static FINISHED: AtomicUsize = AtomicUsize::new(0);
/// How many scenarios of this run have started (numbers their namespaces).
static STARTED: AtomicUsize = AtomicUsize::new(0);

/// A tag unique to this run of the test binary, so two runs against one server never share a
/// namespace.
fn run_tag() -> &'static str {
    static TAG: OnceLock<String> = OnceLock::new();
    TAG.get_or_init(|| {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|elapsed| elapsed.as_nanos())
            .unwrap_or_default();
        // The clock's low bits and the process id: two runs never meet in practice.
        format!(
            "{:06x}{:04x}",
            nanos & 0xff_ffff,
            std::process::id() & 0xffff
        )
    })
}

/// One acceptance scenario: its server, its namespaces, and the clean-up when it ends.
pub struct Scenario {
    name: String,
    server: Server,
    root: String,
    namespaces: RefCell<BTreeSet<String>>,
}

impl Scenario {
    /// A scenario against [`Server::from_env`], named after the running test.
    pub fn start() -> Scenario {
        Scenario::on(Server::from_env())
    }

    /// A scenario against `server`.
    pub fn on(server: Server) -> Scenario {
        let seq = STARTED.fetch_add(1, Ordering::Relaxed);
        Scenario {
            name: std::thread::current()
                .name()
                .unwrap_or("unnamed scenario")
                .to_string(),
            server,
            root: format!("tf-acc-{}-{seq:03}", run_tag()),
            namespaces: RefCell::new(BTreeSet::new()),
        }
    }

    /// The namespace `name` of this scenario (`<scenario root>.<name>`), deleted when it ends.
    pub fn ns(&self, name: &str) -> String {
        let namespace = format!("{}.{name}", self.root);
        self.namespaces.borrow_mut().insert(namespace.clone());
        namespace
    }

    /// Deletes every key of the scenario's namespaces; what could not be deleted.
    fn clean_up(&self) -> Vec<String> {
        let namespaces = self.namespaces.take();
        let client = self.server.client();
        block_on(async {
            let mut failures = Vec::new();
            for namespace in namespaces {
                let keys: Vec<String> =
                    match client.list_all(&namespace, ListOptions::default()).await {
                        Ok(entries) => entries.into_iter().map(|entry| entry.key).collect(),
                        Err(error) => {
                            failures.push(format!("listing {namespace}: {error}"));
                            continue;
                        }
                    };
                if keys.is_empty() {
                    continue;
                }
                if let Err(error) = client.delete_many(&namespace, &keys).await {
                    failures.push(format!(
                        "deleting {} keys of {namespace}: {error}",
                        keys.len()
                    ));
                }
            }
            failures
        })
    }
}

impl Deref for Scenario {
    type Target = Server;

    fn deref(&self) -> &Server {
        &self.server
    }
}

impl Drop for Scenario {
    fn drop(&mut self) {
        let failures = self.clean_up();
        let outcome = if std::thread::panicking() {
            "FAILED"
        } else {
            "passed"
        };
        let finished = FINISHED.fetch_add(1, Ordering::Relaxed) + 1;
        let cleanup = if failures.is_empty() {
            String::new()
        } else {
            format!("; clean-up failed: {}", failures.join("; "))
        };
        // Straight to stderr, past the test harness's capture: the run reports every scenario.
        let _ = writeln!(
            std::io::stderr(),
            "{REPORT_PREFIX} {finished} {outcome}: {} against {}{cleanup}",
            self.name,
            self.server.describe()
        );
        assert!(
            failures.is_empty() || std::thread::panicking(),
            "the scenario left keys behind{cleanup}"
        );
    }
}
