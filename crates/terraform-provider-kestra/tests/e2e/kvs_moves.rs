//! End to end, real Terraform 1.15.5: keys moved between resources in one apply are never lost
//! (issue 16, item 1). The object a key leaves deletes it in the same apply in which its new
//! owner writes it; Terraform runs both at once. The devserver holds every listing and bulk
//! delete until the new owner's PUT has been served (`Faults::hold_until_put`), so each
//! repetition runs the order that used to lose the key, instead of hoping the race goes that
//! way. Each of the three move patterns is repeated 20 times; after each apply the server holds
//! every key with its new owner's value and the next plan is empty.
//!
//! The `kestra_kvs` configurations are written by [`kvs_hcl`] and read back by [`state_keys`]
//! alone, so a change of the resource's schema changes those two functions only.

use std::collections::BTreeMap;

use super::kvs::{NS, server_keys};
use kestra_kv_devserver::Faults;
use test_support::terraform::{TestServer, Workspace};

const REPETITIONS: usize = 20;

/// A `kestra_kvs` resource holding `keys` (key -> string value), with an optional `prefix`.
pub(crate) fn kvs_hcl(name: &str, prefix: Option<&str>, keys: &BTreeMap<String, String>) -> String {
    let prefix = prefix
        .map(|prefix| format!("  prefix    = {prefix:?}\n"))
        .unwrap_or_default();
    let values: String = keys
        .iter()
        .map(|(key, value)| format!("    {key:?} = {value:?}\n"))
        .collect();
    format!(
        "resource \"kestra_kvs\" {name:?} {{\n  namespace = {NS:?}\n{prefix}  values = {{\n{values}  }}\n}}\n"
    )
}

/// The keys each `kestra_kvs` of `addresses` holds in the state (one `terraform show`).
fn state_keys<const N: usize>(ws: &Workspace, addresses: [&str; N]) -> [Vec<String>; N] {
    let state = ws.state_json();
    let resources = state["values"]["root_module"]["resources"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    addresses.map(|address| {
        resources
            .iter()
            .find(|resource| resource["address"] == address)
            .and_then(|resource| resource["values"]["values"].as_object())
            .map(|values| values.keys().cloned().collect())
            .unwrap_or_default()
    })
}

/// A `kestra_kv` resource named after its key.
fn kv_hcl(key: &str, value: &str) -> String {
    format!(
        "resource \"kestra_kv\" {key:?} {{\n  namespace = {NS:?}\n  key       = {key:?}\n  value     = {value:?}\n}}\n"
    )
}

fn keys_of(names: impl IntoIterator<Item = String>, value: &str) -> BTreeMap<String, String> {
    names
        .into_iter()
        .map(|name| (name, value.to_string()))
        .collect()
}

/// The details of the "Keys left in place" warnings in the output of `terraform apply -json`
/// (whose human form folds similar warnings into one).
fn left_warnings(json_lines: &str) -> Vec<String> {
    json_lines
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|message| message["diagnostic"]["summary"] == "Keys left in place")
        .filter_map(|message| message["diagnostic"]["detail"].as_str().map(str::to_string))
        .collect()
}

/// Applies the configuration `body` with the listings and bulk deletes of the apply held until
/// every key of `moved` was written by its new owner; checks that the old owners saw the new
/// writes and left those keys (named in a warning), that the server then holds `expected`
/// exactly, and that the next plan is empty.
fn move_and_check(
    ws: &Workspace,
    server: &TestServer,
    body: &str,
    moved: &[String],
    expected: &BTreeMap<String, String>,
) {
    ws.config(body);
    ws.ok(&["plan", "-no-color", "-out=move.tfplan"]);
    server.reset_stats();
    server.set_faults(Faults {
        hold_until_put: moved.to_vec(),
        ..Faults::default()
    });
    let applied = ws.run(&["apply", "-json", "move.tfplan"]);
    let stats = server.stats();
    server.set_faults(Faults::default());
    assert_eq!(applied.code, 0, "apply failed:\n{}", applied.combined());
    assert_eq!(
        stats.holds_timed_out, 0,
        "every held request was released by the new owner's PUT ({stats:?})"
    );
    assert_eq!(
        &server_keys(&server.client(), NS),
        expected,
        "no key lost or changed"
    );
    let left = left_warnings(&applied.stdout);
    for key in moved {
        assert!(
            left.iter()
                .any(|detail| detail.contains(&format!("{key:?}"))),
            "the old owner of {key} saw the new owner's write and named it:\n{}",
            applied.stdout
        );
    }
    ws.assert_plan_empty();
}

/// `k<i>` leaves `kestra_kvs.all` and becomes `kestra_kv.k<i>` with another value.
#[test]
fn keys_moved_from_a_kestra_kvs_to_kestra_kv_are_never_lost() {
    let server = TestServer::start();
    let ws = Workspace::new(server.url());
    let names: Vec<String> = (0..REPETITIONS).map(|i| format!("k{i:02}")).collect();
    ws.config(&kvs_hcl("all", None, &keys_of(names.clone(), "old")));
    ws.apply();

    for (i, key) in names.iter().enumerate() {
        let staying = keys_of(names[i + 1..].iter().cloned(), "old");
        let moved = keys_of(names[..=i].iter().cloned(), "new");
        let mut body = kvs_hcl("all", None, &staying);
        for (key, value) in &moved {
            body.push_str(&kv_hcl(key, value));
        }
        let mut expected = staying;
        expected.extend(moved);
        move_and_check(&ws, &server, &body, std::slice::from_ref(key), &expected);
        let [in_all] = state_keys(&ws, ["kestra_kvs.all"]);
        assert!(!in_all.contains(key));
    }
}

/// `a_<i>` moves from `kestra_kvs.all` (no prefix) to `kestra_kvs.a` (`prefix = "a_"`).
#[test]
fn keys_moved_between_kestra_kvs_split_by_prefix_are_never_lost() {
    let server = TestServer::start();
    let ws = Workspace::new(server.url());
    let names: Vec<String> = (0..REPETITIONS).map(|i| format!("a_{i:02}")).collect();
    let mut all = keys_of(names.clone(), "old");
    all.insert("b_other".into(), "old".into());
    let mut a = keys_of(["a_base".to_string()], "new");
    ws.config(&format!(
        "{}{}",
        kvs_hcl("all", None, &all),
        kvs_hcl("a", Some("a_"), &a)
    ));
    ws.apply();

    for key in &names {
        all.remove(key);
        a.insert(key.clone(), "new".into());
        let body = format!(
            "{}{}",
            kvs_hcl("all", None, &all),
            kvs_hcl("a", Some("a_"), &a)
        );
        let mut expected = all.clone();
        expected.extend(a.clone());
        move_and_check(&ws, &server, &body, std::slice::from_ref(key), &expected);
        let [in_all, in_a] = state_keys(&ws, ["kestra_kvs.all", "kestra_kvs.a"]);
        assert!(!in_all.contains(key) && in_a.contains(key));
    }
}

/// A re-partition: in each apply `m<i>` moves from `left` to `right` and `n<i>` from `right`
/// to `left`, so both objects write a key and delete one at once.
#[test]
fn keys_swapped_between_two_kestra_kvs_are_never_lost() {
    let server = TestServer::start();
    let ws = Workspace::new(server.url());
    let mut left = keys_of((0..REPETITIONS).map(|i| format!("m{i:02}")), "left");
    let mut right = keys_of((0..REPETITIONS).map(|i| format!("n{i:02}")), "right");
    ws.config(&format!(
        "{}{}",
        kvs_hcl("left", None, &left),
        kvs_hcl("right", None, &right)
    ));
    ws.apply();

    for i in 0..REPETITIONS {
        let (m, n) = (format!("m{i:02}"), format!("n{i:02}"));
        left.remove(&m);
        right.remove(&n);
        left.insert(n.clone(), "left".into());
        right.insert(m.clone(), "right".into());
        let body = format!(
            "{}{}",
            kvs_hcl("left", None, &left),
            kvs_hcl("right", None, &right)
        );
        let mut expected = left.clone();
        expected.extend(right.clone());
        move_and_check(&ws, &server, &body, &[m.clone(), n.clone()], &expected);
        let [in_left, in_right] = state_keys(&ws, ["kestra_kvs.left", "kestra_kvs.right"]);
        assert!(in_left.contains(&n) && !in_left.contains(&m));
        assert!(in_right.contains(&m) && !in_right.contains(&n));
    }
}
