//! The public in-process API: start a server on a loopback port, inspect and steer it.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use serde::{Deserialize, Serialize};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};

use super::clock::{Clock, SystemClock};
use super::faults::Faults;
use super::http::{AppState, handle};
use super::value::TimestampReading;

/// How to run a [`DevServer`].
#[derive(Debug, Clone)]
pub struct DevServerConfig {
    pub listen: SocketAddr,
    pub basic_auth: Option<(String, String)>,
    /// Bearer token; when both this and `basic_auth` are set, either is accepted.
    pub api_token: Option<String>,
    /// Answer errors with RFC 9457 `application/problem+json` (E4) instead of legacy JSON.
    pub problem_json: bool,
    /// Also serve un-tenanted `/api/v1/namespaces/...` as tenant `main` (OSS compatibility layer).
    pub legacy_paths: bool,
    /// How GET reads timestamps: current Kestra, or older Kestra's midnight-UTC-is-a-date.
    pub timestamps: TimestampReading,
    /// Report revisions and update times on GET and revisions in listings (current Kestra);
    /// off answers as older Kestra, which reports only `updateDate` in listings.
    pub revisions: bool,
    /// Serve only these tenants (answering others with 404, as an unknown route); `None`
    /// serves any tenant.
    pub tenants: Option<Vec<String>>,
    pub faults: Faults,
    /// Seed of the fault-decision RNG.
    pub seed: u64,
}

impl Default for DevServerConfig {
    fn default() -> DevServerConfig {
        DevServerConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            basic_auth: None,
            api_token: None,
            problem_json: false,
            legacy_paths: true,
            timestamps: TimestampReading::Current,
            revisions: true,
            tenants: None,
            faults: Faults::default(),
            seed: 0,
        }
    }
}

/// Per-route request counts (bulk deletes count as `delete`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouteCounts {
    pub get: u64,
    pub put: u64,
    pub delete: u64,
    pub list: u64,
    pub search: u64,
    pub inheritance: u64,
}

/// Request counters. `requests` counts every API request (faulted or not); `by_route` counts
/// those that reached a KV route (past faults and auth); admin endpoints are never counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    pub requests: u64,
    pub by_route: RouteCounts,
    pub faults_injected: u64,
    /// Requests that waited for the PUTs of [`Faults::hold_until_put`], and those of them that
    /// gave up waiting.
    #[serde(default)]
    pub held: u64,
    #[serde(default)]
    pub holds_timed_out: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteKind {
    Get,
    Put,
    Delete,
    List,
    Search,
    Inheritance,
}

/// Lock-free counters behind [`Stats`].
#[derive(Debug, Default)]
pub struct StatsCounters {
    requests: AtomicU64,
    faults_injected: AtomicU64,
    routes: [AtomicU64; 6],
    held: AtomicU64,
    holds_timed_out: AtomicU64,
    /// Woken on every count, for [`DevServer::wait_for`].
    changed: tokio::sync::Notify,
}

impl StatsCounters {
    pub fn count_request(&self) {
        self.requests.fetch_add(1, Ordering::Relaxed);
        self.changed.notify_waiters();
    }

    pub fn count_fault(&self) {
        self.faults_injected.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts a request held by [`Faults::hold_until_put`]; `timed_out` when it gave up.
    pub fn count_hold(&self, timed_out: bool) {
        self.held.fetch_add(1, Ordering::Relaxed);
        if timed_out {
            self.holds_timed_out.fetch_add(1, Ordering::Relaxed);
        }
    }

    pub fn count_route(&self, route: RouteKind) {
        let index = match route {
            RouteKind::Get => 0,
            RouteKind::Put => 1,
            RouteKind::Delete => 2,
            RouteKind::List => 3,
            RouteKind::Search => 4,
            RouteKind::Inheritance => 5,
        };
        if let Some(counter) = self.routes.get(index) {
            counter.fetch_add(1, Ordering::Relaxed);
        }
        self.changed.notify_waiters();
    }

    pub fn snapshot(&self) -> Stats {
        let [get, put, delete, list, search, inheritance] = self
            .routes
            .each_ref()
            .map(|counter| counter.load(Ordering::Relaxed));
        Stats {
            requests: self.requests.load(Ordering::Relaxed),
            by_route: RouteCounts {
                get,
                put,
                delete,
                list,
                search,
                inheritance,
            },
            faults_injected: self.faults_injected.load(Ordering::Relaxed),
            held: self.held.load(Ordering::Relaxed),
            holds_timed_out: self.holds_timed_out.load(Ordering::Relaxed),
        }
    }

    pub fn reset(&self) {
        self.requests.store(0, Ordering::Relaxed);
        self.faults_injected.store(0, Ordering::Relaxed);
        self.held.store(0, Ordering::Relaxed);
        self.holds_timed_out.store(0, Ordering::Relaxed);
        for counter in &self.routes {
            counter.store(0, Ordering::Relaxed);
        }
    }
}

/// A running stand-in server. Dropping it stops accepting and closes connections.
#[derive(Debug)]
pub struct DevServer {
    addr: SocketAddr,
    state: Arc<AppState>,
    stop: watch::Sender<bool>,
    accept_task: Option<JoinHandle<()>>,
}

impl DevServer {
    /// Binds `config.listen` and serves on the current tokio runtime.
    pub async fn start(config: DevServerConfig) -> std::io::Result<DevServer> {
        DevServer::start_with_clock(config, Arc::new(SystemClock)).await
    }

    /// Like [`DevServer::start`] with a custom time source (e.g. [`super::ManualClock`]).
    pub async fn start_with_clock(
        config: DevServerConfig,
        clock: Arc<dyn Clock>,
    ) -> std::io::Result<DevServer> {
        let listener = TcpListener::bind(config.listen).await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(AppState::new(config, clock));
        let (stop, stopped) = watch::channel(false);
        let accept_task = tokio::spawn(accept_loop(listener, Arc::clone(&state), stopped));
        Ok(DevServer {
            addr,
            state,
            stop,
            accept_task: Some(accept_task),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://IP:PORT`, without a trailing slash.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn stats(&self) -> Stats {
        self.state.stats.snapshot()
    }

    pub fn reset_stats(&self) {
        self.state.stats.reset();
    }

    /// Waits until `reached` holds for the counters (checked now and after each count), e.g.
    /// to act at a known point of a client's work ("once 100 PUTs arrived") without sleeping.
    pub async fn wait_for(&self, reached: impl Fn(&Stats) -> bool) -> Stats {
        let counters = &self.state.stats;
        loop {
            let changed = counters.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            let stats = counters.snapshot();
            if reached(&stats) {
                return stats;
            }
            changed.await;
        }
    }

    pub fn set_faults(&self, faults: Faults) {
        self.state.faults.set(faults);
    }

    /// Stops accepting, closes open connections and waits for the server task to end.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.accept_task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for DevServer {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

async fn accept_loop(
    listener: TcpListener,
    state: Arc<AppState>,
    mut stopped: watch::Receiver<bool>,
) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            _ = stopped.changed() => break,
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else {
                    // E.g. out of file descriptors: back off instead of spinning.
                    tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                    continue;
                };
                let state = Arc::clone(&state);
                connections.spawn(async move {
                    let service = service_fn(move |request| handle(Arc::clone(&state), request));
                    // Errors here are dropped connections (injected or client-side).
                    let _ = auto::Builder::new(TokioExecutor::new())
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    connections.shutdown().await;
}
