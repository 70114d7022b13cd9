//! Generated protobuf/gRPC types: `tfplugin6` (Terraform plugin protocol 6.11) and `plugin`
//! (go-plugin's controller, stdio and broker services).

/// Terraform plugin protocol 6.11 messages and the `tfplugin6.Provider` service.
// Generated protobuf code, public only through the hidden `testing` module: exempt from
// `missing_docs` (and the other lints), as its docs are the proto file's.
#[allow(
    clippy::all,
    clippy::pedantic,
    missing_docs,
    rustdoc::all,
    unreachable_pub,
    non_camel_case_types
)]
pub mod tfplugin6 {
    tonic::include_proto!("tfplugin6");
}

/// go-plugin helper services every plugin server exposes.
// Generated protobuf code, like `tfplugin6`: exempt from `missing_docs` and the other lints.
#[allow(
    clippy::all,
    clippy::pedantic,
    missing_docs,
    rustdoc::all,
    unreachable_pub,
    non_camel_case_types
)]
pub mod plugin {
    tonic::include_proto!("plugin");
}
