//! A whole provider on the SDK: `example_file` keeps a text file as the configuration says; a new
//! `path` replaces it. The SDK's protocol tests drive it over gRPC. With real Terraform: `cargo
//! build -p terraform-plugin-sdk --example terraform-provider-example`, point `dev_overrides` for
//! `registry.terraform.io/example/example` at `target/debug/examples`, and apply
//! `resource "example_file" "hi" { path = "/tmp/hi.txt", content = "Hello" }`.

use std::sync::Arc;

use terraform_plugin_sdk::{
    ApplyResponse, Attr, Attribute, Block, ConfigureRequest, CreateRequest, DeleteRequest,
    DeleteResponse, Diagnostics, FromValue, IntoValue, Number, Provider, ReadRequest, ReadResponse,
    Resource, Schema, ServeOptions, Type, UpdateRequest, Value, async_trait, model, serve,
};

model! {
    /// An `example_file` configuration, plan or state: one field per schema attribute.
    pub struct FileModel {
        pub path: Attr<String>,
        pub content: Attr<String>,
        pub bytes: Attr<Number>,
    }
}

/// The provider: no configuration, one resource type.
pub struct ExampleProvider;

#[async_trait]
impl Provider for ExampleProvider {
    fn type_name(&self) -> &'static str {
        "example"
    }

    fn schema(&self) -> Schema {
        Schema::new(0, Block::new([]))
    }

    async fn configure(&self, _request: ConfigureRequest) -> Diagnostics {
        Diagnostics::default()
    }

    fn resources(&self) -> Vec<Arc<dyn Resource>> {
        vec![Arc::new(FileResource)]
    }
}

/// `example_file`.
pub struct FileResource;

/// The state of a file holding `content`.
fn holding(mut model: FileModel, content: String) -> FileModel {
    model.bytes = Attr::Known(Number::from(content.len() as u64));
    model.content = Attr::Known(content);
    model
}

/// Writes the planned file; on failure, Terraform keeps `prior`.
fn write(planned: Value, prior: Value) -> ApplyResponse {
    let (new_state, diagnostics) = match FileModel::from_value(planned) {
        Err(error) => (prior, error.into()),
        Ok(plan) => {
            let path = plan.path.as_known().cloned().unwrap_or_default();
            let content = plan.content.as_known().cloned().unwrap_or_default();
            match std::fs::write(&path, &content) {
                Ok(()) => (holding(plan, content).into_value(), Diagnostics::new()),
                Err(error) => (
                    prior,
                    Diagnostics::from_error("Cannot write", format!("{path}: {error}")),
                ),
            }
        }
    };
    ApplyResponse {
        new_state,
        diagnostics,
        ..ApplyResponse::default()
    }
}

#[async_trait]
impl Resource for FileResource {
    fn type_name(&self) -> &'static str {
        "example_file"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            0,
            Block::new([
                Attribute::required("path", Type::String)
                    .description("Where the file lives.")
                    .requires_replace(),
                Attribute::required("content", Type::String).description("What the file holds."),
                Attribute::computed("bytes", Type::Number).description("The file's size."),
            ]),
        )
    }

    async fn read(&self, request: ReadRequest) -> ReadResponse {
        let (new_state, diagnostics) = match FileModel::from_value(request.current_state) {
            Err(error) => (Value::Null, error.into()),
            Ok(state) => match std::fs::read_to_string(state.path.as_known().unwrap_or(&"".into()))
            {
                Ok(content) => (holding(state, content).into_value(), Diagnostics::new()),
                // Removed by hand: null makes Terraform plan to create it again.
                Err(_) => (Value::Null, Diagnostics::new()),
            },
        };
        ReadResponse {
            new_state,
            diagnostics,
            private: request.private,
            identity: None,
        }
    }

    async fn create(&self, request: CreateRequest) -> ApplyResponse {
        write(request.planned_state, Value::Null)
    }

    async fn update(&self, request: UpdateRequest) -> ApplyResponse {
        write(request.planned_state, request.prior_state)
    }

    async fn delete(&self, request: DeleteRequest) -> DeleteResponse {
        let path = request.prior_state.get("path").as_str().unwrap_or_default();
        let diagnostics = match std::fs::remove_file(path) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
                Diagnostics::from_error("Cannot remove", format!("{path}: {error}"))
            }
            _ => Diagnostics::new(),
        };
        DeleteResponse {
            diagnostics,
            remaining: None,
        }
    }
}

/// Terraform starts the binary; `serve` does the go-plugin handshake and serves until Shutdown.
fn main() -> std::process::ExitCode {
    let options = ServeOptions {
        registry_address: "registry.terraform.io/example/example",
        human_help: "terraform-provider-example is a Terraform plugin: run it from Terraform.\n",
        log_crates: &[],
    };
    serve(Arc::new(ExampleProvider), options)
}
