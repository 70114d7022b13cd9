//! `terraform-provider-kestra`: the provider binary Terraform launches.

use std::process::ExitCode;

use terraform_provider_kestra::provider::{HUMAN_HELP, KestraProvider, REGISTRY_ADDRESS};
use terraform_provider_kestra::tfplugin::{ServeOptions, serve};

fn main() -> ExitCode {
    serve(
        KestraProvider::new(),
        ServeOptions {
            registry_address: REGISTRY_ADDRESS,
            human_help: HUMAN_HELP,
        },
    )
}
