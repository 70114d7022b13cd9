# The README quickstart: typed keys written to a Kestra KV store (here kestra-kv-devserver),
# read back through the data source.
terraform {
  required_providers {
    kestra = { source = "kestra-io/kestra" }
  }
}

provider "kestra" {
  # url comes from KESTRA_URL, set by scripts/quickstart.sh
}

locals {
  keys = {
    greeting   = { value = "Hello from Terraform", type = null }
    replicas   = { value = "3", type = null }
    ratio      = { value = "0.75", type = "NUMBER" }
    enabled    = { value = "true", type = null }
    release_at = { value = "2026-12-01T09:30:00Z", type = null }
    launch_day = { value = "2026-12-01", type = "DATE" }
    timeout    = { value = "P3DT3H2M1S", type = "DURATION" }
    settings   = { value = jsonencode({ region = "eu-west-1", zones = ["a", "b"] }), type = "JSON" }
  }
}

resource "kestra_kv" "example" {
  for_each    = local.keys
  namespace   = "company.team"
  key         = each.key
  value       = each.value.value
  type        = each.value.type
  description = "written by the quickstart"
}

data "kestra_kv" "timeout" {
  namespace  = "company.team"
  key        = "timeout"
  depends_on = [kestra_kv.example]
}

output "written" {
  value = { for k, kv in kestra_kv.example : k => "${kv.type} ${kv.value}" }
}

output "timeout_as_kestra_renders_it" {
  value = "${data.kestra_kv.timeout.type} ${data.kestra_kv.timeout.value} (revision ${data.kestra_kv.timeout.revision})"
}
