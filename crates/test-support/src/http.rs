//! Raw HTTP to a devserver, for the tests that check what goes over the wire (statuses, headers,
//! bodies) rather than what the typed Kestra client makes of it: [`Http`] sends requests to any
//! devserver URL (the in-process one or the binary), [`Reply`] is what came back, and
//! [`InProcess`] is an in-process devserver with an [`Http`] to it.

use std::ops::Deref;
use std::sync::Arc;

use kestra_kv_devserver::{Clock, DevServer, DevServerConfig};
use reqwest::{Method, RequestBuilder, StatusCode};
use serde_json::Value;

/// The KV routes of namespace `company.team` in tenant `main`.
pub const KV: &str = "/api/v1/main/namespaces/company.team/kv";

/// One response, read whole.
pub struct Reply {
    pub status: StatusCode,
    headers: reqwest::header::HeaderMap,
    pub text: String,
}

impl Reply {
    /// The body as JSON (`Null` when it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or(Value::Null)
    }

    /// Kestra's error `message` ("" when there is none).
    pub fn message(&self) -> String {
        self.json()["message"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// A response header's raw bytes.
    pub fn header(&self, name: &str) -> Option<&[u8]> {
        self.headers.get(name).map(|value| value.as_bytes())
    }
}

/// Raw HTTP requests to the devserver at one base URL (no proxy, no retries).
pub struct Http {
    base: String,
    client: reqwest::Client,
}

impl Http {
    pub fn to(base: &str) -> Http {
        let client = reqwest::Client::builder()
            .no_proxy()
            .build()
            .expect("client builds");
        Http {
            base: base.to_owned(),
            client,
        }
    }

    /// A request to `path` (below the base URL) to finish by hand: credentials, raw header bytes.
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.client.request(method, format!("{}{path}", self.base))
    }

    pub async fn send(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> Reply {
        let mut request = self.request(method, path);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some(body) = body {
            request = request.body(body.to_owned());
        }
        Self::read(request).await.expect("request completes")
    }

    /// Sends a request built with [`Http::request`] and reads its reply; an error where it does
    /// not complete (a dropped connection).
    pub async fn read(request: RequestBuilder) -> Result<Reply, reqwest::Error> {
        let response = request.send().await?;
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await?;
        Ok(Reply {
            status,
            headers,
            text,
        })
    }

    /// PUT of `body` to key `key` of [`KV`], as text.
    pub async fn put(&self, key: &str, body: &str) -> Reply {
        self.put_with(key, body, &[]).await
    }

    /// PUT as text with more headers (`ttl`, `description`, ...).
    pub async fn put_with(&self, key: &str, body: &str, headers: &[(&str, &str)]) -> Reply {
        let mut all = vec![("content-type", "text/plain")];
        all.extend_from_slice(headers);
        self.put_raw(key, body, &all).await
    }

    /// PUT with exactly these headers: no content type unless one is given.
    pub async fn put_raw(&self, key: &str, body: &str, headers: &[(&str, &str)]) -> Reply {
        self.send(Method::PUT, &format!("{KV}/{key}"), headers, Some(body))
            .await
    }

    /// PUT of `1` to `key` of another namespace.
    pub async fn put_in(&self, namespace: &str, key: &str, headers: &[(&str, &str)]) -> Reply {
        let path = format!("/api/v1/main/namespaces/{namespace}/kv/{key}");
        self.send(Method::PUT, &path, headers, Some("1")).await
    }

    pub async fn get(&self, key: &str) -> Reply {
        self.get_with(key, &[]).await
    }

    /// GET of `key` of [`KV`] with these headers (credentials, cookies, ...).
    pub async fn get_with(&self, key: &str, headers: &[(&str, &str)]) -> Reply {
        self.send(Method::GET, &format!("{KV}/{key}"), headers, None)
            .await
    }

    /// GET of any path below the base URL.
    pub async fn get_path(&self, path: &str) -> Reply {
        self.send(Method::GET, path, &[], None).await
    }

    pub async fn delete(&self, key: &str) -> Reply {
        self.send(Method::DELETE, &format!("{KV}/{key}"), &[], None)
            .await
    }

    /// The bulk DELETE of [`KV`] with a JSON body.
    pub async fn bulk_delete(&self, body: &str) -> Reply {
        self.send(
            Method::DELETE,
            KV,
            &[("content-type", "application/json")],
            Some(body),
        )
        .await
    }

    /// PUT of the admin endpoint that sets the faults (`{}`: none).
    pub async fn put_faults(&self, json: &str) -> Reply {
        self.send(Method::PUT, "/_devserver/faults", &[], Some(json))
            .await
    }

    /// The status line as it is on the wire (HTTP clients hide the reason phrase).
    pub async fn raw_status_line(&self, path: &str) -> String {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let address = self.base.trim_start_matches("http://").to_owned();
        let mut stream = tokio::net::TcpStream::connect(&address)
            .await
            .expect("connects");
        let request =
            format!("GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
        stream
            .write_all(request.as_bytes())
            .await
            .expect("request written");
        let mut response = Vec::new();
        stream
            .read_to_end(&mut response)
            .await
            .expect("response read");
        String::from_utf8_lossy(&response)
            .lines()
            .next()
            .unwrap_or_default()
            .to_owned()
    }
}

/// An in-process devserver and raw HTTP to it: the requests of [`Http`] are its methods.
pub struct InProcess {
    pub server: DevServer,
    http: Http,
}

impl InProcess {
    pub async fn start() -> InProcess {
        InProcess::with(DevServerConfig::default()).await
    }

    pub async fn with(config: DevServerConfig) -> InProcess {
        let server = DevServer::start(config).await.expect("devserver starts");
        InProcess::around(server)
    }

    /// A devserver whose time is `clock`'s (expiries under test control).
    pub async fn on_clock(clock: Arc<dyn Clock>) -> InProcess {
        let server = DevServer::start_with_clock(DevServerConfig::default(), clock)
            .await
            .expect("devserver starts");
        InProcess::around(server)
    }

    fn around(server: DevServer) -> InProcess {
        let http = Http::to(&server.url());
        InProcess { server, http }
    }
}

impl Deref for InProcess {
    type Target = Http;

    fn deref(&self) -> &Http {
        &self.http
    }
}
