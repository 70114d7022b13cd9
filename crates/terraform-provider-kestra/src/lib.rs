//! The `kestra` provider: its configuration and the `kestra_kv` family, built on the protocol SDK
//! ([`terraform_plugin_sdk`]) and the typed client ([`kestra_kv_client`]).

mod config;
#[cfg(test)]
mod docs_sync;
mod errors;
mod kv_data_source;
mod kv_ephemeral;
mod kv_list;
mod kv_resource;
mod kvs_data_source;
mod kvs_resource;
mod metadata;
mod validation;
mod value_semantics;
mod version;
mod version_stamp;

use std::sync::{Arc, RwLock};

use kestra_kv_client::Client;
use terraform_plugin_sdk::{
    ConfigureRequest, DataSource, Diagnostics, EphemeralResource, ListResource, Provider, Resource,
    Schema, Value, async_trait,
};

pub use config::{DEFAULT_TENANT, parse_server_url};
use metadata::NamespaceMetadata;
use validation::Address;
pub use version::VERSION;

/// The address users write as `source = "kestra-io/kestra"`.
pub const REGISTRY_ADDRESS: &str = "registry.terraform.io/kestra-io/kestra";

/// What a person sees when running the binary by hand.
pub const HUMAN_HELP: &str = "\
terraform-provider-kestra: a Terraform provider plugin for Kestra's Key-Value store.

It is started by Terraform, not by hand. Use it from a configuration with

  terraform {
    required_providers {
      kestra = { source = \"kestra-io/kestra\" }
    }
  }

and run `terraform init` / `terraform plan`, or point a CLI config's dev_overrides for
registry.terraform.io/kestra-io/kestra at this binary's directory. Start it with --debug to
attach a debugger (it prints a TF_REATTACH_PROVIDERS line to export); --version prints the
provider version.
";

/// The provider, as handed to the SDK server.
pub struct KestraProvider {
    shared: Arc<Shared>,
}

/// State shared by the provider and its resources within one provider process.
pub(crate) struct Shared {
    configured: RwLock<Option<Configured>>,
    metadata: NamespaceMetadata,
}

/// The outcome of ConfigureProvider.
#[derive(Clone)]
pub(crate) struct Configured {
    /// `None` when the configuration still has unknown values (plan time).
    client: Option<Client>,
    /// The provider's default tenant, when known.
    tenant: Option<String>,
    /// Which credentials are in use, for diagnostics.
    credentials: Option<String>,
}

impl Configured {
    /// The client, or a diagnostic saying why no request can be made yet.
    pub(crate) fn client(&self) -> Result<&Client, Diagnostics> {
        self.client.as_ref().ok_or_else(|| {
            let mut diagnostics = Diagnostics::default();
            diagnostics.error(
                "Provider configuration not known yet",
                "The kestra provider's configuration depends on values that are only known after apply, so Kestra cannot be reached during this step. Apply the resources it depends on first (e.g. with -target), or give the provider known values.",
            );
            diagnostics
        })
    }
}

impl Shared {
    /// The configuration, or an error diagnostic if ConfigureProvider has not run.
    pub(crate) fn configured(&self) -> Result<Configured, Diagnostics> {
        let guard = self
            .configured
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        guard.clone().ok_or_else(|| {
            let mut diagnostics = Diagnostics::default();
            diagnostics.error(
                "Provider not configured",
                "Terraform did not configure the kestra provider before using it. This is a bug in Terraform or in the provider.",
            );
            diagnostics
        })
    }

    /// The provider's default tenant, when configured and known.
    pub(crate) fn default_tenant(&self) -> Option<String> {
        self.configured.read().ok()?.as_ref()?.tenant.clone()
    }

    pub(crate) fn metadata(&self) -> &NamespaceMetadata {
        &self.metadata
    }

    /// Everything needed to make requests about `address` (from a config or state): its
    /// namespace and key checked, and a client for its tenant (`tenant_id`, else the provider's).
    pub(crate) fn request_context(
        &self,
        address: Address<'_>,
    ) -> Result<RequestContext, Diagnostics> {
        let diagnostics = validation::location_diagnostics(address);
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        let configured = self.configured()?;
        let client = configured.client()?;
        let client = match address.tenant_id.as_str() {
            Some(tenant) if tenant != client.tenant() => client.with_tenant(tenant),
            _ => client.clone(),
        };
        Ok(RequestContext {
            client,
            credentials: configured.credentials,
        })
    }
}

/// A client bound to one tenant, with what diagnostics need to explain a failed request.
pub(crate) struct RequestContext {
    pub(crate) client: Client,
    credentials: Option<String>,
}

impl RequestContext {
    /// Diagnostics for a request that failed while doing `action` (e.g. "reading key x").
    pub(crate) fn failed(&self, error: &kestra_kv_client::Error, action: &str) -> Diagnostics {
        errors::request_failed_diagnostics(error, action, self.credentials.as_deref())
    }
}

impl KestraProvider {
    pub fn new() -> Arc<KestraProvider> {
        Arc::new(KestraProvider {
            shared: Arc::new(Shared {
                configured: RwLock::new(None),
                metadata: NamespaceMetadata::default(),
            }),
        })
    }
}

#[async_trait]
impl Provider for KestraProvider {
    fn type_name(&self) -> &'static str {
        "kestra"
    }

    fn schema(&self) -> Schema {
        config::schema()
    }

    async fn validate_config(&self, config: &Value) -> Diagnostics {
        config::read_settings(config, false).1
    }

    async fn configure(&self, request: ConfigureRequest) -> Diagnostics {
        let (settings, mut diagnostics) = config::read_settings(&request.config, true);
        let user_agent = version::user_agent(&request.terraform_version);
        let client = match settings.client {
            // After Ctrl-C the client starts no new request: the state then holds what was done.
            Some(client_config) => match Client::new(client_config.with_user_agent(user_agent)) {
                Ok(client) => Some(client.cancelled_by(request.stop.token())),
                Err(error) => {
                    diagnostics.error("Invalid provider configuration", error.to_string());
                    None
                }
            },
            None => None,
        };
        tracing::debug!(
            terraform_version = %request.terraform_version,
            known = client.is_some(),
            "provider configured"
        );
        let configured = Configured {
            client,
            tenant: settings.tenant,
            credentials: settings.credentials,
        };
        *self
            .shared
            .configured
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(configured);
        diagnostics
    }

    fn resources(&self) -> Vec<Arc<dyn Resource>> {
        vec![
            Arc::new(kv_resource::KvResource::new(self.shared.clone())),
            Arc::new(kvs_resource::KvsResource::new(self.shared.clone())),
        ]
    }

    fn data_sources(&self) -> Vec<Arc<dyn DataSource>> {
        vec![
            Arc::new(kv_data_source::KvDataSource::new(self.shared.clone())),
            Arc::new(kvs_data_source::KvsDataSource::new(self.shared.clone())),
        ]
    }

    fn ephemeral_resources(&self) -> Vec<Arc<dyn EphemeralResource>> {
        vec![Arc::new(kv_ephemeral::KvEphemeral::new(
            self.shared.clone(),
        ))]
    }

    fn list_resources(&self) -> Vec<Arc<dyn ListResource>> {
        vec![Arc::new(kv_list::KvList::new(self.shared.clone()))]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use terraform_plugin_sdk::{Attribute, Block};

    /// Names of the schema-sensitive attributes of `block`, nested ones included.
    fn sensitive_attributes(block: &Block) -> Vec<String> {
        fn walk(attributes: &[Attribute], found: &mut Vec<String>) {
            for attribute in attributes {
                if attribute.sensitive {
                    found.push(attribute.name.to_string());
                }
                if let Some(nested) = &attribute.nested {
                    walk(&nested.attributes, found);
                }
            }
        }
        let mut found = Vec::new();
        walk(&block.attributes, &mut found);
        for nested in &block.block_types {
            found.extend(sensitive_attributes(&nested.block));
        }
        found
    }

    /// Recent Terraform (1.15) writes schema-sensitive paths into `sensitive_attributes`; older
    /// minors (1.6) plan an update with no visible change when those marks differ from their own
    /// (issue 16, item 11): a managed resource must have no schema-sensitive attribute.
    #[test]
    fn managed_resources_have_no_schema_sensitive_attribute() {
        for resource in KestraProvider::new().resources() {
            let schema = resource.schema();
            assert_eq!(
                sensitive_attributes(&schema.block),
                Vec::<String>::new(),
                "{}",
                resource.type_name()
            );
        }
    }
}
