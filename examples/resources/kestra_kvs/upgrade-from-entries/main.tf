# Needs first: a state of `kestra_kvs.settings` written by 0.1, whose `entries` was the map
# below. The state upgrades in place: with `entries` rewritten as these `for` expressions, the
# plan shows no changes and the apply writes nothing.
locals {
  # The map that used to be `entries`, unchanged.
  entries = {
    max_retries = { value = "3" }
    version     = { value = "2.0", type = "STRING", description = "Pinned release" }
    session     = { value = "PT30M", ttl = "P1D" }
    limits      = { value = jsonencode({ cpu = 2 }), type = "JSON" }
  }
}

resource "kestra_kvs" "settings" {
  namespace = "company.team"

  values       = { for k, e in local.entries : k => e.value }
  types        = { for k, e in local.entries : k => e.type if try(e.type, null) != null }
  descriptions = { for k, e in local.entries : k => e.description if try(e.description, null) != null }
  ttls         = { for k, e in local.entries : k => e.ttl if try(e.ttl, null) != null }
}
