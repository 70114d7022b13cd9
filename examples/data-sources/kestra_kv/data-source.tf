# Needs: the key company.team/settings holding JSON with a "region", e.g. {"region": "eu-west-1"}.
data "kestra_kv" "settings" {
  namespace = "company.team"
  key       = "settings"
}

# A key that may not exist: null value and type instead of an error.
data "kestra_kv" "optional_flag" {
  namespace        = "company.team"
  key              = "feature_flag"
  error_on_missing = false
}

output "region" {
  value = jsondecode(data.kestra_kv.settings.value).region
}
