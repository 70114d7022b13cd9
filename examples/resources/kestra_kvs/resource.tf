# Feature flags of one team, all in one resource; `type` is inferred when omitted.
resource "kestra_kvs" "flags" {
  namespace = "company.team"
  prefix    = "flag_"

  entries = {
    flag_new_checkout  = { value = "true" }
    flag_max_upload_mb = { value = "50", description = "Upload limit in MB" }
    flag_banner = {
      value = jsonencode({ text = "Maintenance on Sunday", level = "info" })
      type  = "JSON"
    }
    flag_session = { value = "PT30M", type = "DURATION", ttl = "P1D" }
  }
}

# Generated entries: one key per tenant. `exclusive = true` owns the whole namespace: a key
# written there by anyone else shows as drift and the next apply deletes it.
locals {
  replicas = { acme = 3, globex = 5, initech = 2 }
}

resource "kestra_kvs" "replicas" {
  namespace       = "company.tenants"
  exclusive       = true
  max_concurrency = 32

  entries = {
    for tenant, count in local.replicas : "replicas_${tenant}" => {
      value = tostring(count)
      type  = "NUMBER"
    }
  }
}
