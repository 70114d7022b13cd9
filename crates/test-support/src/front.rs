//! A loopback HTTP front before a server (the devserver), for tests of what stands between the
//! provider and Kestra: each request is read whole and handed to the test's handler, which
//! answers it itself or passes it on. One request per connection: the front asks the server to
//! close and answers likewise, so no response needs framing.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;

/// One request as the front read it.
pub struct Request {
    /// `GET`, `PUT`, ...
    pub method: String,
    /// Header lines as sent (`connection` replaced by `connection: close`), ending the head.
    head: Vec<u8>,
    body: Vec<u8>,
}

impl Request {
    /// Reads one request; `None` when the connection closed first.
    fn read(reader: &mut impl BufRead) -> Option<Request> {
        let (mut head, mut method, mut length) = (Vec::new(), String::new(), 0usize);
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return None;
            }
            if method.is_empty() {
                method = line.split(' ').next().unwrap_or_default().to_string();
            }
            let lower = line.to_ascii_lowercase();
            if let Some(value) = lower.strip_prefix("content-length:") {
                length = value.trim().parse().expect("content-length");
            }
            if line == "\r\n" {
                head.extend_from_slice(b"connection: close\r\n\r\n");
                break;
            }
            if !lower.starts_with("connection:") {
                head.extend_from_slice(line.as_bytes());
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).expect("read body");
        Some(Request { method, head, body })
    }

    /// The value of header `name` (case-insensitive), trimmed.
    pub fn header(&self, name: &str) -> Option<String> {
        String::from_utf8_lossy(&self.head)
            .lines()
            .find_map(|line| {
                let (key, value) = line.split_once(':')?;
                key.eq_ignore_ascii_case(name)
                    .then(|| value.trim().to_string())
            })
    }
}

/// The server behind the front.
pub struct Upstream {
    address: String,
}

impl Upstream {
    /// Passes `request` on and returns the server's whole response.
    pub fn forward(&self, request: &Request) -> Vec<u8> {
        let mut server = TcpStream::connect(&self.address).expect("connect upstream");
        server.write_all(&request.head).expect("forward head");
        server.write_all(&request.body).expect("forward body");
        let mut response = Vec::new();
        server.read_to_end(&mut response).expect("read response");
        response
    }
}

/// A running front; it lives as long as the test process.
pub struct Front {
    /// `http://127.0.0.1:<port>`
    pub url: String,
    /// `127.0.0.1:<port>`
    pub address: String,
}

impl Front {
    /// Starts a front before `upstream` (a URL), answering each request with what `handle`
    /// returns (the raw response bytes).
    pub fn start(
        upstream: &str,
        handle: impl Fn(Request, &Upstream) -> Vec<u8> + Send + Sync + 'static,
    ) -> Front {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let address = listener.local_addr().expect("address").to_string();
        let upstream = Arc::new(Upstream {
            address: upstream.trim_start_matches("http://").to_string(),
        });
        let handle = Arc::new(handle);
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let (upstream, handle) = (Arc::clone(&upstream), Arc::clone(&handle));
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(client.try_clone().expect("clone stream"));
                    if let Some(request) = Request::read(&mut reader) {
                        let response = handle(request, &upstream);
                        let mut client = client;
                        let _ = client.write_all(&response);
                    }
                });
            }
        });
        Front {
            url: format!("http://{address}"),
            address,
        }
    }
}
