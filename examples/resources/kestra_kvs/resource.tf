# Feature flags of one team, all in one resource. Each key's type is inferred from its text
# unless `types` names it; `descriptions` and `ttls` list only the keys that have one.
resource "kestra_kvs" "flags" {
  namespace = "company.team"
  prefix    = "flag_"

  values = {
    flag_new_checkout  = "true"
    flag_max_upload_mb = "50"
    flag_banner        = jsonencode({ text = "Maintenance on Sunday", level = "info" })
    flag_release       = "2.0"
    flag_session       = "PT30M"
  }
  types = {
    flag_release = "STRING" # would be inferred as NUMBER
  }
  descriptions = {
    flag_max_upload_mb = "Upload limit in MB"
  }
  ttls = {
    flag_session = "P1D"
  }
}

# Generated keys: one per tenant. `exclusive = true` owns the whole namespace: a key written
# there by anyone else shows as drift and the next apply deletes it.
locals {
  replicas = { acme = 3, globex = 5, initech = 2 }
}

resource "kestra_kvs" "replicas" {
  namespace       = "company.tenants"
  exclusive       = true
  max_concurrency = 32

  values = {
    for tenant, count in local.replicas : "replicas_${tenant}" => tostring(count)
  }
}
