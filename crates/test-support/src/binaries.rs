//! Where the workspace's binaries and files are, seen from a test or bench executable.
//!
//! Cargo hands `CARGO_BIN_EXE_<name>` only to the tests of the binary's own package, and builds
//! only that package's binaries before running them. Tests of the provider find the provider
//! next to themselves ([`own_binary`]); the one test outside the devserver's package that needs
//! the devserver as a process builds it ([`devserver_binary`]).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The repository root: `docs/`, `examples/`, `scripts/` and `.venv/` are found from here.
pub fn repo_root() -> &'static Path {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .ancestors()
            .nth(2)
            .expect("crates/test-support lies two levels below the repository root")
            .to_path_buf()
    })
}

/// The profile directory (`target/debug`, `target/release`) of the running test or bench
/// executable, which Cargo puts in its `deps/` subdirectory.
pub fn profile_dir() -> PathBuf {
    let executable = std::env::current_exe().expect("the test executable's path");
    executable
        .ancestors()
        .nth(2)
        .expect("test executables live in <target>/<profile>/deps")
        .to_path_buf()
}

/// A binary of the package whose tests or benches are running: Cargo built it before them.
pub fn own_binary(name: &str) -> PathBuf {
    let path = profile_dir().join(name);
    assert!(
        path.is_file(),
        "{} is missing: run this from the package that defines the binary",
        path.display()
    );
    path
}

/// The `kestra-kv-devserver` binary, for tests of other packages. Built once per test process
/// with `cargo build -p kestra-kv-devserver` into `<target>/test-binaries`, a target directory
/// of its own: the outer `cargo test` unifies features across the workspace's dev-dependencies,
/// so building into its directory would rebuild shared dependencies on every run.
pub fn devserver_binary() -> PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            let target = profile_dir()
                .parent()
                .expect("a profile directory lies inside the target directory")
                .join("test-binaries");
            let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
            let output = Command::new(cargo)
                .current_dir(repo_root())
                .args(["build", "--quiet", "--locked", "-p", "kestra-kv-devserver"])
                .args(["--bin", "kestra-kv-devserver"])
                .env("CARGO_TARGET_DIR", &target)
                .output()
                .expect("cargo starts");
            assert!(
                output.status.success(),
                "building kestra-kv-devserver failed:\n{}",
                String::from_utf8_lossy(&output.stderr)
            );
            target.join("debug/kestra-kv-devserver")
        })
        .clone()
}
