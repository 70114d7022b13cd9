# Needs: the key company.team/feature_flags holding {"beta": true} (this adopts it).
# Adopt a key that already exists in Kestra by its identity (Terraform 1.12 or later):
# the plan shows "1 to import" and, when the configuration matches the key, no changes.
import {
  to = kestra_kv.existing
  identity = {
    namespace = "company.team"
    key       = "feature_flags"
  }
}

resource "kestra_kv" "existing" {
  namespace = "company.team"
  key       = "feature_flags"
  value     = jsonencode({ beta = true })
}
