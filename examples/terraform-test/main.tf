# A small module and its `terraform test` files (tests/): `terraform test` plans and applies it
# against the Kestra of KESTRA_URL and destroys what it wrote; tests/kv_mocked.tftest.hcl needs
# no Kestra at all (Terraform 1.7 or later).
variable "namespace" {
  type    = string
  default = "company.team"
}

resource "kestra_kv" "replicas" {
  namespace = var.namespace
  key       = "replicas"
  value     = "3"
}

resource "kestra_kv" "settings" {
  namespace = var.namespace
  key       = "settings"
  value     = jsonencode({ region = "eu-west-1" })
}

output "settings_id" {
  value = kestra_kv.settings.id
}
