//! Per-namespace key metadata (description, expiry, revision), listed once per provider process
//! and shared by every resource of that namespace, so refreshing N keys costs N value reads plus
//! one paged listing — not 2N requests. Writes invalidate the namespace they touch.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::OnceCell;

use kestra_kv_client::{Client, Error, KvEntry, ListOptions};

/// The keys of one namespace by name.
pub(crate) type Listing = Arc<HashMap<String, KvEntry>>;
/// `(tenant, namespace)`.
type NamespaceKey = (String, String);

#[derive(Default)]
pub(crate) struct NamespaceMetadata {
    listings: Mutex<HashMap<NamespaceKey, Arc<OnceCell<Listing>>>>,
}

impl NamespaceMetadata {
    /// The metadata of `key`, or `None` when the namespace listing does not hold it (absent or
    /// expired). Concurrent callers for one namespace share a single listing.
    pub(crate) async fn entry(
        &self,
        client: &Client,
        namespace: &str,
        key: &str,
    ) -> Result<Option<KvEntry>, Error> {
        Ok(self.listing(client, namespace).await?.get(key).cloned())
    }

    /// Every live key of a namespace by name, listed once until a write invalidates it.
    pub(crate) async fn listing(&self, client: &Client, namespace: &str) -> Result<Listing, Error> {
        let cell = {
            let mut listings = self.listings.lock().unwrap_or_else(|p| p.into_inner());
            listings
                .entry((client.tenant().to_string(), namespace.to_string()))
                .or_default()
                .clone()
        };
        let listing = cell
            .get_or_try_init(|| async {
                let entries = client.list_all(namespace, ListOptions::default()).await?;
                tracing::debug!(namespace, keys = entries.len(), "listed namespace metadata");
                Ok::<Listing, Error>(Arc::new(
                    entries
                        .into_iter()
                        .map(|entry| (entry.key.clone(), entry))
                        .collect(),
                ))
            })
            .await?;
        Ok(Arc::clone(listing))
    }

    /// Forgets the listing of a namespace after a write to it.
    pub(crate) fn invalidate(&self, tenant: &str, namespace: &str) {
        let mut listings = self.listings.lock().unwrap_or_else(|p| p.into_inner());
        listings.remove(&(tenant.to_string(), namespace.to_string()));
    }
}
