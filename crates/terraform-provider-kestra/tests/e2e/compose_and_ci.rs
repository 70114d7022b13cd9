//! What cannot run here (no Docker) checked for what it says: `compose.yaml` starts a pinned
//! Kestra OSS image with basic auth and a health check on the KV API, the README names that
//! version, and the CI job starts it and points the scenarios at it (with the same credentials)
//! so that none falls back to a devserver. `.ci/run` lints the workflow itself (actionlint).

fn repository_file(name: &str) -> String {
    let path = test_support::binaries::repo_root().join(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("{} cannot be read: {error}", path.display()))
}

/// The value after `key:` on the first line of `text` that starts (after indentation) with it.
fn value_of<'a>(text: &'a str, key: &str) -> &'a str {
    text.lines()
        .find_map(|line| line.trim_start().strip_prefix(&format!("{key}:")))
        .map(|value| value.trim().trim_matches('"'))
        .unwrap_or_else(|| panic!("no `{key}:` in:\n{text}"))
}

/// The default of a compose interpolation `${NAME:-default}` in `text`.
fn compose_default<'a>(text: &'a str, name: &str) -> &'a str {
    let start = format!("${{{name}:-");
    let from = text
        .find(&start)
        .map(|at| &text[at + start.len()..])
        .unwrap_or_else(|| panic!("no ${{{name}:-…}} in compose.yaml"));
    &from[..from.find('}').expect("closing brace")]
}

/// The block of the job `name` in a workflow: its line and the more indented ones after it.
fn job<'a>(workflow: &'a str, name: &str) -> Vec<&'a str> {
    let mut lines = workflow
        .lines()
        .skip_while(|line| *line != format!("  {name}:"));
    let header = lines.next().unwrap_or_else(|| panic!("no job {name}"));
    std::iter::once(header)
        .chain(lines.take_while(|line| line.is_empty() || line.starts_with("   ")))
        .collect()
}

#[test]
fn compose_pins_kestra_with_basic_auth_and_a_health_check_on_the_kv_api() {
    let compose = repository_file("compose.yaml");
    let image = value_of(&compose, "image");
    assert!(
        image.starts_with("kestra/kestra:${KESTRA_VERSION:-v"),
        "the official image: {image}"
    );
    let version = compose_default(&compose, "KESTRA_VERSION");
    let numbers: Vec<&str> = version.trim_start_matches('v').split('.').collect();
    assert!(
        numbers.len() == 3 && numbers.iter().all(|n| n.parse::<u32>().is_ok()),
        "a pinned release, not a moving tag: {version}"
    );
    assert_eq!(value_of(&compose, "command"), "server local");
    assert!(compose.contains("- \"127.0.0.1:8080:8080\""), "{compose}");
    for setting in ["basic-auth:", "username: \"${KESTRA_ACCEPTANCE_USERNAME:-"] {
        assert!(compose.contains(setting), "{setting} in:\n{compose}");
    }
    let health = &compose[compose.find("healthcheck:").expect("a health check")..];
    assert!(
        health.contains("curl --fail")
            && health.contains("--user")
            && health.contains("/api/v1/main/kv?"),
        "healthy once the KV API answers with the credentials:\n{health}"
    );

    let readme = repository_file("README.md");
    assert!(
        readme.contains(&format!("`kestra/kestra:{version}`")),
        "the README names the Kestra version compose.yaml pins ({version})"
    );
}

#[test]
fn the_ci_job_starts_compose_and_points_the_scenarios_at_it() {
    let compose = repository_file("compose.yaml");
    let workflow = repository_file(".github/workflows/test.yml");
    let job = job(&workflow, "acceptance").join("\n");
    assert_eq!(
        value_of(&job, "KESTRA_ACCEPTANCE_URL"),
        "http://localhost:8080"
    );
    for (variable, name) in [
        ("KESTRA_ACCEPTANCE_USERNAME", "KESTRA_ACCEPTANCE_USERNAME"),
        ("KESTRA_ACCEPTANCE_PASSWORD", "KESTRA_ACCEPTANCE_PASSWORD"),
    ] {
        assert_eq!(
            value_of(&job, variable),
            compose_default(&compose, name),
            "the job logs in with compose.yaml's credentials"
        );
    }
    let up = job
        .find("run: docker compose up --wait")
        .expect("starts compose.yaml and waits for it");
    let run = job
        .find("run: cargo test --test e2e acceptance")
        .expect("runs the acceptance scenarios");
    assert!(up < run, "Kestra is up before the scenarios run");
    for uses in job
        .lines()
        .filter_map(|line| line.trim().strip_prefix("- uses: "))
    {
        let reference = uses.split('@').nth(1).unwrap_or_default();
        let sha = reference.split_whitespace().next().unwrap_or_default();
        assert!(
            sha.len() == 40 && sha.chars().all(|c| c.is_ascii_hexdigit()),
            "pinned by commit: {uses}"
        );
    }
    assert!(
        job.contains("permissions:\n      contents: read"),
        "least privilege:\n{job}"
    );
}
