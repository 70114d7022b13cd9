//! [`StaticHttps`]: a loopback HTTPS server of files held in memory, with a certificate from a
//! test CA ([`Pki`]), standing in for what serves a provider to Terraform: a providers.v1
//! registry ([`StaticHttps::publish_registry`], the registry's JSON answers and the release
//! files) or a provider network mirror ([`StaticHttps::put_dir`] of the layout `release.sh
//! --network-mirror` writes). Files can be replaced between runs, to serve tampered releases.

use std::collections::HashMap;
use std::convert::Infallible;
use std::path::Path;
use std::sync::{Arc, Mutex};

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use tokio::sync::oneshot;
use tokio_rustls::TlsAcceptor;

use crate::pki::Pki;
use crate::terraform::block_on;

/// Path -> (content type, body).
type Files = Arc<Mutex<HashMap<String, (&'static str, Bytes)>>>;

/// Lower-case hex of the SHA-256 of `bytes`, as `SHA256SUMS` and the registries write it.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Serves `GET <path>` from its files (404 otherwise) at `https://127.0.0.1:<port>`, on its own
/// runtime thread so tests can block on Terraform; records every path requested.
pub struct StaticHttps {
    url: String,
    files: Files,
    requested: Arc<Mutex<Vec<String>>>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// One provider release as a providers.v1 registry lists it.
pub struct RegistryRelease<'a> {
    /// `<namespace>/<type>`, e.g. `kestra-io/kestra`.
    pub provider: &'a str,
    pub version: &'a str,
    /// `linux_amd64`.
    pub platform: &'a str,
    /// The directory `release.sh` wrote (zips, `_SHA256SUMS`, `_SHA256SUMS.sig`, manifest).
    pub dist: &'a Path,
    pub key_id: &'a str,
    pub armored_public_key: &'a str,
}

/// Where the registry's provider service lives on a [`StaticHttps`] (`providers.v1`).
pub const PROVIDERS_V1: &str = "/v1/providers/";
/// Where the release files sit on a [`StaticHttps`] registry.
pub const RELEASE_FILES: &str = "/files/";

impl StaticHttps {
    pub fn start(pki: &Pki) -> StaticHttps {
        let acceptor = TlsAcceptor::from(pki.server_config());
        let files: Files = Arc::default();
        let requested = Arc::new(Mutex::new(Vec::new()));
        let (url_tx, url_rx) = std::sync::mpsc::channel();
        let (stop, stopped) = oneshot::channel();
        let (serving, log) = (Arc::clone(&files), Arc::clone(&requested));
        let thread = std::thread::spawn(move || {
            block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("bind");
                let port = listener.local_addr().expect("address").port();
                url_tx
                    .send(format!("https://127.0.0.1:{port}"))
                    .expect("url sent");
                tokio::select! {
                    _ = stopped => {}
                    _ = accept_loop(listener, acceptor, serving, log) => {}
                }
            });
        });
        StaticHttps {
            url: url_rx.recv().expect("server reported its url"),
            files,
            requested,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// `https://127.0.0.1:<port>`, without a trailing slash.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Serves `body` at `path` (which starts with `/`), replacing what was there; JSON when
    /// the path ends in `.json`.
    pub fn put(&self, path: &str, body: impl Into<Bytes>) {
        let content_type = if path.ends_with(".json") {
            "application/json"
        } else {
            "application/octet-stream"
        };
        self.insert(path, content_type, body.into());
    }

    /// Serves `value` as JSON at `path`.
    pub fn put_json(&self, path: &str, value: &serde_json::Value) {
        self.insert(path, "application/json", Bytes::from(value.to_string()));
    }

    fn insert(&self, path: &str, content_type: &'static str, body: Bytes) {
        self.files
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(path.to_string(), (content_type, body));
    }

    /// Serves every file under `dir` at `<prefix><its path under dir>`.
    pub fn put_dir(&self, prefix: &str, dir: &Path) {
        for entry in std::fs::read_dir(dir).expect("read dir") {
            let entry = entry.expect("dir entry");
            let name = entry.file_name().to_string_lossy().to_string();
            if entry.file_type().expect("file type").is_dir() {
                self.put_dir(&format!("{prefix}{name}/"), &entry.path());
            } else {
                self.put(
                    &format!("{prefix}{name}"),
                    std::fs::read(entry.path()).expect("read file"),
                );
            }
        }
    }

    /// The paths requested so far, in order.
    pub fn requested(&self) -> Vec<String> {
        self.requested
            .lock()
            .map(|paths| paths.clone())
            .unwrap_or_default()
    }

    /// What is served at `path`.
    pub fn get(&self, path: &str) -> Option<Bytes> {
        self.files
            .lock()
            .ok()
            .and_then(|files| files.get(path).map(|(_, body)| body.clone()))
    }

    /// Serves `release` as a providers.v1 registry does at [`PROVIDERS_V1`]: the versions list,
    /// the download answer of its platform (the zip's shasum, the URLs of the zip, of
    /// `SHA256SUMS` and of its signature, and the signing key) and the files of `dist`
    /// under [`RELEASE_FILES`].
    pub fn publish_registry(&self, release: &RegistryRelease) {
        let RegistryRelease {
            provider,
            version,
            platform,
            ..
        } = release;
        let (os, arch) = platform.split_once('_').expect("platform os_arch");
        let r#type = provider.rsplit('/').next().expect("namespace/type");
        let prefix = format!("terraform-provider-{type}_{version}", type = r#type);
        let zip = format!("{prefix}_{platform}.zip");
        let zip_bytes = std::fs::read(release.dist.join(&zip)).expect("release zip");
        self.put_dir(RELEASE_FILES, release.dist);
        let files = format!("{}{RELEASE_FILES}", self.url);
        let api = format!("{PROVIDERS_V1}{provider}");
        self.put_json(
            &format!("{api}/versions"),
            &serde_json::json!({"versions": [{
                "version": version,
                "protocols": ["6.0"],
                "platforms": [{"os": os, "arch": arch}],
            }]}),
        );
        self.put_json(
            &format!("{api}/{version}/download/{os}/{arch}"),
            &serde_json::json!({
                "protocols": ["6.0"],
                "os": os,
                "arch": arch,
                "filename": zip,
                "download_url": format!("{files}{zip}"),
                "shasums_url": format!("{files}{prefix}_SHA256SUMS"),
                "shasums_signature_url": format!("{files}{prefix}_SHA256SUMS.sig"),
                "shasum": sha256_hex(&zip_bytes),
                "signing_keys": {"gpg_public_keys": [{
                    "key_id": release.key_id,
                    "ascii_armor": release.armored_public_key,
                }]},
            }),
        );
    }
}

impl Drop for StaticHttps {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn accept_loop(
    listener: tokio::net::TcpListener,
    acceptor: TlsAcceptor,
    files: Files,
    requested: Arc<Mutex<Vec<String>>>,
) {
    while let Ok((stream, _)) = listener.accept().await {
        let (acceptor, files, requested) =
            (acceptor.clone(), Arc::clone(&files), Arc::clone(&requested));
        tokio::spawn(async move {
            let Ok(stream) = acceptor.accept(stream).await else {
                return;
            };
            let service = hyper::service::service_fn(move |request: Request<Incoming>| {
                let path = request.uri().path().to_string();
                if let Ok(mut paths) = requested.lock() {
                    paths.push(path.clone());
                }
                let found = files
                    .lock()
                    .ok()
                    .and_then(|files| files.get(&path).cloned());
                async move {
                    Ok::<_, Infallible>(match found {
                        Some((content_type, body)) => {
                            let mut response = Response::new(Full::new(body));
                            response.headers_mut().insert(
                                hyper::header::CONTENT_TYPE,
                                hyper::header::HeaderValue::from_static(content_type),
                            );
                            response
                        }
                        None => {
                            let mut missing = Response::new(Full::new(Bytes::from("not found")));
                            *missing.status_mut() = StatusCode::NOT_FOUND;
                            missing
                        }
                    })
                }
            });
            let _ = auto::Builder::new(TokioExecutor::new())
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}
