//! Listing a namespace page by page: the global search, and the deprecated per-namespace list
//! of older Kestra.

use time::OffsetDateTime;

use crate::error::Error;
use crate::model::{KvEntry, WireEntry, WireSearchPage, json_to_u64};

use super::{Client, request};

/// Where a listing is.
pub(super) enum ListPosition {
    Search { page: u32, seen: u64 },
    Done,
}

pub(super) struct ListCursor {
    pub(super) client: Client,
    pub(super) namespace: String,
    pub(super) page_size: u32,
    pub(super) updated_since: Option<OffsetDateTime>,
    pub(super) position: ListPosition,
}

impl ListCursor {
    /// The next page of entries and the cursor after it; `None` once the listing is over.
    pub(super) async fn next_page(mut self) -> Option<(Result<Vec<KvEntry>, Error>, ListCursor)> {
        let ListPosition::Search { page, seen } = self.position else {
            return None;
        };
        self.position = ListPosition::Done;
        let result = match self
            .client
            .search_page(&self.namespace, self.updated_since, page, self.page_size)
            .await
        {
            Ok(found) => {
                let seen = seen.saturating_add(found.count);
                // `total` decides when the server reports it, so a server that serves smaller
                // pages than asked for is still read to the end.
                let more = found.count > 0
                    && match found.total {
                        Some(total) => seen < total,
                        None => found.count >= u64::from(self.page_size),
                    };
                if let (true, Some(next)) = (more, page.checked_add(1)) {
                    self.position = ListPosition::Search { page: next, seen };
                }
                // A server that ignores the namespace filter must not leak other namespaces.
                let mut entries = found.entries;
                entries.retain(|entry| {
                    entry
                        .namespace
                        .as_deref()
                        .is_none_or(|ns| ns == self.namespace)
                });
                Ok(entries)
            }
            Err(error) if page == 1 && matches!(error.status(), Some(404 | 405)) => {
                self.client.legacy_namespace_list(&self.namespace).await
            }
            Err(error) => Err(error),
        };
        Some((result, self))
    }
}

/// One page of the global search.
struct SearchPage {
    entries: Vec<KvEntry>,
    /// Entries the server returned, before any filtering.
    count: u64,
    total: Option<u64>,
}

impl Client {
    async fn search_page(
        &self,
        namespace: &str,
        updated_since: Option<OffsetDateTime>,
        page: u32,
        size: u32,
    ) -> Result<SearchPage, Error> {
        let reply = self
            .send(request::search_page(
                &self.tenant,
                namespace,
                updated_since,
                page,
                size,
            )?)
            .await?;
        let found: WireSearchPage = reply.decode()?;
        let count = u64::try_from(found.results.len()).unwrap_or(u64::MAX);
        let entries = found
            .results
            .into_iter()
            .map(WireEntry::into_entry)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|message| reply.decode_error(message))?;
        Ok(SearchPage {
            entries,
            count,
            total: json_to_u64(found.total.as_ref()),
        })
    }

    /// The deprecated unpaged per-namespace list (E1–E3), sorted like the search.
    async fn legacy_namespace_list(&self, namespace: &str) -> Result<Vec<KvEntry>, Error> {
        let reply = self
            .send(request::namespace_list(&self.tenant, namespace)?)
            .await?;
        let wires: Vec<WireEntry> = reply.decode()?;
        let mut entries = wires
            .into_iter()
            .map(|wire| {
                wire.into_entry().map(|mut entry| {
                    entry.namespace.get_or_insert_with(|| namespace.to_owned());
                    entry
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(|message| reply.decode_error(message))?;
        entries.sort_by(|left, right| left.key.cmp(&right.key));
        Ok(entries)
    }
}
