//! `terraform-provider-kestra`: the provider binary Terraform launches.

use std::process::ExitCode;

use terraform_plugin_sdk::{ServeOptions, serve};
use terraform_provider_kestra::{HUMAN_HELP, KestraProvider, REGISTRY_ADDRESS, VERSION};

fn main() -> ExitCode {
    if std::env::args().nth(1).as_deref() == Some("--version") {
        println!("terraform-provider-kestra {VERSION}");
        return ExitCode::SUCCESS;
    }
    serve(
        KestraProvider::new(),
        ServeOptions {
            registry_address: REGISTRY_ADDRESS,
            human_help: HUMAN_HELP,
            log_crates: &["terraform_provider_kestra", "kestra_kv_client"],
        },
    )
}
