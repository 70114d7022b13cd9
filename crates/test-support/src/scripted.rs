//! A scripted loopback HTTP server: it answers canned responses in order and records every
//! request, for the tests of what the Kestra client sends and of how it reads answers the
//! devserver never gives (older Kestra eras, odd bodies); over https with a [`Pki`] certificate.

use std::sync::{Arc, Mutex};

use kestra_kv_client::{Client, ClientConfig};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use crate::client::{client, fast_retry};
use crate::pki::Pki;

/// One request as the server read it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub target: String,
    /// Names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(header, _)| header == name)
            .map(|(_, value)| value.as_str())
    }
}

/// One scripted response.
#[derive(Clone)]
pub struct Canned {
    pub status: u16,
    pub headers: Vec<(&'static str, &'static str)>,
    pub body: &'static str,
}

/// A JSON response.
pub fn json(status: u16, body: &'static str) -> Canned {
    Canned {
        status,
        headers: vec![("content-type", "application/json")],
        body,
    }
}

/// A response with neither headers nor body.
pub fn empty(status: u16) -> Canned {
    Canned {
        status,
        headers: vec![],
        body: "",
    }
}

/// Answers the canned responses in order (the last one repeats), one request per connection.
pub struct Scripted {
    pub url: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
}

impl Scripted {
    /// Over http, at `http://127.0.0.1:<port>`.
    pub async fn start(responses: Vec<Canned>) -> Scripted {
        Scripted::listen(responses, None).await
    }

    /// Over https with the server certificate of `pki`, at `https://localhost:<port>`; a
    /// connection whose TLS handshake fails gets no response (and uses none up).
    pub async fn start_tls(responses: Vec<Canned>, pki: &Pki) -> Scripted {
        Scripted::listen(responses, Some(TlsAcceptor::from(pki.server_config()))).await
    }

    async fn listen(responses: Vec<Canned>, tls: Option<TlsAcceptor>) -> Scripted {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("address").port();
        let url = match tls {
            None => format!("http://127.0.0.1:{port}"),
            Some(_) => format!("https://localhost:{port}"),
        };
        let requests = Arc::new(Mutex::new(Vec::new()));
        let recorded = Arc::clone(&requests);
        tokio::spawn(async move {
            let mut served = 0;
            while let Ok((stream, _)) = listener.accept().await {
                let Some(canned) = responses.get(served).or(responses.last()) else {
                    return;
                };
                match &tls {
                    None => serve_one(stream, canned, &recorded).await,
                    Some(acceptor) => {
                        let Ok(stream) = acceptor.accept(stream).await else {
                            continue;
                        };
                        serve_one(stream, canned, &recorded).await
                    }
                };
                served += 1;
            }
        });
        Scripted { url, requests }
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.requests
            .lock()
            .map(|all| all.clone())
            .unwrap_or_default()
    }

    /// The one request served, failing the test when there were more or none.
    pub fn only_request(&self) -> Recorded {
        let requests = self.requests();
        assert_eq!(requests.len(), 1, "{requests:?}");
        requests
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no request"))
    }

    /// A client configuration for this server, retrying up to three times.
    pub fn config(&self) -> ClientConfig {
        match ClientConfig::from_url(&self.url) {
            Ok(config) => config.with_retry(fast_retry(3)),
            Err(error) => panic!("{error}"),
        }
    }

    pub fn client(&self) -> Client {
        client(self.config())
    }
}

/// Reads one request, records it (before answering, so the client never sees an answer to an
/// unrecorded request) and writes the canned response.
async fn serve_one<S: AsyncRead + AsyncWrite + Unpin>(
    mut stream: S,
    canned: &Canned,
    recorded: &Mutex<Vec<Recorded>>,
) -> Option<()> {
    let mut raw = Vec::new();
    let mut buffer = [0u8; 4096];
    let head_end = loop {
        let read = stream.read(&mut buffer).await.ok()?;
        if read == 0 {
            return None;
        }
        raw.extend_from_slice(buffer.get(..read)?);
        if let Some(position) = raw.windows(4).position(|window| window == b"\r\n\r\n") {
            break position;
        }
    };
    let head = String::from_utf8_lossy(raw.get(..head_end)?).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let target = request_line.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(0);
    let mut body = raw.get(head_end + 4..)?.to_vec();
    while body.len() < length {
        let read = stream.read(&mut buffer).await.ok()?;
        if read == 0 {
            break;
        }
        body.extend_from_slice(buffer.get(..read)?);
    }
    if let Ok(mut all) = recorded.lock() {
        all.push(Recorded {
            method,
            target,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        });
    }
    let mut response = format!(
        "HTTP/1.1 {} Scripted\r\ncontent-length: {}\r\nconnection: close\r\n",
        canned.status,
        canned.body.len()
    );
    for (name, value) in &canned.headers {
        response.push_str(&format!("{name}: {value}\r\n"));
    }
    response.push_str("\r\n");
    response.push_str(canned.body);
    stream.write_all(response.as_bytes()).await.ok()?;
    stream.shutdown().await.ok()
}
