# Every key of a namespace (paged through the server), with its metadata.
data "kestra_kvs" "team" {
  namespace = "company.team"
}

# Keys starting with "feature_", including those inherited from "company".
data "kestra_kvs" "features" {
  namespace         = "company.team"
  prefix            = "feature_"
  include_inherited = true
}

output "feature_keys" {
  value = [for k in data.kestra_kvs.features.keys : "${k.namespace}/${k.key}"]
}
