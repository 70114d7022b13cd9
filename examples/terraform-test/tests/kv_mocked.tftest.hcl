# No Kestra needed: the mocked provider answers every request, with these values for the
# attributes Kestra would compute.

mock_provider "kestra" {
  mock_resource "kestra_kv" {
    defaults = {
      type = "NUMBER"
    }
  }
}

run "namespace_comes_from_the_variable" {
  variables {
    namespace = "company.other"
  }

  assert {
    condition     = kestra_kv.replicas.namespace == "company.other" && kestra_kv.replicas.type == "NUMBER"
    error_message = "Every key goes to the namespace given."
  }
}
