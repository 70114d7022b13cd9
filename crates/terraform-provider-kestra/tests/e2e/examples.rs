//! The examples shipped in `examples/` (and embedded in `docs/`) are valid configurations for
//! real Terraform 1.15.5 with this provider, and every example directory runs exactly as copied:
//! against an empty server, or after the precondition its first comment states.

use std::path::Path;

use kestra_kv_client::{KvType, KvValue, PutOptions};
use test_support::terraform::{TestServer, Workspace, block_on};

fn example(relative: &str) -> String {
    let path = test_support::binaries::repo_root()
        .join("examples")
        .join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_example_validates() {
    let server = TestServer::start();
    let provider = example("provider/provider.tf");
    for (name, body) in [
        ("resource", example("resources/kestra_kv/resource.tf")),
        (
            "import by identity",
            example("resources/kestra_kv/import-by-identity/main.tf"),
        ),
        (
            "data source",
            example("data-sources/kestra_kv/data-source.tf"),
        ),
        (
            "kvs data source",
            example("data-sources/kestra_kvs/data-source.tf"),
        ),
        (
            "ephemeral resource",
            example("ephemeral-resources/kestra_kv/ephemeral-resource.tf"),
        ),
        ("quickstart", example("quickstart/main.tf")),
    ] {
        let ws = Workspace::new(server.url());
        if name == "quickstart" {
            ws.write("main.tf", &body);
        } else {
            ws.write("provider.tf", &provider);
            ws.write("example.tf", &body);
        }
        let run = ws.run(&["validate", "-no-color"]);
        assert_eq!(
            run.code,
            0,
            "the {name} example does not validate:\n{}",
            run.combined()
        );
    }
}

/// The resource examples work as copied: the resource example applies on an empty store, the
/// identity-import example adopts an existing key with nothing left to change.
#[test]
fn resource_examples_apply_as_copied() {
    let server = TestServer::start();
    let ws = Workspace::new(server.url());
    ws.config("");
    ws.write("example.tf", &example("resources/kestra_kv/resource.tf"));
    ws.apply();
    ws.assert_plan_empty();

    let url = format!(
        "{}/api/v1/main/namespaces/company.team/kv/feature_flags",
        server.url()
    );
    block_on(async move {
        let response = reqwest::Client::new()
            .put(url)
            .header("content-type", "text/plain")
            .body("{\"beta\": true}")
            .send()
            .await
            .expect("seed");
        assert!(response.status().is_success());
    });
    let ws = Workspace::new(server.url());
    ws.config("");
    ws.write(
        "example.tf",
        &example("resources/kestra_kv/import-by-identity/main.tf"),
    );
    ws.plan_summarised("1 to import, 0 to add, 0 to change, 0 to destroy");
    ws.apply();
    ws.assert_plan_empty();
}

#[test]
fn list_resource_example_validates_as_a_query() {
    let server = TestServer::start();
    let ws = Workspace::new(server.url());
    ws.write("provider.tf", &example("provider/provider.tf"));
    ws.write(
        "list.tfquery.hcl",
        &example("list-resources/kestra_kv/list.tfquery.hcl"),
    );
    let run = ws.run(&["validate", "-query", "-no-color"]);
    assert_eq!(run.code, 0, "{}", run.combined());

    // A bad value in the list block's config is reported on that attribute.
    let bad = example("list-resources/kestra_kv/list.tfquery.hcl")
        .replace("company.team", "Bad Namespace");
    ws.write("list.tfquery.hcl", &bad);
    let out = ws.fails(&["validate", "-query", "-no-color"]).combined();
    assert!(out.contains("Invalid namespace"), "{out}");
    assert!(
        out.contains("namespace = \"Bad Namespace\""),
        "not anchored on the attribute:\n{out}"
    );
}

/// The example directories, each with the test that runs it as copied below.
const EXAMPLE_DIRECTORIES: &[&str] = &[
    "data-sources/kestra_kv",
    "data-sources/kestra_kvs",
    "ephemeral-resources/kestra_kv",
    "list-resources/kestra_kv",
    "provider",
    "quickstart",
    "resources/kestra_kv",
    "resources/kestra_kv/import-by-identity",
    "resources/kestra_kvs",
    "resources/kestra_kvs/migrate-from-kestra_kv",
    "resources/kestra_kvs/upgrade-from-entries",
    "terraform-test",
];

fn examples_root() -> std::path::PathBuf {
    test_support::binaries::repo_root().join("examples")
}

/// Directories under `examples/` holding Terraform files, relative to it.
fn find_example_directories(dir: &Path, found: &mut Vec<String>) {
    let mut holds_terraform = false;
    for entry in std::fs::read_dir(dir).expect("read examples") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            if path.file_name().is_some_and(|name| name != "tests") {
                find_example_directories(&path, found);
            }
        } else if path
            .file_name()
            .and_then(|name| name.to_str())
            .is_some_and(|name| name.ends_with(".tf") || name.ends_with(".tfquery.hcl"))
        {
            holds_terraform = true;
        }
    }
    if holds_terraform {
        let relative = dir.strip_prefix(examples_root()).expect("under examples");
        found.push(relative.display().to_string());
    }
}

#[test]
fn every_example_directory_is_run_as_copied() {
    let mut found = Vec::new();
    find_example_directories(&examples_root(), &mut found);
    found.sort();
    assert_eq!(
        found, EXAMPLE_DIRECTORIES,
        "add a test for each new example"
    );
    for dir in EXAMPLE_DIRECTORIES {
        let terraform_block = std::fs::read_dir(examples_root().join(dir))
            .expect("read example")
            .filter_map(|entry| std::fs::read_to_string(entry.ok()?.path()).ok())
            .any(|text| text.contains("source = \"kestra-io/kestra\""));
        assert!(
            terraform_block,
            "{dir} does not declare required_providers with source kestra-io/kestra"
        );
    }
}

/// A workspace holding a copy of `examples/<dir>` exactly as shipped (subdirectories included).
fn copied(server: &TestServer, dir: &str) -> Workspace {
    let ws = Workspace::new(server.url());
    copy_tree(&examples_root().join(dir), ws.path());
    ws.ok(&["init", "-no-color"]);
    ws
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("read example") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("file name"));
        if path.is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy example file");
        }
    }
}

fn seed(server: &TestServer, namespace: &str, key: &str, kind: KvType, text: &str) {
    block_on(server.client().put(
        namespace,
        key,
        &KvValue::parse(kind, text).expect("valid seed"),
        &PutOptions::default(),
    ))
    .expect("seed");
}

fn server_has(server: &TestServer, namespace: &str, key: &str) -> Option<String> {
    block_on(server.client().get_opt(namespace, key))
        .expect("get")
        .map(|stored| stored.value.to_text())
}

#[test]
fn provider_example_runs_as_copied() {
    let server = TestServer::start();
    let mut ws = copied(&server, "provider");
    ws.set_env("TF_VAR_kestra_password", "secret");
    ws.apply();
}

#[test]
fn quickstart_example_runs_as_copied() {
    let server = TestServer::start();
    let ws = copied(&server, "quickstart");
    ws.apply();
    ws.assert_plan_empty();
    assert_eq!(
        server_has(&server, "company.team", "greeting").as_deref(),
        Some("Hello from Terraform")
    );
}

#[test]
fn resource_example_directory_runs_as_copied() {
    let server = TestServer::start();
    let ws = copied(&server, "resources/kestra_kv");
    let apply = ws.apply();
    assert!(apply.stdout.contains("4 added"), "{}", apply.stdout);
    ws.assert_plan_empty();
    ws.destroy();
    assert_eq!(server_has(&server, "company.team", "greeting"), None);
}

#[test]
fn kvs_resource_example_directory_runs_as_copied() {
    let server = TestServer::start();
    let ws = copied(&server, "resources/kestra_kvs");
    ws.apply_summarised("2 added, 0 changed, 0 destroyed");
    ws.assert_plan_empty();
    assert_eq!(
        server_has(&server, "company.tenants", "replicas_globex").as_deref(),
        Some("5")
    );
    ws.destroy();
    assert_eq!(
        server_has(&server, "company.tenants", "replicas_globex"),
        None
    );
    assert_eq!(server_has(&server, "company.team", "flag_banner"), None);
}

/// The migration example after the precondition its first comment states (`kestra_kv.flag`,
/// count = 3, in state): one resource to add, nothing destroyed, nothing written.
#[test]
fn kvs_migration_example_directory_runs_as_copied() {
    let server = TestServer::start();
    let ws = Workspace::new(server.url());
    ws.config(
        "resource \"kestra_kv\" \"flag\" {\n  count = 3\n  namespace = \"company.team\"\n  key = \"flag_${count.index}\"\n  value = \"on\"\n}\n",
    );
    ws.apply_summarised("3 added, 0 changed, 0 destroyed");
    copy_tree(
        &examples_root().join("resources/kestra_kvs/migrate-from-kestra_kv"),
        ws.path(),
    );
    crate::kvs::adopts_the_keys_without_writing(&ws, &server);
    assert_eq!(
        server_has(&server, "company.team", "flag_2").as_deref(),
        Some("on")
    );
}

/// The upgrade example after the precondition its first comment states (a state written by 0.1
/// with `entries`): no changes, nothing written. On Terraform 1.15 here, 1.6 in `kvs`.
#[test]
fn kvs_upgrade_example_directory_runs_as_copied() {
    crate::kvs::version_zero_state_upgrades_on("1.15");
}

#[test]
fn identity_import_example_directory_runs_as_copied() {
    let server = TestServer::start();
    seed(
        &server,
        "company.team",
        "feature_flags",
        KvType::Json,
        r#"{"beta": true}"#,
    );
    let ws = copied(&server, "resources/kestra_kv/import-by-identity");
    ws.apply_summarised("1 imported, 0 added, 0 changed, 0 destroyed");
    ws.assert_plan_empty();
}

#[test]
fn data_source_example_directories_run_as_copied() {
    let server = TestServer::start();
    seed(
        &server,
        "company.team",
        "settings",
        KvType::Json,
        r#"{"region": "eu-west-1"}"#,
    );
    let ws = copied(&server, "data-sources/kestra_kv");
    ws.apply();
    assert_eq!(ws.output("region"), "eu-west-1");

    seed(
        &server,
        "company.team",
        "feature_dark_mode",
        KvType::Boolean,
        "true",
    );
    let ws = copied(&server, "data-sources/kestra_kvs");
    ws.apply();
    assert_eq!(
        ws.output("feature_keys"),
        serde_json::json!(["company.team/feature_dark_mode"])
    );
}

#[test]
fn ephemeral_resource_example_directory_runs_as_copied() {
    let server = TestServer::start();
    seed(
        &server,
        "company.secrets",
        "db_password",
        KvType::String,
        "s3cret-db",
    );
    let ws = copied(&server, "ephemeral-resources/kestra_kv");
    ws.apply();
    assert_eq!(
        server_has(&server, "company.team", "db_password").as_deref(),
        Some("s3cret-db")
    );
    assert!(!ws.read("terraform.tfstate").contains("s3cret-db"));
}

#[test]
fn list_resource_example_directory_runs_as_copied() {
    let server = TestServer::start();
    seed(
        &server,
        "company.team",
        "app_version",
        KvType::String,
        "1.2.3",
    );
    let ws = copied(&server, "list-resources/kestra_kv");
    let out = ws.ok(&["query", "-no-color"]).combined();
    assert!(out.contains("company.team/app_version"), "{out}");
}

/// `terraform test` runs the example's test files: a plan run and an apply run against the
/// server (which holds nothing afterwards), and a mocked run that needs no server.
#[test]
fn terraform_test_example_runs_as_copied() {
    let server = TestServer::start();
    let mut ws = copied(&server, "terraform-test");
    let out = ws.ok(&["test", "-no-color"]).combined();
    assert!(out.contains("3 passed, 0 failed"), "{out}");
    assert_eq!(server_has(&server, "company.team", "settings"), None);

    ws.set_env("KESTRA_URL", "http://127.0.0.1:1");
    let out = ws
        .ok(&["test", "-no-color", "-filter=tests/kv_mocked.tftest.hcl"])
        .combined();
    assert!(out.contains("1 passed, 0 failed"), "{out}");
}
