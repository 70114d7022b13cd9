//! The SDK server driven over gRPC loopback (plaintext) with the generated tonic client, one
//! file per RPC group.

mod apply;
mod ephemeral;
mod lifecycle;
mod list;
mod plan;
mod read_import;
mod robustness;
mod schema;
