//! End to end, real Terraform 1.6 and 1.15: the provider as the registries publish it. A release
//! built and signed by `scripts/release.sh --sign` (a throwaway RSA key per test) is served by a
//! providers.v1 registry on loopback over HTTPS (a test CA trusted through `SSL_CERT_FILE`; the
//! CLI configuration's `host` block names the service, so no DNS and no `/.well-known`), and by a
//! provider network mirror (`release.sh --network-mirror`). `terraform init` verifies the
//! signature and locks the hashes; every kind of tampering is refused with Terraform's own words.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::release::{
    h1_of_single_file, installed, lock_entry, repo, reported_version, run_release, succeeded,
};
use terraform_provider_kestra::VERSION;
use test_support::gpg::Gpg;
use test_support::pki::Pki;
use test_support::registry::{PROVIDERS_V1, RELEASE_FILES, RegistryRelease, StaticHttps};
use test_support::terraform::{TestServer, Workspace, block_on};

const NAME: &str = "terraform-provider-kestra";
const PLATFORM: &str = "linux_amd64";
/// The registry's hostname: only the CLI configuration's `host` block knows it.
const HOST: &str = "registry.example.test";
const PROVIDER: &str = "kestra-io/kestra";

/// A release signed by a fresh key, with its network mirror, and the CA the servers use.
struct SignedRelease {
    work: tempfile::TempDir,
    key: Gpg,
    pki: Pki,
}

impl SignedRelease {
    /// Runs `release.sh --sign --network-mirror` (under `HOST/PROVIDER` and the Terraform
    /// Registry's address) with a key generated for this test.
    fn build() -> SignedRelease {
        let release = SignedRelease {
            work: tempfile::tempdir().expect("temp dir"),
            key: Gpg::generate("release"),
            pki: Pki::generate(),
        };
        let args = [
            "--sign",
            "--dist",
            &release.dist().display().to_string(),
            "--network-mirror",
            &release.network_mirror().display().to_string(),
            "--address",
            &format!("registry.terraform.io/{PROVIDER}"),
        ]
        .map(str::to_string);
        let home = release.key.home().display().to_string();
        let printed = succeeded(&run_release(
            repo(),
            &args,
            &[
                ("GPG_FINGERPRINT", &release.key.fingerprint),
                ("GNUPGHOME", &home),
            ],
        ));
        assert!(
            printed.trim_end().ends_with(&format!(
                "signed by {}: ready for a registry (upload every file of this version in {})",
                release.key.fingerprint,
                release.dist().display()
            )),
            "{printed}"
        );
        std::fs::write(release.work.path().join("ca.pem"), &release.pki.ca_pem).expect("CA file");
        release
    }

    fn dist(&self) -> PathBuf {
        self.work.path().join("dist")
    }

    fn network_mirror(&self) -> PathBuf {
        self.work.path().join("network-mirror")
    }

    fn file(&self, suffix: &str) -> PathBuf {
        self.dist().join(format!("{NAME}_{VERSION}_{suffix}"))
    }

    fn sums(&self) -> String {
        std::fs::read_to_string(self.file("SHA256SUMS")).expect("SHA256SUMS")
    }

    /// `zh:` + the hash of every line of `SHA256SUMS`.
    fn zh_of_every_line(&self) -> BTreeSet<String> {
        self.sums()
            .lines()
            .map(|line| format!("zh:{}", line.split_whitespace().next().unwrap_or_default()))
            .collect()
    }

    /// Serves this release, as it was built, from the registry `server`.
    fn publish(&self, server: &StaticHttps) {
        server.publish_registry(&RegistryRelease {
            provider: PROVIDER,
            version: VERSION,
            platform: PLATFORM,
            dist: &self.dist(),
            key_id: self.key.key_id(),
            armored_public_key: &self.key.armored_public_key(),
        });
    }

    /// A workspace of Terraform `minor` that trusts the test CA and whose CLI configuration
    /// holds `cli_config`, using `source` for `kestra`.
    fn workspace(
        &self,
        minor: &str,
        kestra: &TestServer,
        cli_config: &str,
        source: &str,
    ) -> Workspace {
        let mut ws = Workspace::with_cli_config(kestra.url(), cli_config).on_terraform(minor);
        ws.set_env(
            "SSL_CERT_FILE",
            &self.work.path().join("ca.pem").display().to_string(),
        );
        ws.write(
            "main.tf",
            &format!(
                "terraform {{\n  required_providers {{\n    kestra = {{\n      source  = \"{source}\"\n      version = \"{VERSION}\"\n    }}\n  }}\n}}\n\n\
                 resource \"kestra_kv\" \"published\" {{\n  namespace = \"company.team\"\n  key = \"published\"\n  value = \"from a registry\"\n}}\n"
            ),
        );
        ws
    }

    /// A workspace installing from the registry `server` (named by the `host` block).
    fn registry_workspace(
        &self,
        minor: &str,
        kestra: &TestServer,
        server: &StaticHttps,
    ) -> Workspace {
        let cli_config = format!(
            "host \"{HOST}\" {{\n  services = {{\n    \"providers.v1\" = \"{}{PROVIDERS_V1}\"\n  }}\n}}\n\n\
             provider_installation {{\n  direct {{}}\n}}\n",
            server.url()
        );
        self.workspace(minor, kestra, &cli_config, &format!("{HOST}/{PROVIDER}"))
    }
}

/// `terraform init` that fails, with its output on one line (Terraform wraps its messages).
/// A file served in place of the release's: its path and its body.
type Served = (String, Vec<u8>);

fn init_fails(ws: &Workspace) -> String {
    let out = ws.fails(&["init", "-no-color"]).combined();
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn hashes(ws: &Workspace) -> BTreeSet<String> {
    let (version, hashes) = lock_entry(ws);
    assert_eq!(version, VERSION);
    hashes.into_iter().collect()
}

/// The signed release installs from the registry: signature checked, `h1:` of the package and a
/// `zh:` for every line of `SHA256SUMS` locked (`providers lock` records the same); a tampered
/// zip (also with the registry's checksum changed to match it), an edited `SHA256SUMS`, a
/// signature by another key and an armored signature each fail.
fn installs_from_a_registry_and_refuses_tampering(minor: &str) {
    let release = SignedRelease::build();
    let server = StaticHttps::start(&release.pki);
    release.publish(&server);
    let kestra = TestServer::start();

    let ws = release.registry_workspace(minor, &kestra, &server);
    let out = ws.ok(&["init", "-no-color"]).combined();
    let words = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains(&format!("Installed {HOST}/{PROVIDER} v{VERSION}"))
            && words.contains(release.key.key_id()),
        "init names the version and the signing key:\n{out}"
    );
    assert!(
        !server
            .requested()
            .iter()
            .any(|path| path.starts_with("/.well-known")),
        "the host block names the service: {:?}",
        server.requested()
    );
    let executable = installed(&ws, &format!("{HOST}/{PROVIDER}"), VERSION);
    assert_eq!(reported_version(&executable), format!("{NAME} {VERSION}"));
    let unpacked = std::fs::read(&executable).expect("installed executable");
    let h1 = h1_of_single_file(&format!("{NAME}_v{VERSION}"), &unpacked);
    let mut expected = release.zh_of_every_line();
    expected.insert(h1);
    assert_eq!(
        hashes(&ws),
        expected,
        "the lock file: h1 and a zh per line of\n{}",
        release.sums()
    );
    ws.apply();
    let stored = block_on(kestra.client().get("company.team", "published")).expect("written");
    assert_eq!(stored.value.to_text(), "from a registry");

    let locker = release.registry_workspace(minor, &kestra, &server);
    locker.ok(&[
        "providers",
        "lock",
        "-no-color",
        &format!("-platform={PLATFORM}"),
    ]);
    assert_eq!(hashes(&locker), expected, "providers lock records the same");

    // Each tampering, served in place of the signed file, then the release restored.
    let zip = release.file(&format!("{PLATFORM}.zip"));
    let sums = release.file("SHA256SUMS");
    let served = |path: &Path| {
        format!(
            "{RELEASE_FILES}{}",
            path.file_name().expect("file name").to_string_lossy()
        )
    };
    let mut tampered_zip = std::fs::read(&zip).expect("zip");
    let last = tampered_zip.len() - 1;
    tampered_zip[last] ^= 0xff;
    let edited_sums = release
        .sums()
        .lines()
        .map(|line| match line.split_once("  ") {
            Some((_, name)) if name.ends_with("_manifest.json") => {
                format!("{}  {name}", "0".repeat(64))
            }
            _ => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n";
    let another_key = Gpg::generate("another");
    let download = format!("{PROVIDERS_V1}{PROVIDER}/{VERSION}/download/linux/amd64");
    let mut lying_download: serde_json::Value =
        serde_json::from_slice(&server.get(&download).expect("download answer")).expect("JSON");
    lying_download["shasum"] = test_support::registry::sha256_hex(&tampered_zip).into();
    let signature = format!("{}.sig", served(&sums));
    // (what, the files served instead, Terraform's words)
    let cases: [(&str, Vec<Served>, &str); 5] = [
        (
            "a tampered zip",
            vec![(served(&zip), tampered_zip.clone())],
            "archive has incorrect checksum",
        ),
        (
            "a tampered zip whose checksum the registry also changed",
            vec![
                (served(&zip), tampered_zip),
                (download.clone(), lying_download.to_string().into_bytes()),
            ],
            "checksum list has unexpected SHA-256 hash",
        ),
        (
            "an edited SHA256SUMS",
            vec![(served(&sums), edited_sums.into_bytes())],
            "error checking signature: openpgp: invalid signature",
        ),
        (
            "a signature by another key",
            vec![(signature.clone(), another_key.sign(&sums, false))],
            "authentication signature from unknown issuer",
        ),
        (
            "an armored signature",
            vec![(signature.clone(), release.key.sign(&sums, true))],
            "error checking signature: openpgp: invalid data",
        ),
    ];
    for (what, files, message) in cases {
        for (path, body) in files {
            server.put(&path, body);
        }
        let refused = release.registry_workspace(minor, &kestra, &server);
        let out = init_fails(&refused);
        assert!(out.contains(message), "{what}: {out}");
        assert!(
            !refused.path().join(".terraform.lock.hcl").exists(),
            "{what}: nothing locked"
        );
        release.publish(&server);
    }
    ws.destroy();
}

/// The same release through `network_mirror` over HTTPS: the mirror's `h1:` is the package's,
/// Terraform checks it, and locks what the mirror lists.
fn installs_from_a_network_mirror(minor: &str) {
    let release = SignedRelease::build();
    let server = StaticHttps::start(&release.pki);
    server.put_dir("/mirror/", &release.network_mirror());
    let kestra = TestServer::start();
    let cli_config = format!(
        "provider_installation {{\n  network_mirror {{\n    url = \"{}/mirror/\"\n  }}\n}}\n",
        server.url()
    );
    let ws = release.workspace(minor, &kestra, &cli_config, PROVIDER);
    ws.ok(&["init", "-no-color"]);
    let address = format!("registry.terraform.io/{PROVIDER}");
    let unpacked = std::fs::read(installed(&ws, &address, VERSION)).expect("installed");
    let h1 = h1_of_single_file(&format!("{NAME}_v{VERSION}"), &unpacked);
    let listing: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            release
                .network_mirror()
                .join(&address)
                .join(format!("{VERSION}.json")),
        )
        .expect("version listing"),
    )
    .expect("JSON");
    let zip = std::fs::read(release.file(&format!("{PLATFORM}.zip"))).expect("zip");
    assert_eq!(
        listing["archives"][PLATFORM],
        serde_json::json!({
            "url": format!("{NAME}_{VERSION}_{PLATFORM}.zip"),
            "hashes": [h1, format!("zh:{}", test_support::registry::sha256_hex(&zip))],
        })
    );
    // The mirror's hashes are not signed: Terraform locks only the one it checked, the h1:.
    assert_eq!(hashes(&ws), BTreeSet::from([h1.clone()]));
    ws.apply();
    ws.destroy();

    // A listing whose h1: is not the package's is refused.
    let wrong = serde_json::json!({"archives": {PLATFORM: {
        "url": format!("{NAME}_{VERSION}_{PLATFORM}.zip"),
        "hashes": [h1_of_single_file("another", b"executable")],
    }}});
    server.put_json(&format!("/mirror/{address}/{VERSION}.json"), &wrong);
    let refused = release.workspace(minor, &kestra, &cli_config, PROVIDER);
    let out = init_fails(&refused);
    assert!(
        out.contains(&format!(
            "provider package doesn't match the expected checksum \"{}\"",
            wrong["archives"][PLATFORM]["hashes"][0]
                .as_str()
                .unwrap_or_default()
        )),
        "{out}"
    );
}

#[test]
fn registry_installs_signed_release_on_terraform_1_6() {
    installs_from_a_registry_and_refuses_tampering("1.6");
}

#[test]
fn registry_installs_signed_release_on_terraform_1_15() {
    installs_from_a_registry_and_refuses_tampering("1.15");
}

#[test]
fn network_mirror_over_https_on_terraform_1_6() {
    installs_from_a_network_mirror("1.6");
}

#[test]
fn network_mirror_over_https_on_terraform_1_15() {
    installs_from_a_network_mirror("1.15");
}

/// `--sign` without a usable key is a clear error before anything reaches `dist/`: no
/// `GPG_FINGERPRINT`, a fingerprint the keyring lacks, and an ECC key (which the registries
/// refuse; found once the signature is made, in the temporary directory). The previous release
/// of this version in `dist/` is left as it was.
#[test]
fn signing_without_a_usable_key_fails_and_leaves_dist_alone() {
    let work = tempfile::tempdir().expect("temp dir");
    let dist = work.path().join("dist");
    std::fs::create_dir_all(&dist).expect("dist");
    let previous = dist.join(format!("{NAME}_{VERSION}_SHA256SUMS"));
    std::fs::write(&previous, "the previous release\n").expect("write");
    let ecc = Gpg::generate_with("ecc", "ed25519");
    let home = ecc.home().display().to_string();
    let missing = "0123456789ABCDEF0123456789ABCDEF01234567".to_string();
    // (what, GPG_FINGERPRINT, the error): an empty GPG_FINGERPRINT is an unset one.
    let cases = [
        (
            "no GPG_FINGERPRINT",
            "",
            "--sign needs GPG_FINGERPRINT".to_string(),
        ),
        (
            "a key not in the keyring",
            missing.as_str(),
            format!("no secret key {missing} in the keyring {home}"),
        ),
        (
            "an ECC key",
            ecc.fingerprint.as_str(),
            "the Terraform Registry takes RSA or DSA keys only".to_string(),
        ),
    ];
    for (what, fingerprint, message) in cases {
        let output = run_release(
            repo(),
            &[
                "--sign".to_string(),
                "--dist".to_string(),
                dist.display().to_string(),
            ],
            &[("GPG_FINGERPRINT", fingerprint), ("GNUPGHOME", &home)],
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            !output.status.success(),
            "{what}: release.sh succeeded\n{stderr}"
        );
        assert!(stderr.contains(&message), "{what}: {stderr}");
        let left: Vec<_> = std::fs::read_dir(&dist)
            .expect("dist")
            .map(|entry| entry.expect("entry").file_name())
            .collect();
        assert_eq!(
            left,
            [previous.file_name().expect("name")],
            "{what}: dist/ changed"
        );
        assert_eq!(
            std::fs::read_to_string(&previous).expect("read"),
            "the previous release\n",
            "{what}"
        );
    }
}

/// `index.json` of a network mirror keeps the versions released into it before: a second
/// version laid out into the same directory is listed beside the first.
#[test]
fn network_mirror_index_keeps_earlier_versions() {
    let release = SignedRelease::build();
    let dir = release
        .network_mirror()
        .join(format!("registry.terraform.io/{PROVIDER}"));
    let index = |dir: &Path| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(dir.join("index.json")).expect("index"))
            .expect("JSON")
    };
    assert_eq!(index(&dir), serde_json::json!({"versions": {VERSION: {}}}));
    let newer = dir.join(format!("{NAME}_9.9.9_{PLATFORM}.zip"));
    std::fs::copy(release.file(&format!("{PLATFORM}.zip")), &newer).expect("copy");
    let output = std::process::Command::new(repo().join(".venv/bin/python"))
        .arg(repo().join("scripts/network_mirror.py"))
        .arg(&dir)
        .arg("9.9.9")
        .arg(&newer)
        .output()
        .expect("network_mirror.py runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        index(&dir),
        serde_json::json!({"versions": {VERSION: {}, "9.9.9": {}}})
    );
    assert!(dir.join(format!("{VERSION}.json")).is_file() && dir.join("9.9.9.json").is_file());
}
