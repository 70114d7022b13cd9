//! The client's example (`examples/put_list_delete.rs`) against a devserver: every step it
//! prints happened, and it leaves the namespace as it found it.

#[path = "../../examples/put_list_delete.rs"]
#[allow(dead_code)] // its `main` reads the command line; here the run is called directly
mod put_list_delete;

use kestra_kv_devserver::DevServerConfig;
use test_support::client::served;

#[tokio::test]
async fn the_example_puts_lists_and_deletes_and_leaves_nothing_behind() {
    let (server, client) = served(DevServerConfig::default()).await;
    let seen = put_list_delete::put_list_delete(&client, "company.team")
        .await
        .unwrap();
    assert_eq!(
        seen,
        [
            "get example_greeting: STRING \"Hello, Kestra\"",
            "listed example_answer (expires never)",
            "listed example_greeting (expires in 1h)",
            "deleted example_answer, example_greeting",
            "0 keys left",
        ]
    );
    assert_eq!(server.stats().by_route.put, 2);
    let left = client
        .list_all("company.team", kestra_kv_client::ListOptions::default())
        .await
        .unwrap();
    assert!(left.is_empty(), "{left:?}");
}
