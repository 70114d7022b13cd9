//! Compiles `proto/*.proto` with protox (pure Rust, no system protoc) and generates the tonic
//! server and client stubs into OUT_DIR; `src/wire.rs` includes them.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    const PROTOS: [&str; 2] = ["proto/tfplugin6.proto", "proto/plugin.proto"];
    for proto in PROTOS {
        println!("cargo:rerun-if-changed={proto}");
    }
    println!("cargo:rerun-if-changed=build.rs");

    let descriptors = protox::compile(PROTOS, ["proto"])?;
    tonic_prost_build::configure()
        .build_server(true)
        // Clients are used by the integration tests and the benchmark to drive the server.
        .build_client(true)
        // The crate's tonic has no transport feature; callers bring their own channel.
        .build_transport(false)
        .emit_rerun_if_changed(false)
        .compile_fds(descriptors)?;
    Ok(())
}
