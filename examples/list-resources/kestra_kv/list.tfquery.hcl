# `terraform query` (Terraform 1.14 or later) lists existing keys;
# `terraform query -generate-config-out=generated.tf` writes configuration and import blocks
# that adopt them.
list "kestra_kv" "team" {
  provider         = kestra
  include_resource = true
  limit            = 1000

  config {
    namespace = "company.team"
    prefix    = "app_"
  }
}
