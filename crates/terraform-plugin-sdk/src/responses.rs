//! Constructors for the common shapes of lifecycle responses, so provider code states intent
//! ("keep what we had", "failed with these diagnostics") instead of filling structs by hand.

use super::data_source::ReadDataResponse;
use super::diagnostics::Diagnostics;
use super::resource::{
    ApplyResponse, CreateRequest, DeleteResponse, ImportResponse, ReadRequest, ReadResponse,
    UpdateRequest,
};
use super::schema::Schema;
use super::value::Value;

impl ReadResponse {
    /// The current state, private data and identity, unchanged.
    pub fn keep(request: &ReadRequest) -> ReadResponse {
        ReadResponse {
            new_state: request.current_state.clone(),
            private: request.private.clone(),
            identity: request.identity.clone(),
            diagnostics: Diagnostics::default(),
        }
    }

    /// Adds diagnostics, keeping whatever state the response already holds.
    pub fn with_diagnostics(mut self, diagnostics: Diagnostics) -> ReadResponse {
        self.diagnostics.extend(diagnostics);
        self
    }

    /// Adds one error, keeping whatever state the response already holds.
    pub fn with_error(self, summary: impl Into<String>, detail: impl Into<String>) -> ReadResponse {
        self.with_diagnostics(Diagnostics::from_error(summary, detail))
    }
}

impl ApplyResponse {
    /// What Terraform should keep if a create fails: no object, the planned private data and
    /// identity.
    pub fn failed_create(request: &CreateRequest) -> ApplyResponse {
        ApplyResponse {
            new_state: Value::Null,
            private: request.planned_private.clone(),
            new_identity: request.planned_identity.clone(),
            diagnostics: Diagnostics::default(),
        }
    }

    /// What Terraform should keep if an update fails: the prior state, the planned private data
    /// and identity.
    pub fn failed_update(request: &UpdateRequest) -> ApplyResponse {
        ApplyResponse {
            new_state: request.prior_state.clone(),
            private: request.planned_private.clone(),
            new_identity: request.planned_identity.clone(),
            diagnostics: Diagnostics::default(),
        }
    }

    /// Adds diagnostics, keeping whatever state the response already holds.
    pub fn with_diagnostics(mut self, diagnostics: Diagnostics) -> ApplyResponse {
        self.diagnostics.extend(diagnostics);
        self
    }

    /// Adds one error, keeping whatever state the response already holds (e.g. after
    /// [`ApplyResponse::failed_create`]).
    pub fn with_error(
        self,
        summary: impl Into<String>,
        detail: impl Into<String>,
    ) -> ApplyResponse {
        self.with_diagnostics(Diagnostics::from_error(summary, detail))
    }
}

impl DeleteResponse {
    /// A delete that failed: the object stays as it was.
    pub fn failed(diagnostics: Diagnostics) -> DeleteResponse {
        DeleteResponse {
            diagnostics,
            remaining: None,
        }
    }
}

impl ImportResponse {
    /// An import that found the object: its state (often just enough to read it) and identity,
    /// no private data.
    pub fn imported(state: Value, identity: Option<Value>) -> ImportResponse {
        ImportResponse {
            state,
            private: Vec::new(),
            identity,
            diagnostics: Diagnostics::default(),
        }
    }

    /// An import that failed: no object, only the diagnostics saying why.
    pub fn failed(diagnostics: Diagnostics) -> ImportResponse {
        ImportResponse {
            state: Value::Null,
            private: Vec::new(),
            identity: None,
            diagnostics,
        }
    }
}

impl ReadDataResponse {
    /// A successful read of this object.
    pub fn read(state: Value) -> ReadDataResponse {
        ReadDataResponse {
            state,
            diagnostics: Diagnostics::default(),
        }
    }

    /// A failed read: no object, only the diagnostics saying why.
    pub fn failed(diagnostics: Diagnostics) -> ReadDataResponse {
        ReadDataResponse {
            state: Value::Null,
            diagnostics,
        }
    }
}

impl Schema {
    /// An object of this schema's type with every attribute null (e.g. the start of an import).
    pub fn null_object(&self) -> Value {
        Value::object(
            self.block
                .attributes
                .iter()
                .map(|a| (a.name.clone(), Value::Null)),
        )
    }
}
