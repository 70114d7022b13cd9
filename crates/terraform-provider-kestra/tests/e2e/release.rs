//! End to end, real Terraform 1.15.5: the provider as users install it. `scripts/release.sh`
//! builds the Registry layout and a packed filesystem mirror; `terraform init` installs from it
//! (no `dev_overrides`, no registry), locks it and upgrades it to a newer release; the same
//! release also sits beside the official provider under a second address (`kestrakv`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Mutex;

use base64::Engine as _;
use sha2::{Digest, Sha256};
use terraform_provider_kestra::VERSION;
use test_support::registry::sha256_hex;
use test_support::terraform::{TestServer, Workspace, block_on};

const NAME: &str = "terraform-provider-kestra";
const PLATFORM: &str = "linux_amd64";
const OFFICIAL: &str = "registry.terraform.io/kestra-io/kestra";
const SECOND: &str = "registry.terraform.io/acme/kestra";

/// Release builds share `target/<triple>/release`, whose binary each build replaces: one at a time.
static RELEASING: Mutex<()> = Mutex::new(());

pub(crate) fn repo() -> &'static Path {
    test_support::binaries::repo_root()
}

/// Runs `scripts/release.sh` of the source tree `source` into `dist` (and `mirror`, under each
/// of `addresses`), returning what it printed. Every tree builds into the repository's target
/// directory, so a copy only recompiles this crate.
fn release(source: &Path, dist: &Path, mirror: Option<&Path>, addresses: &[&str]) -> String {
    let mut args = vec!["--dist".to_string(), dist.display().to_string()];
    if let Some(mirror) = mirror {
        args.extend(["--mirror".to_string(), mirror.display().to_string()]);
    }
    for address in addresses {
        args.extend(["--address".to_string(), address.to_string()]);
    }
    succeeded(&run_release(source, &args, &[]))
}

/// Runs `scripts/release.sh` of the source tree `source` with `args` and `env`, whatever the
/// outcome.
pub(crate) fn run_release(source: &Path, args: &[String], env: &[(&str, &str)]) -> Output {
    let _one_at_a_time = RELEASING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    Command::new(source.join("scripts/release.sh"))
        .args(args)
        .envs(env.iter().copied())
        .env("CARGO_TARGET_DIR", repo().join("target"))
        .current_dir(source)
        .output()
        .expect("release.sh runs")
}

/// What a successful `release.sh` printed (on stderr), failing the test otherwise.
pub(crate) fn succeeded(output: &Output) -> String {
    assert!(
        output.status.success(),
        "release.sh failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stderr).to_string()
}

fn zip_name(version: &str) -> String {
    format!("{NAME}_{version}_{PLATFORM}.zip")
}

/// Terraform's `h1:` package hash: SHA-256 over the sorted lines `<sha256 hex>  <file name>\n`
/// of the package's files (here the one executable).
pub(crate) fn h1_of_single_file(name: &str, content: &[u8]) -> String {
    let lines = format!("{}  {name}\n", sha256_hex(content));
    format!(
        "h1:{}",
        base64::engine::general_purpose::STANDARD.encode(Sha256::digest(lines.as_bytes()))
    )
}

/// A copy of the source tree (what a fresh checkout elsewhere would hold), with new mtimes.
fn copy_source(into: &Path) -> PathBuf {
    let copy = into.join("checkout");
    std::fs::create_dir_all(&copy).expect("mkdir");
    for entry in [
        "Cargo.toml",
        "Cargo.lock",
        "terraform-registry-manifest.json",
    ] {
        std::fs::copy(repo().join(entry), copy.join(entry)).expect("copy file");
    }
    for dir in ["crates", "scripts"] {
        copy_dir(&repo().join(dir), &copy.join(dir));
    }
    copy
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("dir entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// The workspace's crates, which share the version of `[workspace.package]`.
const WORKSPACE_CRATES: [&str; 5] = [
    "kestra-kv-client",
    "kestra-kv-devserver",
    "terraform-plugin-sdk",
    NAME,
    "test-support",
];

/// Sets the version of every crate of the source tree at `source` (the workspace's version, the
/// path dependencies' requirements and the lock file).
fn bump_version(source: &Path, version: &str) {
    let edit = |file: &str, replacements: &[(String, String)]| {
        let path = source.join(file);
        let mut text = std::fs::read_to_string(&path).expect("read");
        for (from, to) in replacements {
            assert!(text.contains(from.as_str()), "{file} has no {from:?}");
            text = text.replace(from.as_str(), to);
        }
        std::fs::write(&path, text).expect("write");
    };
    let manifest = [(
        format!("version = \"{VERSION}\""),
        format!("version = \"{version}\""),
    )];
    edit("Cargo.toml", &manifest);
    let lock: Vec<_> = WORKSPACE_CRATES
        .iter()
        .map(|name| {
            (
                format!("name = \"{name}\"\nversion = \"{VERSION}\""),
                format!("name = \"{name}\"\nversion = \"{version}\""),
            )
        })
        .collect();
    edit("Cargo.lock", &lock);
}

/// `version` with its patch number one higher: a release newer than this one.
fn next_patch(version: &str) -> String {
    let (major_minor, patch) = version.rsplit_once('.').expect("a semantic version");
    let patch: u64 = patch.parse().expect("a numeric patch");
    format!("{major_minor}.{}", patch + 1)
}

/// The executable Terraform unpacked from the mirror for `address` and `version`.
pub(crate) fn installed(ws: &Workspace, address: &str, version: &str) -> PathBuf {
    ws.path()
        .join(".terraform/providers")
        .join(address)
        .join(version)
        .join(PLATFORM)
        .join(format!("{NAME}_v{version}"))
}

pub(crate) fn reported_version(executable: &Path) -> String {
    let output = Command::new(executable)
        .arg("--version")
        .output()
        .expect("provider runs");
    assert!(output.status.success(), "--version exits 0");
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

/// The `hashes` of the lock file's only provider entry, and its version.
pub(crate) fn lock_entry(ws: &Workspace) -> (String, Vec<String>) {
    let lock = ws.read(".terraform.lock.hcl");
    let version = lock
        .lines()
        .find_map(|line| line.trim().strip_prefix("version     = "))
        .map(|v| v.trim_matches('"').to_string())
        .unwrap_or_else(|| panic!("no version in the lock file:\n{lock}"));
    let hashes = lock
        .split('"')
        .filter(|part| part.starts_with("h1:") || part.starts_with("zh:"))
        .map(str::to_string)
        .collect();
    (version, hashes)
}

fn lock_file(version: &str, hashes: &[String]) -> String {
    let hashes: Vec<String> = hashes.iter().map(|h| format!("    \"{h}\",\n")).collect();
    format!(
        "provider \"{OFFICIAL}\" {{\n  version     = \"{version}\"\n  constraints = \">= 0.1.0\"\n  hashes = [\n{}  ]\n}}\n",
        hashes.concat()
    )
}

const KV_CONFIG: &str = "terraform {\n  required_providers {\n    kestra = {\n      source  = \"kestra-io/kestra\"\n      version = \">= 0.1.0\"\n    }\n  }\n}\n\n\
    resource \"kestra_kv\" \"installed\" {\n  namespace = \"company.team\"\n  key = \"installed\"\n  value = \"from the mirror\"\n}\n";

/// Release, install from the packed mirror, lock, rebuild elsewhere to the same bytes, upgrade.
#[test]
fn release_installs_from_the_mirror_locks_and_upgrades() {
    let work = tempfile::tempdir().expect("temp dir");
    let (dist, mirror) = (work.path().join("dist"), work.path().join("mirror"));
    let printed = release(repo(), &dist, Some(&mirror), &[]);
    assert!(
        printed
            .trim_end()
            .lines()
            .last()
            .is_some_and(|last| last.contains("UNSIGNED") && last.contains("not for a registry")),
        "without --sign the last line says the release is unsigned:\n{printed}"
    );

    // The Registry layout.
    let zip_path = dist.join(zip_name(VERSION));
    let zip = std::fs::read(&zip_path).expect("zip built");
    let manifest = std::fs::read_to_string(dist.join(format!("{NAME}_{VERSION}_manifest.json")))
        .expect("manifest");
    let manifest: serde_json::Value = serde_json::from_str(&manifest).expect("manifest JSON");
    assert_eq!(
        manifest,
        serde_json::json!({"version": 1, "metadata": {"protocol_versions": ["6.0"]}})
    );
    let root_manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("terraform-registry-manifest.json")).expect("read"),
    )
    .expect("root manifest JSON");
    assert_eq!(manifest, root_manifest);
    let sums = std::fs::read_to_string(dist.join(format!("{NAME}_{VERSION}_SHA256SUMS")))
        .expect("SHA256SUMS");
    assert!(
        sums.lines()
            .any(|line| line == format!("{}  {}", sha256_hex(&zip), zip_name(VERSION))),
        "{sums}"
    );
    assert_eq!(sums.lines().count(), 2, "the zip and the manifest:\n{sums}");
    assert_eq!(
        std::fs::read(mirror.join(OFFICIAL).join(zip_name(VERSION))).expect("mirror zip"),
        zip,
        "the mirror holds the release zip"
    );

    // No build machine path is left in the binary: a checkout elsewhere builds the same bytes.
    let binary =
        std::fs::read(repo().join(format!("target/x86_64-unknown-linux-gnu/release/{NAME}")))
            .expect("release binary");
    for path in [repo().display().to_string(), cargo_home()] {
        assert!(
            !binary.windows(path.len()).any(|w| w == path.as_bytes()),
            "the release binary names the build path {path}"
        );
    }
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let copy = copy_source(elsewhere.path());
    release(&copy, &elsewhere.path().join("dist"), None, &[]);
    assert!(
        std::fs::read(elsewhere.path().join("dist").join(zip_name(VERSION))).expect("rebuilt zip")
            == zip,
        "a rebuild of the same version from another checkout gives other zip bytes"
    );

    // `terraform init` from the mirror: an h1: hash of the package, no zh: from a mirror.
    let server = TestServer::start();
    let ws = Workspace::with_mirror(server.url(), &mirror);
    ws.write("main.tf", KV_CONFIG);
    ws.ok(&["init", "-no-color"]);
    let executable = installed(&ws, OFFICIAL, VERSION);
    let unpacked = std::fs::read(&executable).expect("installed executable");
    assert!(
        unpacked == binary,
        "the installed executable is the release binary"
    );
    assert_eq!(reported_version(&executable), format!("{NAME} {VERSION}"));
    let h1 = h1_of_single_file(&format!("{NAME}_v{VERSION}"), &unpacked);
    assert_eq!(lock_entry(&ws), (VERSION.to_string(), vec![h1.clone()]));
    ws.apply();
    let stored = block_on(server.client().get("company.team", "installed")).expect("written");
    assert_eq!(stored.value.to_text(), "from the mirror");
    ws.assert_plan_empty();

    // `terraform providers lock -fs-mirror` records the same hash without installing anything.
    let locker = Workspace::with_mirror(server.url(), &mirror);
    locker.write("main.tf", KV_CONFIG);
    locker.ok(&[
        "providers",
        "lock",
        &format!("-fs-mirror={}", mirror.display()),
        &format!("-platform={PLATFORM}"),
    ]);
    let (locked_version, locked) = lock_entry(&locker);
    assert_eq!(locked_version, VERSION);
    assert!(locked.contains(&h1), "{locked:?}");

    // A lock file listing the zip's checksum (as from a registry) is checked against the mirror.
    let zh = format!("zh:{}", sha256_hex(&zip));
    let seeded = Workspace::with_mirror(server.url(), &mirror);
    seeded.write("main.tf", KV_CONFIG);
    seeded.write(
        ".terraform.lock.hcl",
        &lock_file(VERSION, std::slice::from_ref(&zh)),
    );
    seeded.ok(&["init", "-no-color"]);
    let (_, hashes) = lock_entry(&seeded);
    assert!(hashes.contains(&zh) && hashes.contains(&h1), "{hashes:?}");
    let wrong = Workspace::with_mirror(server.url(), &mirror);
    wrong.write("main.tf", KV_CONFIG);
    wrong.write(
        ".terraform.lock.hcl",
        &lock_file(VERSION, &[format!("zh:{}", sha256_hex(b"another zip"))]),
    );
    let out = wrong.fails(&["init", "-no-color"]).combined();
    let words = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("doesn't match any of the checksums previously recorded"),
        "{out}"
    );

    // A newer release in the mirror: `init -upgrade` moves to it and updates the lock file.
    let newer = &next_patch(VERSION);
    bump_version(&copy, newer);
    release(&copy, &elsewhere.path().join("dist"), Some(&mirror), &[]);
    ws.ok(&["init", "-upgrade", "-no-color"]);
    let executable = installed(&ws, OFFICIAL, newer);
    assert_eq!(
        reported_version(&executable),
        format!("{NAME} {newer}"),
        "the newer release's binary reports its own version"
    );
    let upgraded = std::fs::read(&executable).expect("installed executable");
    assert_eq!(
        lock_entry(&ws),
        (
            newer.to_string(),
            vec![h1_of_single_file(&format!("{NAME}_v{newer}"), &upgraded)]
        )
    );
    ws.assert_plan_empty();
    ws.destroy();
    assert!(
        block_on(server.client().get_opt("company.team", "installed"))
            .expect("get")
            .is_none()
    );
}

fn cargo_home() -> String {
    std::env::var("CARGO_HOME").unwrap_or_else(|_| {
        format!(
            "{}/.cargo",
            std::env::var("HOME").expect("HOME or CARGO_HOME is set")
        )
    })
}

/// The `google-beta` pattern: the official provider stays `kestra` (here this provider stands in
/// for it, as it cannot be installed here) and this one is added as `kestrakv` from a second
/// address whose type is `kestra`, each pointed at its own server. Existing `kestra_kv` state
/// moves over with `terraform state replace-provider` and an empty plan.
#[test]
fn side_by_side_with_the_official_provider_under_a_second_address() {
    let work = tempfile::tempdir().expect("temp dir");
    let mirror = work.path().join("mirror");
    release(
        repo(),
        &work.path().join("dist"),
        Some(&mirror),
        &[OFFICIAL, SECOND],
    );
    let (official, ours) = (TestServer::start(), TestServer::start());
    let providers = "terraform {\n  required_providers {\n    kestra = {\n      source = \"kestra-io/kestra\"\n    }\n    kestrakv = {\n      source = \"acme/kestra\"\n    }\n  }\n}\n\n";

    let ws = Workspace::with_mirror(official.url(), &mirror);
    ws.write(
        "main.tf",
        &format!(
            "{providers}provider \"kestra\" {{\n  url = \"{}\"\n}}\n\nprovider \"kestrakv\" {{\n  url = \"{}\"\n}}\n\n\
             resource \"kestra_kv\" \"official\" {{\n  namespace = \"company.team\"\n  key = \"official\"\n  value = \"1\"\n}}\n\n\
             resource \"kestra_kv\" \"ours\" {{\n  provider  = kestrakv\n  namespace = \"company.team\"\n  key = \"ours\"\n  value = \"2\"\n}}\n",
            official.url(),
            ours.url()
        ),
    );
    ws.ok(&["init", "-no-color"]);
    let lock = ws.read(".terraform.lock.hcl");
    assert!(
        lock.contains(&format!("provider \"{OFFICIAL}\""))
            && lock.contains(&format!("provider \"{SECOND}\"")),
        "{lock}"
    );
    ws.apply();
    ws.assert_plan_empty();
    let holds = |server: &TestServer, key: &str| {
        block_on(server.client().get_opt("company.team", key))
            .expect("get")
            .is_some()
    };
    assert!(holds(&official, "official") && !holds(&official, "ours"));
    assert!(holds(&ours, "ours") && !holds(&ours, "official"));
    let state: serde_json::Value =
        serde_json::from_str(&ws.read("terraform.tfstate")).expect("state");
    let provider_of = |name: &str| {
        state["resources"]
            .as_array()
            .and_then(|rs| rs.iter().find(|r| r["name"] == name))
            .map(|r| r["provider"].as_str().unwrap_or_default().to_string())
            .unwrap_or_default()
    };
    assert_eq!(provider_of("ours"), format!("provider[\"{SECOND}\"]"));
    ws.destroy();

    // Keys managed so far with `kestra-io/kestra` move to `kestrakv` (same Kestra): by address
    // (state rm + import) where the state also holds the official provider's resources, with
    // `state replace-provider` once all it holds of that provider is KV.
    let moving = Workspace::with_mirror(ours.url(), &mirror);
    let key = |name: &str, provider_line: &str| {
        format!(
            "resource \"kestra_kv\" \"{name}\" {{\n{provider_line}  namespace = \"company.team\"\n  key = \"{name}\"\n  value = jsonencode({{ region = \"eu-west-1\" }})\n}}\n"
        )
    };
    let on_kestrakv = "  provider  = kestrakv\n";
    moving.write(
        "main.tf",
        &format!(
            "terraform {{\n  required_providers {{\n    kestra = {{\n      source = \"kestra-io/kestra\"\n    }}\n  }}\n}}\n\n{}{}",
            key("settings", ""),
            key("stays", "")
        ),
    );
    moving.ok(&["init", "-no-color"]);
    moving.apply();

    moving.write(
        "main.tf",
        &format!(
            "{providers}{}{}import {{\n  to       = kestra_kv.settings\n  provider = kestrakv\n  id       = \"company.team/settings\"\n}}\n",
            key("settings", on_kestrakv),
            key("stays", "")
        ),
    );
    moving.ok(&["init", "-no-color"]);
    moving.ok(&["state", "rm", "-no-color", "kestra_kv.settings"]);
    moving.apply_summarised("1 imported, 0 added, 0 changed, 0 destroyed");
    moving.assert_plan_empty();
    let providers_in_state = |ws: &Workspace| {
        let state: serde_json::Value =
            serde_json::from_str(&ws.read("terraform.tfstate")).expect("state");
        state["resources"]
            .as_array()
            .map(|resources| {
                resources
                    .iter()
                    .map(|r| {
                        format!(
                            "{} {}",
                            r["name"].as_str().unwrap_or(""),
                            r["provider"].as_str().unwrap_or("")
                        )
                    })
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    assert_eq!(
        providers_in_state(&moving),
        [
            format!("settings provider[\"{SECOND}\"]"),
            format!("stays provider[\"{OFFICIAL}\"]")
        ]
    );

    moving.write(
        "main.tf",
        &format!(
            "{providers}{}{}",
            key("settings", on_kestrakv),
            key("stays", on_kestrakv)
        ),
    );
    moving.ok(&[
        "state",
        "replace-provider",
        "-auto-approve",
        "-no-color",
        OFFICIAL,
        SECOND,
    ]);
    moving.assert_plan_empty();
    assert_eq!(
        providers_in_state(&moving),
        [
            format!("settings provider[\"{SECOND}\"]"),
            format!("stays provider[\"{SECOND}\"]")
        ]
    );
}
