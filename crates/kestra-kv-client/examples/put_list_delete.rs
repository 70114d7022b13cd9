//! Puts two keys, reads one back, lists them and deletes them, against any Kestra KV API.
//!
//! ```sh
//! cargo run -p kestra-kv-devserver -- --listen 127.0.0.1:8080 &
//! cargo run -p kestra-kv-client --example put_list_delete -- http://127.0.0.1:8080 company.team
//! ```
//!
//! A real Kestra takes credentials from `KESTRA_USERNAME` and `KESTRA_PASSWORD`, or
//! `KESTRA_API_TOKEN`, and a tenant other than `main` from `KESTRA_TENANT`. The keys start with
//! `example_`; whatever the run wrote is deleted before it ends.

use std::process::ExitCode;

use kestra_kv_client::{
    Client, ClientConfig, KvDuration, KvType, KvValue, ListOptions, PutOptions,
};

/// The keys this example writes, all under one prefix so a listing finds exactly them.
const PREFIX: &str = "example_";

/// Puts, reads, lists and deletes in `namespace`; what it saw, one line per step.
pub async fn put_list_delete(
    client: &Client,
    namespace: &str,
) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let greeting = format!("{PREFIX}greeting");
    let answer = format!("{PREFIX}answer");
    let mut seen = Vec::new();

    // A string that expires in an hour, and a typed number (Kestra stores the type).
    let options = PutOptions {
        ttl: Some(KvDuration::parse("PT1H")?),
        description: Some("written by the put_list_delete example".to_owned()),
    };
    client
        .put(
            namespace,
            &greeting,
            &KvValue::string("Hello, Kestra"),
            &options,
        )
        .await?;
    let number = KvValue::parse(KvType::Number, "42")?;
    client
        .put(namespace, &answer, &number, &PutOptions::default())
        .await?;

    let stored = client.get(namespace, &greeting).await?;
    seen.push(format!(
        "get {greeting}: {} {:?}",
        stored.value.kind(),
        stored.value.to_text()
    ));

    // Listing pages through the namespace; the prefix keeps it to this example's keys.
    for entry in client
        .list_all(namespace, ListOptions::with_prefix(PREFIX))
        .await?
    {
        let expires = entry.expiration_date.map_or("never", |_| "in 1h");
        seen.push(format!("listed {} (expires {expires})", entry.key));
    }

    let mut deleted = client.delete_many(namespace, &[greeting, answer]).await?;
    deleted.sort();
    seen.push(format!("deleted {}", deleted.join(", ")));
    let left = client
        .list_all(namespace, ListOptions::with_prefix(PREFIX))
        .await?;
    seen.push(format!("{} keys left", left.len()));
    Ok(seen)
}

/// The client for `url`, with the credentials and tenant the environment names.
fn client_for(url: &str) -> Result<Client, kestra_kv_client::Error> {
    let variable = |name: &str| std::env::var(name).ok().filter(|value| !value.is_empty());
    let mut config = ClientConfig::from_url(url)?;
    if let (Some(username), Some(password)) =
        (variable("KESTRA_USERNAME"), variable("KESTRA_PASSWORD"))
    {
        config = config.with_basic_auth(username, password);
    } else if let Some(token) = variable("KESTRA_API_TOKEN") {
        config = config.with_bearer_token(token);
    }
    if let Some(tenant) = variable("KESTRA_TENANT") {
        config = config.with_tenant(tenant);
    }
    Client::new(config)
}

#[allow(dead_code)] // the client's tests include this file for `put_list_delete` alone
#[tokio::main]
async fn main() -> ExitCode {
    let mut arguments = std::env::args().skip(1);
    let url = arguments
        .next()
        .unwrap_or("http://127.0.0.1:8080".to_owned());
    let namespace = arguments.next().unwrap_or("company.team".to_owned());
    let outcome = match client_for(&url) {
        Ok(client) => put_list_delete(&client, &namespace).await,
        Err(error) => Err(error.into()),
    };
    match outcome {
        Ok(seen) => {
            seen.iter().for_each(|line| println!("{line}"));
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("put_list_delete against {url} failed: {error}");
            ExitCode::FAILURE
        }
    }
}
