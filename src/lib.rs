//! Terraform provider for Kestra's Key-Value store.
//!
//! Three layers with clean seams:
//! - [`tfplugin`]: our Terraform plugin protocol 6 SDK (knows nothing of Kestra);
//! - [`kestra`]: a typed client for Kestra's KV HTTP API (knows nothing of Terraform);
//! - [`provider`]: the `kestra` provider, gluing the two together.
//!
//! `devserver` (cargo feature `devserver`, on by default) is a stand-in for Kestra's KV API used
//! by tests and the quickstart; the provider binary does not need it.

#[cfg(feature = "devserver")]
pub mod devserver;
pub mod kestra;
pub mod provider;
pub mod tfplugin;
