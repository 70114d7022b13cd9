# Needs: the key company.secrets/db_password.
# Read a secret without storing it anywhere (Terraform 1.10 or later) ...
ephemeral "kestra_kv" "db_password" {
  namespace = "company.secrets"
  key       = "db_password"
}

# ... and hand it to a write-only argument (Terraform 1.11 or later).
resource "kestra_kv" "app_db_password" {
  namespace        = "company.team"
  key              = "db_password"
  value_wo         = ephemeral.kestra_kv.db_password.value
  value_wo_version = 1 # bump to write the current value again
}
