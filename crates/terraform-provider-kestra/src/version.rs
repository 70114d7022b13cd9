//! The provider's version (the package version, also the release version users pin) and how it
//! introduces itself to Kestra.

/// The provider version, as in `Cargo.toml` and the release artifacts' names.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// `terraform-provider-kestra/<version> Terraform/<terraform version>`: Kestra's access logs and
/// proxies can tell which provider and Terraform made a request. Without a Terraform version
/// (before ConfigureProvider) only the provider is named.
pub fn user_agent(terraform_version: &str) -> String {
    let provider = format!("terraform-provider-kestra/{VERSION}");
    match terraform_version.trim() {
        "" => provider,
        terraform => format!("{provider} Terraform/{terraform}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_agent_names_provider_and_terraform_versions() {
        assert_eq!(
            user_agent("1.15.5"),
            format!("terraform-provider-kestra/{VERSION} Terraform/1.15.5")
        );
        assert_eq!(
            user_agent(""),
            format!("terraform-provider-kestra/{VERSION}")
        );
    }
}
