//! The examples shipped in `examples/` (and embedded in `docs/`) are valid configurations for
//! real Terraform 1.15.5 with this provider.

use std::path::Path;

use crate::common::terraform::{TestServer, Workspace, block_on};

fn example(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
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
            example("resources/kestra_kv/import-by-identity.tf"),
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
        &example("resources/kestra_kv/import-by-identity.tf"),
    );
    let plan = ws.ok(&["plan", "-no-color"]);
    assert!(
        plan.stdout
            .contains("1 to import, 0 to add, 0 to change, 0 to destroy"),
        "{}",
        plan.stdout
    );
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
