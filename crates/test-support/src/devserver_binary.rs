//! The `kestra-kv-devserver` binary run as a child process on a loopback port, for the tests of
//! what only the binary does (flags, its first line, signals); raw HTTP to it through [`Http`].

use std::io::{BufRead, BufReader};
use std::ops::Deref;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use crate::http::Http;

/// The binary (its own package's `CARGO_BIN_EXE_kestra-kv-devserver`, or
/// [`crate::binaries::devserver_binary`] elsewhere) listening on `127.0.0.1:0` (plus
/// `extra_args`); killed when dropped. The requests of [`Http`] are its methods.
pub struct RunningBinary {
    pub child: Child,
    /// The address it announced on its first line.
    pub url: String,
    http: Http,
}

impl RunningBinary {
    pub fn spawn(binary: &Path, extra_args: &[&str]) -> RunningBinary {
        let mut child = Command::new(binary)
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
        let http = Http::to(&url);
        RunningBinary { child, url, http }
    }
}

impl Deref for RunningBinary {
    type Target = Http;

    fn deref(&self) -> &Http {
        &self.http
    }
}

impl Drop for RunningBinary {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
