//! `terraform-provider-kestra`: the provider binary Terraform launches.

use std::process::ExitCode;

use terraform_provider_kestra::provider::{HUMAN_HELP, KestraProvider, REGISTRY_ADDRESS, VERSION};
use terraform_provider_kestra::tfplugin::{ServeOptions, serve};

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
        },
    )
}
