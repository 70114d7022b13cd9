//! [`Gpg`]: a throwaway OpenPGP signing key made per test run in its own `GNUPGHOME` (gpg,
//! RSA as the registries require, no passphrase), for signing releases the way
//! `scripts/release.sh --sign` does in a real release. No secret key is ever committed.

use std::path::Path;
use std::process::{Command, Output};

/// A keyring in a temporary `GNUPGHOME` holding one RSA signing key.
pub struct Gpg {
    home: tempfile::TempDir,
    /// The key's fingerprint, what `GPG_FINGERPRINT` names.
    pub fingerprint: String,
}

impl Gpg {
    /// Generates a fresh RSA key (2048 bits: valid for the registries, quick to make).
    pub fn generate(user: &str) -> Gpg {
        Gpg::generate_with(user, "rsa2048")
    }

    /// Generates a key of `algorithm` as `gpg --quick-gen-key` names it (`rsa2048`, `ed25519`).
    pub fn generate_with(user: &str, algorithm: &str) -> Gpg {
        // A short path: gpg-agent's socket lives in GNUPGHOME and socket paths are limited.
        let home = tempfile::Builder::new()
            .prefix("gpg")
            .tempdir_in("/tmp")
            .expect("GNUPGHOME");
        let mut gpg = Gpg {
            home,
            fingerprint: String::new(),
        };
        gpg.ok(&[
            "--batch",
            "--passphrase",
            "",
            "--quick-gen-key",
            &format!("{user} <{user}@example.test>"),
            algorithm,
            "sign",
            "never",
        ]);
        let listing = String::from_utf8_lossy(
            &gpg.ok(&["--batch", "--with-colons", "--list-secret-keys"])
                .stdout,
        )
        .to_string();
        gpg.fingerprint = listing
            .lines()
            .find_map(|line| line.strip_prefix("fpr:"))
            .and_then(|rest| rest.split(':').find(|field| !field.is_empty()))
            .unwrap_or_else(|| panic!("no fingerprint in\n{listing}"))
            .to_string();
        gpg
    }

    /// The `GNUPGHOME` holding the key.
    pub fn home(&self) -> &Path {
        self.home.path()
    }

    /// The key ID a registry lists beside the key: the fingerprint's last 16 hex digits.
    pub fn key_id(&self) -> &str {
        &self.fingerprint[self.fingerprint.len() - 16..]
    }

    /// The public key, ASCII-armored, as a registry serves it.
    pub fn armored_public_key(&self) -> String {
        String::from_utf8_lossy(
            &self
                .ok(&["--batch", "--armor", "--export", &self.fingerprint])
                .stdout,
        )
        .to_string()
    }

    /// A detached signature of `document` by this key: binary, or ASCII-armored with `armor`.
    pub fn sign(&self, document: &Path, armor: bool) -> Vec<u8> {
        let mut args = vec![
            "--batch",
            "--local-user",
            &self.fingerprint,
            "--output",
            "-",
        ];
        args.push(if armor { "--armor" } else { "--no-armor" });
        args.push("--detach-sign");
        let document = document.display().to_string();
        args.push(&document);
        self.ok(&args).stdout
    }

    fn ok(&self, args: &[&str]) -> Output {
        let output = Command::new("gpg")
            .args(args)
            .env("GNUPGHOME", self.home())
            .output()
            .expect("gpg runs (install GnuPG: the release tests sign with it)");
        assert!(
            output.status.success(),
            "gpg {args:?} failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }
}

impl Drop for Gpg {
    /// Stops the gpg-agent that key generation started for this `GNUPGHOME`.
    fn drop(&mut self) {
        let _ = Command::new("gpgconf")
            .args(["--kill", "gpg-agent"])
            .env("GNUPGHOME", self.home())
            .output();
    }
}
